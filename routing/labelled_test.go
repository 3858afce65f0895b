package routing_test

import (
	"fmt"
	"os"
	"strings"
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
}

// The labelled set is split once: the rules and the model are tuned on tuningFile (two thirds)
// and only measured on heldoutFile (the last third).
const (
	tuningFile  = "testdata/labelled.toml"
	heldoutFile = "testdata/labelled_heldout.toml"
)

func loadLabelled(t testing.TB, file string) []labelled {
	t.Helper()
	var f struct {
		Q []labelled `toml:"q"`
	}
	b, err := os.ReadFile(file)
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

// score is how a router does on labelled questions: the share right, per agency, the confusion
// between agencies, and the misses.
type score struct {
	right, total int
	perAgency    map[string][2]int // agency -> right, total
	confusion    map[[2]string]int // want, got -> questions
	misses       []string
}

func (s score) share() float64 { return float64(s.right) / float64(s.total) }

// scoreRouter routes every question with route (which returns the agency and why) and counts.
func scoreRouter(qs []labelled, route func(*ticket.Ticket, *ticket.Message) (string, string)) score {
	s := score{perAgency: map[string][2]int{}, confusion: map[[2]string]int{}}
	for _, q := range qs {
		tk, m := mailTicket(q.From, q.Subject, q.Body)
		got, why := route(tk, m)
		c := s.perAgency[q.Agency]
		c[1]++
		s.total++
		if got == q.Agency {
			c[0]++
			s.right++
		} else {
			s.misses = append(s.misses, fmt.Sprintf("%q want %s, got %s: %s", q.Subject, q.Agency, got, why))
		}
		s.perAgency[q.Agency] = c
		s.confusion[[2]string{q.Agency, got}]++
	}
	return s
}

// agencyOrder is the order of rows and columns in the tables docs/ROUTING.md shows.
var agencyOrder = []string{"ks", "nav", "skatteetaten", "kompetanse-norge", "nasjonalbiblioteket"}

// table is the confusion table and the accuracy per agency, in Markdown, as docs/ROUTING.md has them.
func (s score) table() string {
	var b strings.Builder
	b.WriteString("| staff chose ↓ / routed to → | " + strings.Join(agencyOrder, " | ") + " | right |\n|---|")
	b.WriteString(strings.Repeat("---|", len(agencyOrder)+1) + "\n")
	for _, want := range agencyOrder {
		fmt.Fprintf(&b, "| %s |", want)
		for _, got := range agencyOrder {
			fmt.Fprintf(&b, " %d |", s.confusion[[2]string{want, got}])
		}
		c := s.perAgency[want]
		fmt.Fprintf(&b, " %d of %d (%.0f %%) |\n", c[0], c[1], 100*float64(c[0])/float64(max(c[1], 1)))
	}
	fmt.Fprintf(&b, "\nIn all %d of %d (%.1f %%).\n", s.right, s.total, 100*s.share())
	return b.String()
}

func (s score) log(t *testing.T, what string) {
	t.Helper()
	for _, m := range s.misses {
		t.Logf("miss: %s", m)
	}
	t.Logf("%s:\n%s", what, s.table())
}

func routeWithRules(rs *routing.RuleSet) func(*ticket.Ticket, *ticket.Message) (string, string) {
	return func(tk *ticket.Ticket, m *ticket.Message) (string, string) {
		d := rs.Route(tk, m)
		return d.Agency, d.Routing.Rule + ": " + d.Routing.Reason
	}
}

// minTuning is what the default rules must route correctly on the tuning questions.
const minTuning = 0.97

// TestDefaultRulesTuning routes the tuning questions with the default rules and asserts the
// share that lands at the right agency. Run with -v to see the misses and the tables.
func TestDefaultRulesTuning(t *testing.T) {
	qs := loadLabelled(t, tuningFile)
	if len(qs) < 200 {
		t.Fatalf("the tuning part has %d questions, want at least 200", len(qs))
	}
	s := scoreRouter(qs, routeWithRules(defaultRules(t)))
	s.log(t, "default rules on the tuning questions")
	if s.share() < minTuning {
		t.Errorf("got %.1f %% right, want at least %.0f %%", 100*s.share(), 100*minTuning)
	}
}

// minHeldout is what the default rules must route correctly on the held-out questions, which
// they were never tuned on (docs/ROUTING.md records every measurement).
const minHeldout = 0.85

// TestDefaultRulesHeldout measures the default rules on the held-out questions. Do not tune on
// its misses: see testdata/labelled_heldout.toml.
func TestDefaultRulesHeldout(t *testing.T) {
	qs := loadLabelled(t, heldoutFile)
	if len(qs) < 100 {
		t.Fatalf("the held-out part has %d questions, want at least 100", len(qs))
	}
	s := scoreRouter(qs, routeWithRules(defaultRules(t)))
	t.Logf("default rules on the held-out questions:\n%s", s.table())
	if s.share() < minHeldout {
		t.Errorf("got %.1f %% right, want at least %.0f %%", 100*s.share(), 100*minHeldout)
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
		{"kurs", "Tilbud for seniorer", "Hva finnes?", "kompetanse-norge", "Tema kurs fra skjemaet"},
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
