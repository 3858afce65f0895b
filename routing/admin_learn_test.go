package routing_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/routing"
	"github.com/ks-no/digihjelpen/ticket"
)

var staff = ticket.NewContextWithActor(context.Background(), ticket.Actor{Name: "kari@ks.no", Role: ticket.RoleAdmin})

// learningAdmin is an Admin over a real store holding the first questions of the tuning set as
// tickets staff finished: every fourth moved by hand from KS to its agency, the rest resolved
// where they were routed.
func learningAdmin(t testing.TB, mode ticket.LearnMode, questions int) (*routing.Admin, *data.TicketService) {
	t.Helper()
	a, db := newAdmin(t, "")
	s := data.NewTicketService(db)
	a.Learn, a.Labels, a.Threshold = mode, s, 0.6
	if err := a.Load(staff); err != nil {
		t.Fatal(err)
	}
	for i, q := range loadLabelled(t, tuningFile)[:questions] {
		tk, m := mailTicket(q.From, q.Subject, q.Body)
		tk.Status, tk.Priority, tk.Agency = ticket.StatusNew, ticket.PriorityNormal, q.Agency
		upd := ticket.TicketUpdate{Status: ptr(ticket.StatusResolved)}
		if i%4 == 0 && q.Agency != ticket.AgencyKS {
			tk.Agency, upd = ticket.AgencyKS, ticket.TicketUpdate{Agency: &q.Agency}
		}
		if err := s.CreateTicket(staff, tk, m, ticket.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.UpdateTicket(staff, tk.ID, upd); err != nil {
			t.Fatal(err)
		}
	}
	return a, s
}

// sameStore is another Admin over a's store, in another mode.
func sameStore(t *testing.T, a *routing.Admin, mode ticket.LearnMode) *routing.Admin {
	t.Helper()
	b := &routing.Admin{Env: a.Env, Sets: a.Sets, Tickets: a.Tickets, Labels: a.Labels, Learn: mode}
	if err := b.Load(staff); err != nil {
		t.Fatal(err)
	}
	return b
}

func ptr[T any](v T) *T { return &v }

// lostJob names no agency and has no word of the default rules, but the tuning questions teach
// the model that a lost job and a payment to come are a NAV matter.
func lostJob() (*ticket.Ticket, *ticket.Message) {
	return mailTicket("a@gran.kommune.no", "Mistet jobben", "Han har mistet jobben og lurer på når utbetalingen kommer, og hvor han ser vedtaket.")
}

func TestLearnModes(t *testing.T) {
	tests := []struct {
		mode      ticket.LearnMode
		trains    bool
		agency    string
		rule      string
		suggests  bool
		routes    bool
		threshold float64
	}{
		{ticket.LearnOff, false, "ks", routing.RuleDefault, false, false, 0.6},
		{ticket.LearnSuggest, true, "ks", routing.RuleDefault, true, false, 0.6},
		{ticket.LearnRoute, true, "nav", ticket.RuleModel, true, true, 0.6},
		{ticket.LearnRoute, true, "ks", routing.RuleDefault, true, false, 0.99999999},
	}
	store, _ := learningAdmin(t, ticket.LearnOff, 221)
	for _, tt := range tests {
		t.Run(string(tt.mode), func(t *testing.T) {
			a := sameStore(t, store, tt.mode)
			a.Threshold = tt.threshold
			trained, err := a.Retrain(staff)
			if err != nil || trained != tt.trains {
				t.Fatalf("trained %v (%v), want %v", trained, err, tt.trains)
			}
			tk, m := lostJob()
			d := a.Route(tk, m)
			if d.Agency != tt.agency || d.Routing.Rule != tt.rule {
				t.Fatalf("routed to %s by %q (%s), want %s by %q", d.Agency, d.Routing.Rule, d.Routing.Reason, tt.agency, tt.rule)
			}
			if tt.rule == ticket.RuleModel {
				for _, part := range []string{"ingen regel valgte etat, så modellen", "sikker på NAV", "terskelen er 60 %", "ordene som veide mest: «utbetalingen»"} {
					if !strings.Contains(d.Routing.Reason, part) {
						t.Errorf("reason %q lacks %q", d.Routing.Reason, part)
					}
				}
				if d.Template != ticket.ReferAckTemplateName {
					t.Errorf("template %q, want the referral acknowledgement", d.Template)
				}
			}
			d.Apply(tk)
			tk.Status = ticket.StatusNew
			s, ok := a.Suggest(tk, m)
			if ok != tt.suggests || (ok && (s.Agency != "nav" || s.Routes != tt.routes || len(s.Words) == 0)) {
				t.Errorf("suggestion %+v (%v), want shown %v, nav, routes %v", s, ok, tt.suggests, tt.routes)
			}
			st := a.ModelStatus()
			if st.Mode != tt.mode || st.Ready != tt.trains || (tt.trains && (st.Labels != 221 || st.HeldOut == 0 || st.Moved == 0)) {
				t.Errorf("status %+v", st)
			}
		})
	}
}

// TestRuleWinsOverModel: where the model may overrule a rule (combine.go). The model is sure
// the lost job is NAV's; a rule sends it to Skatteetaten with more or less firm evidence.
func TestRuleWinsOverModel(t *testing.T) {
	tests := []struct {
		name, rule string
		mode       ticket.LearnMode
		threshold  float64
		agency     string
		byModel    bool // the model routed it
		suggests   bool // «Forslag» is shown on the ticket the rule routed
		basis      string
	}{
		{"a service beats a sure model", `evidence = "service"`, ticket.LearnRoute, 0.6, "skatteetaten", false, false, ""},
		{"the agency's name loses to a model at the threshold", `evidence = "named"`, ticket.LearnRoute, 0.6, "nav", true, false, "på etatens navn"},
		{"a topic word loses to a model at the threshold", ``, ticket.LearnRoute, 0.6, "nav", true, false, "på et temaord"},
		{"a topic word wins over a model below the threshold", ``, ticket.LearnRoute, 0.99999999, "skatteetaten", false, true, ""},
		{"stop always wins", `stop = true`, ticket.LearnRoute, 0.6, "skatteetaten", false, false, ""},
		{"mode suggest never routes", ``, ticket.LearnSuggest, 0.6, "skatteetaten", false, true, ""},
	}
	store, _ := learningAdmin(t, ticket.LearnOff, 221)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := sameStore(t, store, tt.mode)
			a.Threshold = tt.threshold
			rules := "[[rules]]\nname = \"Mistet jobb til Skatteetaten\"\nwords = [\"mistet jobben\"]\nagency = \"skatteetaten\"\n" +
				"template = \"henvisning\"\ntags = [\"skatt\"]\n" + tt.rule + "\n"
			if _, err := a.SaveRules(staff, rules, "prøve"); err != nil {
				t.Fatal(err)
			}
			if _, err := a.Retrain(staff); err != nil {
				t.Fatal(err)
			}
			tk, m := lostJob()
			d := a.Route(tk, m)
			want := "Mistet jobb til Skatteetaten"
			if tt.byModel {
				want = ticket.RuleModel
			}
			if d.Agency != tt.agency || d.Routing.Rule != want {
				t.Fatalf("routed to %s by %q (%s), want %s by %q", d.Agency, d.Routing.Rule, d.Routing.Reason, tt.agency, want)
			}
			if tt.byModel {
				for _, part := range []string{"regelen «Mistet jobb til Skatteetaten» valgte Skatteetaten " + tt.basis + " (ord «mistet jobben» i emnet)",
					"modellen som lærer av saksbehandlernes valg, er ", "sikker på NAV (terskelen er 60 %)", "ordene som veide mest: «"} {
					if !strings.Contains(d.Routing.Reason, part) {
						t.Errorf("reason %q lacks %q", d.Routing.Reason, part)
					}
				}
				if len(d.Tags) > 0 {
					t.Errorf("tags %v: the overruled rule's tags go with its agency", d.Tags)
				}
			}
			d.Apply(tk)
			tk.Status = ticket.StatusNew
			s, ok := a.Suggest(tk, m)
			if tt.byModel {
				ok = ok && s.Agency == "nav" // the model routed it: «Forslag» says so
				if !ok {
					t.Errorf("no «Forslag» on a ticket the model routed: %+v", s)
				}
				return
			}
			if ok != tt.suggests {
				t.Fatalf("«Forslag» %+v shown %v, want %v", s, ok, tt.suggests)
			}
			if ok && (s.Agency != "nav" || !strings.HasPrefix(s.RuleBasis, "Regelen «Mistet jobb til Skatteetaten» valgte Skatteetaten på et temaord") || s.Routes) {
				t.Errorf("«Forslag» %+v, want NAV, the weak rule named, not routing", s)
			}
		})
	}
}

func TestModelNeedsLabels(t *testing.T) {
	a, _ := learningAdmin(t, ticket.LearnRoute, routing.MinModelLabels-1)
	if trained, err := a.Retrain(staff); !trained || err != nil {
		t.Fatalf("trained %v, %v", trained, err)
	}
	tk, m := lostJob()
	if d := a.Route(tk, m); d.Routing.Rule != routing.RuleDefault {
		t.Errorf("a model on %d labels routed: %s", routing.MinModelLabels-1, d.Routing.Reason)
	}
	if st := a.ModelStatus(); st.Ready || !st.Trained || st.Labels != routing.MinModelLabels-1 {
		t.Errorf("status %+v, want trained and not ready", st)
	}
}

// TestRetrainWhenLabelsOrRulesChange: training runs again only when there is something new.
func TestRetrainWhenLabelsOrRulesChange(t *testing.T) {
	a, s := learningAdmin(t, ticket.LearnSuggest, 100)
	steps := []struct {
		name  string
		do    func()
		train bool
	}{
		{"first time", func() {}, true},
		{"nothing new", func() {}, false},
		{"staff move a ticket", func() {
			tk, m := lostJob()
			tk.Status, tk.Priority, tk.Agency = ticket.StatusNew, ticket.PriorityNormal, "ks"
			if err := s.CreateTicket(staff, tk, m, ticket.CreateOptions{}); err != nil {
				t.Fatal(err)
			}
			if _, err := s.UpdateTicket(staff, tk.ID, ticket.TicketUpdate{Agency: ptr("nav")}); err != nil {
				t.Fatal(err)
			}
		}, true},
		{"the rules are saved", func() {
			if _, err := a.SaveRules(staff, string(routing.DefaultRulesText), "på nytt"); err != nil {
				t.Fatal(err)
			}
		}, true},
		{"nothing new again", func() {}, false},
	}
	for _, st := range steps {
		st.do()
		trained, err := a.Retrain(staff)
		if err != nil || trained != st.train {
			t.Errorf("%s: trained %v (%v), want %v", st.name, trained, err, st.train)
		}
	}
	if got := a.ModelStatus().Labels; got != 101 {
		t.Errorf("labels %d, want 101", got)
	}
}

// TestRouteWhileTraining: intake never waits for training; decisions use the model they find
// (run with -race).
func TestRouteWhileTraining(t *testing.T) {
	a, s := learningAdmin(t, ticket.LearnRoute, 221)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; i < 3; i++ {
			tk, m := lostJob()
			tk.Status, tk.Priority = ticket.StatusNew, ticket.PriorityNormal
			s.CreateTicket(staff, tk, m, ticket.CreateOptions{})
			s.UpdateTicket(staff, tk.ID, ticket.TicketUpdate{Agency: ptr("nav")})
			if _, err := a.Retrain(staff); err != nil {
				t.Error(err)
			}
		}
	}()
	tk, m := lostJob()
	for i := 0; i < 200; i++ {
		if d := a.Route(tk, m); d.Agency != "ks" && d.Agency != "nav" {
			t.Fatalf("routed to %s", d.Agency)
		}
		a.ModelStatus()
	}
	wg.Wait()
	if d := a.Route(tk, m); d.Agency != "nav" {
		t.Errorf("after training: %s (%s)", d.Agency, d.Routing.Reason)
	}
}

// TestModelForgetsDeletedTickets: when every labelled ticket is gone (deleted, anonymised), so is
// the model trained on them.
func TestModelForgetsDeletedTickets(t *testing.T) {
	a, s := learningAdmin(t, ticket.LearnSuggest, routing.MinModelLabels+10)
	if _, err := a.Retrain(staff); err != nil || !a.ModelStatus().Ready {
		t.Fatalf("not ready: %v", err)
	}
	tickets, _, err := s.FindTickets(staff, ticket.TicketFilter{Limit: ticket.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	for _, tk := range tickets {
		if err := s.DeleteTicket(staff, tk.ID); err != nil {
			t.Fatal(err)
		}
	}
	if trained, err := a.Retrain(staff); trained || err != nil {
		t.Fatalf("trained %v, %v", trained, err)
	}
	tk, m := lostJob()
	tk.Routing.Rule, tk.Status = routing.RuleDefault, ticket.StatusNew
	if st := a.ModelStatus(); st.Trained || st.Ready {
		t.Errorf("status %+v after every label was deleted", st)
	}
	if _, ok := a.Suggest(tk, m); ok {
		t.Error("a suggestion from tickets that no longer exist")
	}
}
