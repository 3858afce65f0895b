package routing_test

import (
	"os"
	"testing"

	"github.com/BurntSushi/toml"

	"github.com/ks-no/digihjelpen/routing"
	"github.com/ks-no/digihjelpen/ticket"
)

// labelled is one hand-labelled question from testdata/labelled.toml.
type labelled struct {
	Agency  string `toml:"agency"`
	From    string `toml:"from"`
	Subject string `toml:"subject"`
	Body    string `toml:"body"`
	Heldout bool   `toml:"heldout"`
}

func loadLabelled(t testing.TB) []labelled {
	t.Helper()
	var f struct {
		Q []labelled `toml:"q"`
	}
	b, err := os.ReadFile("testdata/labelled.toml")
	if err != nil {
		t.Fatal(err)
	}
	md, err := toml.Decode(string(b), &f)
	if err != nil {
		t.Fatal(err)
	}
	if u := md.Undecoded(); len(u) > 0 {
		t.Fatalf("unknown keys in labelled.toml: %v", u)
	}
	return f.Q
}

func defaultRules(t testing.TB) *routing.RuleSet {
	t.Helper()
	rs, err := routing.DefaultRules(routing.Env{Agencies: routing.DefaultAgencies(), Places: loadPlaces(t)})
	if err != nil {
		t.Fatalf("default rules: %v", err)
	}
	return rs
}

func mailTicket(from, subject, body string) (*ticket.Ticket, *ticket.Message) {
	t := &ticket.Ticket{Subject: subject, Channel: ticket.ChannelEmail, Requester: ticket.Requester{Email: from}}
	return t, &ticket.Message{Direction: ticket.DirectionIn, From: from, Subject: subject, Text: body}
}

// minShare is what the default rules must route correctly, overall and on the held-out part.
const minShare = 0.90

// TestDefaultRulesLabelled routes every labelled question with the default rules and asserts
// the share that lands at the right agency. Run with -v to see the figures and the misses.
func TestDefaultRulesLabelled(t *testing.T) {
	rs := defaultRules(t)
	qs := loadLabelled(t)
	if len(qs) < 40 {
		t.Fatalf("the labelled set has %d questions, want at least 40", len(qs))
	}
	var right, total, heldRight, heldTotal int
	perAgency := map[string][2]int{}
	for _, q := range qs {
		tk, m := mailTicket(q.From, q.Subject, q.Body)
		d := rs.Route(tk, m)
		ok := d.Agency == q.Agency
		c := perAgency[q.Agency]
		c[1]++
		total++
		if q.Heldout {
			heldTotal++
		}
		if ok {
			c[0]++
			right++
			if q.Heldout {
				heldRight++
			}
		} else {
			t.Logf("miss: %q want %s, got %s by %q (%s)", q.Subject, q.Agency, d.Agency, d.Routing.Rule, d.Routing.Reason)
		}
		perAgency[q.Agency] = c
	}
	for a, c := range perAgency {
		t.Logf("%-20s %2d of %2d", a, c[0], c[1])
	}
	share := float64(right) / float64(total)
	t.Logf("routed correctly: %d of %d (%.1f %%); held out: %d of %d", right, total, 100*share, heldRight, heldTotal)
	if share < minShare {
		t.Errorf("got %.1f %% right, want at least %.0f %%", 100*share, 100*minShare)
	}
	if heldTotal > 0 && float64(heldRight)/float64(heldTotal) < minShare-0.1 {
		t.Errorf("held-out questions: %d of %d right, want at least %.0f %%", heldRight, heldTotal, 100*(minShare-0.1))
	}
}

// TestDefaultRulesFormTopic: the topic chosen in the form decides only when the words do not.
func TestDefaultRulesFormTopic(t *testing.T) {
	rs := defaultRules(t)
	tests := []struct {
		category, subject, body, agency, rule string
	}{
		{"skatt", "Spørsmål", "Hvordan hjelper vi en innbygger med dette?", "skatteetaten", "Tema skatt fra skjemaet"},
		{"nav", "Spørsmål", "Innbyggeren får en feilmelding.", "nav", "Tema NAV fra skjemaet"},
		{"kurs", "Kurs for seniorer", "Hva finnes?", "kompetanse-norge", "Tema kurs fra skjemaet"},
		{"nav", "Skattekort", "Innbyggeren trenger nytt skattekort.", "skatteetaten", "Skatt og folkeregister"},
		{"bibliotek", "Spørsmål", "Hvem kan hjelpe oss?", "ks", routing.RuleDefault},
		{"annet", "Spørsmål", "Hei", "ks", routing.RuleDefault},
	}
	for _, tt := range tests {
		tk := &ticket.Ticket{Subject: tt.subject, Channel: ticket.ChannelWeb, Category: tt.category,
			Requester: ticket.Requester{Email: "a@hamar.kommune.no", Municipality: ticket.Municipality{Number: "3403"}}}
		d := rs.Route(tk, &ticket.Message{Direction: ticket.DirectionIn, From: "a@hamar.kommune.no", Text: tt.body})
		if d.Agency != tt.agency || d.Routing.Rule != tt.rule {
			t.Errorf("%s/%q: got %s by %q, want %s by %q", tt.category, tt.subject, d.Agency, d.Routing.Rule, tt.agency, tt.rule)
		}
	}
}
