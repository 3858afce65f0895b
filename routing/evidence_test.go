package routing_test

import (
	"strings"
	"testing"

	"github.com/ks-no/digihjelpen/routing"
)

// evidenceRules: a topic rule for Kompetanse Norge comes first, so only the weighing of evidence
// lets a question that names NAV go to NAV.
const evidenceRules = `
[[rules]]
name = "Personvern"
words = ["personvern"]
agency = "ks"
stop = true

[[rules]]
name = "Kursmateriell"
words = ["kurs*", "materiell"]
agency = "kompetanse-norge"

[[rules]]
name = "Tilskudd"
words = ["tilskudd*"]
agency = "ks"

[[rules]]
name = "NAV nevnt"
evidence = "named"
words = ["nav", "meldekort"]
agency = "nav"
tags = ["nav"]

[[rules]]
name = "NAV-tema"
words = ["pensjon"]
agency = "nav"

[[rules]]
name = "Skatteetaten nevnt"
evidence = "named"
words = ["skattemelding"]
agency = "skatteetaten"

[[rules]]
name = "Sent i listen"
words = ["personvern"]
agency = "nasjonalbiblioteket"
evidence = "named"
`

func TestEvidenceWeighing(t *testing.T) {
	rs := compile(t, evidenceRules)
	tests := []struct {
		name, subject, body string
		agency, rule        string
		reason              []string // parts of the explanation
		notReason           string
	}{
		{"a named agency outranks another agency's topic word", "Kurs", "Har NAV materiell om meldekort?", "nav", "NAV nevnt",
			[]string{"«nav» i teksten", "Veide tyngre enn «Kursmateriell» (ord «kurs» i emnet, Kompetanse Norge (HK-dir))", "nevner NAV ved navn"}, ""},
		{"a topic word alone decides", "Kurs", "Har dere materiell?", "kompetanse-norge", "Kursmateriell", []string{"«kurs» i emnet"}, "Veide"},
		{"equal evidence: the first rule wins and says so", "Kurs", "Tilskudd til kurs?", "kompetanse-norge", "Kursmateriell",
			[]string{"«Tilskudd» (ord «tilskudd» i teksten, KS) passet også og veier like tungt; regelen som står først, vinner"}, "Veide"},
		{"two agencies named as clearly: the names are set aside, and nothing else decides", "Skattemelding", "Hvor ser jeg meldekort og skattemeldingen?",
			"ks", routing.RuleDefault, []string{"ingen regel valgte etat; saken går til KS. Satt til side: «NAV nevnt» (ord «meldekort» i teksten, NAV)",
				"«Skatteetaten nevnt»", "nevner flere etater like tydelig"}, ""},
		{"two agencies named as clearly: the topic word decides", "Kurs om NAV og skattemeldingen", "Hva finnes?", "kompetanse-norge", "Kursmateriell",
			[]string{"Satt til side: «NAV nevnt»", "«Skatteetaten nevnt»", "nevner flere etater like tydelig"}, ""},
		{"rules that agree are no contest", "Pensjon", "Pensjon fra NAV", "nav", "NAV nevnt", nil, "passet også"},
		{"the loser's tags do not come along", "", "meldekort og kurs", "nav", "NAV nevnt", nil, ""},
		{"stop still forces: a named agency after it is never tried", "Personvern", "Kan vi logge inn på NAV for innbyggeren?", "ks", "Personvern", []string{"«personvern» i emnet"}, "Veide"},
		{"a named rule after a stop rule is never tried", "", "personvern på biblioteket", "ks", "Personvern", nil, "Sent i listen"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := in{subject: tt.subject, body: tt.body}.route(rs)
			if d.Agency != tt.agency || d.Routing.Rule != tt.rule {
				t.Fatalf("got %s by %q (%s), want %s by %q", d.Agency, d.Routing.Rule, d.Routing.Reason, tt.agency, tt.rule)
			}
			for _, part := range tt.reason {
				if !strings.Contains(d.Routing.Reason, part) {
					t.Errorf("reason %q, want it to contain %q", d.Routing.Reason, part)
				}
			}
			if tt.notReason != "" && strings.Contains(d.Routing.Reason, tt.notReason) {
				t.Errorf("reason %q, want it without %q", d.Routing.Reason, tt.notReason)
			}
		})
	}
	if d := (in{body: "meldekort og kurs"}).route(rs); len(d.Tags) != 1 || d.Tags[0] != "nav" {
		t.Errorf("got tags %v, want only the winner's [nav]", d.Tags)
	}
}

// A stop rule that matches after a stronger candidate ends the search but does not take the
// agency from it: stop means "try no later rule", so a rule that must force its agency stands
// first.
func TestStopCompetesWithEarlierRules(t *testing.T) {
	rs := compile(t, `
[[rules]]
name = "NAV nevnt"
evidence = "named"
words = ["nav"]
agency = "nav"

[[rules]]
name = "Kurs, stopp"
words = ["kurs"]
agency = "kompetanse-norge"
stop = true

[[rules]]
name = "Aldri prøvd"
words = ["kurs"]
tags = ["sist"]
`)
	d := in{body: "kurs hos NAV"}.route(rs)
	if d.Agency != "nav" || len(d.Tags) != 0 {
		t.Errorf("got %s with tags %v, want nav and no tags", d.Agency, d.Tags)
	}
}

// focusRules have a service, a name and a topic word for three agencies, in the order that
// makes only the weighing of where the words stand decide.
const focusRules = `
[[rules]]
name = "Kurs"
words = ["kurs", "materiell"]
agency = "kompetanse-norge"

[[rules]]
name = "Tilskudd"
words = ["tilskudd", "rapport"]
agency = "ks"

[[rules]]
name = "NAV ved navn"
evidence = "named"
words = ["nav"]
not_sender = ["nav.no"]
agency = "nav"

[[rules]]
name = "Skatteetaten ved navn"
evidence = "named"
words = ["skatteetaten"]
agency = "skatteetaten"

[[rules]]
name = "NAV-tjenester"
evidence = "service"
words = ["meldekort", "hjelpemidler"]
agency = "nav"
`

// TestEvidenceWhereItStands: a service decides wherever the question names it; a name decides
// over a topic word where it stands in the question (subject or a sentence that asks), not when
// it is mentioned in passing; a reply's quoted history counts only when the new text says
// nothing; a signature without a sign-off counts for nothing; and the sender's own agency's
// name says who asks, not what about.
func TestEvidenceWhereItStands(t *testing.T) {
	rs := compile(t, focusRules)
	tests := []struct {
		name         string
		in           in
		agency, rule string
		reason       []string
	}{
		{"a service outweighs a topic word in the question", in{subject: "Tilskudd", body: "Kan hun få tilskudd? Hun trenger hjelpemidler."},
			"nav", "NAV-tjenester", []string{"gjelder en tjeneste bare NAV har"}},
		{"a name in the question outweighs a topic word there", in{subject: "Spørsmål", body: "Har NAV kurs om dette?"},
			"nav", "NAV ved navn", []string{"nevner NAV ved navn"}},
		{"a name in passing does not outweigh a topic word in the question", in{subject: "Kursbevis",
			body: "Det har vært etterspurt av NAV. Kan deltakerne få kursbevis etter kurs hos oss?"},
			"kompetanse-norge", "Kurs", []string{"ordene står i selve spørsmålet", "«NAV ved navn»"}},
		{"without a question mark the whole text is the question", in{subject: "Spørsmål", body: "Vi lurer på kurs fra NAV."},
			"nav", "NAV ved navn", nil},
		{"quoted history counts only when the new text says nothing", in{subject: "Sv: Meldekort",
			body: "Takk! Hvordan rapporterer vi på tilskuddet?\n\nDen 3. mars 2026 kl. 10:00 skrev Kontaktpunktet <k@ks.no>:\n> Meldekortet sendes på nav.no.\n> Hilsen KS"},
			"ks", "Tilskudd", []string{"det står bare i sitert tekst"}},
		{"quoted history decides when the new text says nothing", in{subject: "Sv: Spørsmål",
			body: "Det virket ikke. Hva nå?\n\nDen 3. mars 2026 kl. 10:00 skrev Kontaktpunktet <k@ks.no>:\n> Meldekortet sendes på nav.no.\n> Hilsen KS"},
			"nav", "NAV-tjenester", []string{"«meldekortet» i sitert tekst"}},
		{"a forwarded question is the question", in{subject: "VS: Spørsmål",
			body: "Kan dere svare på denne?\n\n---------- Forwarded message ---------\nFrom: Per <per@example.com>\nSubject: Spørsmål\n\nHvor sender jeg meldekortet?"},
			"nav", "NAV-tjenester", nil},
		{"a signature without a sign-off names no agency", in{subject: "Kurs",
			body: "Har dere kursmateriell om e-post? Vi trenger det til høsten.\n\nKari Nordmann\nVeileder, NAV Gjøvik\nTlf 61 00 00 00"},
			"kompetanse-norge", "Kurs", nil},
		{"the sender's own agency's name does not count", in{from: "veileder@nav.no", subject: "Kurs for brukere",
			body: "Vi på NAV-kontoret lurer på om det finnes kurs i e-post?"}, "kompetanse-norge", "Kurs", nil},
		{"the sender's own agency's services still count", in{from: "veileder@nav.no", subject: "Feil",
			body: "Er det feil med meldekortet i dag?"}, "nav", "NAV-tjenester", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := tt.in.route(rs)
			if d.Agency != tt.agency || d.Routing.Rule != tt.rule {
				t.Fatalf("got %s by %q (%s), want %s by %q", d.Agency, d.Routing.Rule, d.Routing.Reason, tt.agency, tt.rule)
			}
			for _, part := range tt.reason {
				if !strings.Contains(d.Routing.Reason, part) {
					t.Errorf("reason %q, want it to contain %q", d.Routing.Reason, part)
				}
			}
		})
	}
}
