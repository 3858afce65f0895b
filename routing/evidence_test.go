package routing_test

import (
	"strings"
	"testing"
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
		{"two named agencies: the first rule wins", "Skattemelding", "Hvor ser jeg meldekort og skattemeldingen?", "nav", "NAV nevnt",
			[]string{"«Skatteetaten nevnt»", "passet også og veier like tungt"}, ""},
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
