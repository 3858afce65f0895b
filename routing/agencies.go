// Package routing decides where a ticket belongs: it recognises the municipality from the
// sender's domain and applies ordered rules to pick the agency. It is pure: no I/O, no storage.
package routing

import "github.com/ks-no/digihjelpen/ticket"

// DefaultAgencies are the bodies shipped with the program; configuration may change them.
// The referral addresses are left for the operator to fill in: none of these bodies publishes a
// general address for referrals (see data/agencies.md in the shared sources).
func DefaultAgencies() ticket.Agencies {
	return ticket.Agencies{
		{Key: "ks", Name: "KS", Description: "Digihjelpen kontaktpunkt selv: organisering av veiledningstilbudet, håndboken, tilskudd, kvalitetsmål, personvern i veiledning, frivillige og regionale møteplasser."},
		{Key: "kompetanse-norge", Name: "Kompetanse Norge (HK-dir)", Description: "Opplærings- og veiledningsmateriell for digitale ferdigheter (tidligere Digidel-ressursene) og behov for nytt kursmateriell. Del av HK-dir siden 2021."},
		{Key: "nav", Name: "NAV", Description: "Innbyggeres saker hos NAV: søknader, meldekort, dagpenger, sykepenger, pensjon og Min side."},
		{Key: "skatteetaten", Name: "Skatteetaten", Description: "Skattemelding, skattekort, Folkeregisteret, flytting, navneendring og D-nummer."},
		{Key: "nasjonalbiblioteket", Name: "Nasjonalbiblioteket", Description: "Prosjekt- og utviklingsmidler for folkebibliotek og bibliotekutvikling."},
	}
}
