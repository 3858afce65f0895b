package datagen

type question struct{ subject, text string }

// questions are typical of municipal staff, by the agency that owns the answer.
var questions = map[string][]question{
	"ks": {
		{"Hvordan organisere Digihjelpen i kommunen?", "Vi skal starte opp med digital veiledning på biblioteket og servicetorget. Finnes det en mal for organisering og ansvarsfordeling?"},
		{"Spørsmål om tilskudd til digital veiledning", "Kan vi søke tilskudd til å lønne en digihjelper i en prosjektstilling? Hva er fristen?"},
		{"Personvern når vi hjelper innbyggere", "Hva gjør vi når en innbygger ber oss logge inn med BankID for dem? Hvilke retningslinjer gjelder for taushetsplikt?"},
		{"Frivillige som digihjelpere", "Vi har frivillige fra seniornettet som vil hjelpe til. Trenger de taushetserklæring og opplæring?"},
		{"Regionalt nettverk for digihjelpere", "Finnes det et regionalt nettverk eller møteplass for digihjelpere i fylket vårt?"},
		{"Kvalitetsmål for veiledningstjenesten", "Hvilke kvalitetsmål anbefaler Digihjelpen-håndboken, og hvordan rapporterer vi?"},
	},
	"kompetanse-norge": {
		{"Kursmateriell for seniorer", "Hvor finner vi oppdatert kursmateriell i grunnleggende digitale ferdigheter for seniorer? Det gamle Digidel-materiellet er borte."},
		{"Opplæringsmateriell på flere språk", "Har dere veiledningsmateriell på arabisk, somali og ukrainsk for innbyggere som lærer norsk?"},
		{"Behov for nytt kurs om KI", "Vi ser behov for et kurs om kunstig intelligens og nettsvindel. Utvikler dere nytt materiell?"},
	},
	"nav": {
		{"Hjelp til søknad om dagpenger", "En innbygger trenger hjelp med å søke dagpenger og sende meldekort, men har ikke BankID. Hva gjør vi?"},
		{"Innbygger får ikke logget inn på Min side hos NAV", "En eldre innbygger kommer ikke inn på Min side. Hvordan kan vi hjelpe uten å se opplysningene?"},
		{"Spørsmål om sykepenger og søknad", "Hvor skal innbyggeren sende søknad om sykepenger når arbeidsgiver ikke har sendt inntektsmelding?"},
	},
	"skatteetaten": {
		{"Skattekort for ny arbeidstaker", "En innbygger har fått jobb og trenger skattekort. Hvordan bestiller hun det uten ID-porten?"},
		{"Skattemeldingen for eldre", "Flere eldre ber om hjelp med skattemeldingen. Kan vi levere den på vegne av dem?"},
		{"Flyttemelding og Folkeregisteret", "Hvordan melder en innbygger flytting når han ikke har elektronisk ID?"},
		{"D-nummer for utenlandsk arbeidstaker", "Hvor søker en utenlandsk arbeidstaker om D-nummer, og kan vi hjelpe med timebestilling?"},
	},
	"nasjonalbiblioteket": {
		{"Prosjektmidler til digital veiledning i biblioteket", "Kan folkebiblioteket søke utviklingsmidler fra Nasjonalbiblioteket til et prosjekt om digital inkludering?"},
		{"Søknadsfrist for bibliotekutvikling", "Når er fristen for prosjekt- og utviklingsmidler for folkebibliotek neste år?"},
	},
}

type municipality struct{ number, name, county, countyName, domain string }

// municipalities is a sample of the 357 (2024 structure), enough for realistic spread.
var municipalities = []municipality{
	{"0301", "Oslo", "03", "Oslo", "oslo.kommune.no"},
	{"1103", "Stavanger", "11", "Rogaland", "stavanger.kommune.no"},
	{"1508", "Ålesund", "15", "Møre og Romsdal", "alesund.kommune.no"},
	{"1804", "Bodø", "18", "Nordland", "bodo.kommune.no"},
	{"3105", "Sarpsborg", "31", "Østfold", "sarpsborg.com"},
	{"3201", "Bærum", "32", "Akershus", "baerum.kommune.no"},
	{"3301", "Drammen", "33", "Buskerud", "drammen.kommune.no"},
	{"3405", "Lillehammer", "34", "Innlandet", "lillehammer.kommune.no"},
	{"3403", "Hamar", "34", "Innlandet", "hamar.kommune.no"},
	{"3407", "Gjøvik", "34", "Innlandet", "gjovik.kommune.no"},
	{"3907", "Sandefjord", "39", "Vestfold", "sandefjord.kommune.no"},
	{"4001", "Porsgrunn", "40", "Telemark", "porsgrunn.kommune.no"},
	{"4204", "Kristiansand", "42", "Agder", "kristiansand.kommune.no"},
	{"4601", "Bergen", "46", "Vestland", "bergen.kommune.no"},
	{"4621", "Voss", "46", "Vestland", "voss.herad.no"},
	{"5001", "Trondheim - Tråante", "50", "Trøndelag", "trondheim.kommune.no"},
	{"5501", "Tromsø", "55", "Troms", "tromso.kommune.no"},
	{"5601", "Alta", "56", "Finnmark", "alta.kommune.no"},
	{"5612", "Guovdageaidnu - Kautokeino", "56", "Finnmark", "kautokeino.kommune.no"},
	{"1804", "Bodø", "18", "Nordland", "bodo.kommune.no"},
}

var firstNames = []string{"kari", "ola", "ingrid", "per", "sigrid", "lars", "aisha", "jonas", "marte", "bjørn", "nora", "emil", "fatima", "håkon", "åse"}

var lastNames = []string{"Nordmann", "Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Kristiansen", "Berg", "Haugen", "Dahl", "Sætre", "Ødegård"}
