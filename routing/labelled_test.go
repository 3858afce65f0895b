package routing_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"

	"github.com/ks-no/digihjelpen/routing"
	"github.com/ks-no/digihjelpen/ticket"
	"github.com/ks-no/digihjelpen/ticket/quote"
)

// labelled is one hand-labelled question from testdata/labelled.toml.
type labelled struct {
	Agency  string `toml:"agency"`
	From    string `toml:"from"`
	Subject string `toml:"subject"`
	Body    string `toml:"body"`
}

// The labelled questions the rules and the model are tuned on, and the model's seed corpus
// (routing/seed/, embedded: seed.go). labelled.toml was the tuning part of the first round of
// issue 15 and labelled_heldout.toml its held-out part, measured twice and then spent;
// labelled_more.toml was written for the second round; labelled_blind.toml (measured twice) and
// labelled_blind3.toml (measured once), labelled_blind4.toml (measured twice),
// labelled_blind5.toml and labelled_blind6.toml (each measured once) were written apart from the
// rules as blind sets and are spent too; labelled_seed8.toml to labelled_seed14.toml were written
// apart from the rules as training questions (seed/BRIEF.md). A set written apart since is
// measured by measureBlind (labelled_blind_test.go).
var tuningFiles = []string{
	tuningFile, heldoutFile, moreFile, blindFile, blind3File, blind4File, blind5File, blind6File,
	seed8File, seed9File, seed10File, seed11File, seed12File, seed13File, seed14File,
}

const (
	tuningFile  = "seed/labelled.toml"
	heldoutFile = "seed/labelled_heldout.toml"
	moreFile    = "seed/labelled_more.toml"
	blindFile   = "seed/labelled_blind.toml"
	blind3File  = "seed/labelled_blind3.toml"
	blind4File  = "seed/labelled_blind4.toml"
	blind5File  = "seed/labelled_blind5.toml"
	blind6File  = "seed/labelled_blind6.toml"
	seed8File   = "seed/labelled_seed8.toml"
	seed9File   = "seed/labelled_seed9.toml"
	seed10File  = "seed/labelled_seed10.toml"
	seed11File  = "seed/labelled_seed11.toml"
	seed12File  = "seed/labelled_seed12.toml"
	seed13File  = "seed/labelled_seed13.toml"
	seed14File  = "seed/labelled_seed14.toml"
)

// loadTuning returns every tuning question, file after file.
func loadTuning(t testing.TB) []labelled {
	t.Helper()
	var qs []labelled
	for _, f := range tuningFiles {
		qs = append(qs, loadLabelled(t, f)...)
	}
	return qs
}

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

// mailTicket is a new ticket from a mail, as intake stores it: the quoted history and signature
// marked by ticket/quote (a bottom-posted answer put first).
func mailTicket(from, subject, body string) (*ticket.Ticket, *ticket.Message) {
	t := &ticket.Ticket{Subject: subject, Channel: ticket.ChannelEmail, Requester: ticket.Requester{Email: from}}
	text, quoteStart := quote.Split(body)
	return t, &ticket.Message{Direction: ticket.DirectionIn, From: from, Subject: subject, Text: text, QuoteStart: quoteStart}
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

// minTuning is what the default rules must route correctly on the tuning questions, in all and
// per file: just below what they route now (docs/ROUTING.md), so a change that makes routing
// worse on any of them fails. The five former blind sets and the seven seed files written apart
// keep floors of their own, since the rules were not written from them.
const minTuning = 0.89

var minTuningFile = map[string]float64{
	tuningFile:  0.99,
	heldoutFile: 0.99,
	moreFile:    0.96,
	blindFile:   0.94,
	blind3File:  0.83,
	blind4File:  0.83,
	blind5File:  0.84,
	blind6File:  0.89,
	seed8File:   0.84,
	seed9File:   0.85,
	seed10File:  0.89,
	seed11File:  0.83,
	seed12File:  0.86,
	seed13File:  0.86,
	seed14File:  0.88,
}

// TestDefaultRulesTuning routes the tuning questions with the default rules and asserts the
// share that lands at the right agency. Run with -v to see the misses and the tables, per file
// and in all.
func TestDefaultRulesTuning(t *testing.T) {
	rs := defaultRules(t)
	all := score{perAgency: map[string][2]int{}, confusion: map[[2]string]int{}}
	for _, f := range tuningFiles {
		s := scoreRouter(loadLabelled(t, f), routeWithRules(rs))
		s.log(t, "default rules on "+f)
		all.add(s)
		if s.share() < minTuningFile[f] {
			t.Errorf("%s: got %.1f %% right, want at least %.0f %%", f, 100*s.share(), 100*minTuningFile[f])
		}
	}
	if all.total < 3300 {
		t.Fatalf("the tuning questions are %d, want at least 3300", all.total)
	}
	t.Logf("default rules on every tuning question:\n%s", all.table())
	if all.share() < minTuning {
		t.Errorf("got %.1f %% right, want at least %.0f %%", 100*all.share(), 100*minTuning)
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
		{"nav", "Spørsmål", "Vi holder kurs på biblioteket. Hvem kan hjelpe oss?", "kompetanse-norge", "Kurs og opplæringsmateriell"},
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
