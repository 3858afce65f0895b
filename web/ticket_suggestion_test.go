package web_test

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"

	"github.com/ks-no/digihjelpen/routing"
	"github.com/ks-no/digihjelpen/ticket"
)

// withLearning gives the server a routing model in mode, trained on the first n tuning
// questions of routing's labelled set, stored as tickets staff resolved where they belong.
func (e *testEnv) withLearning(mode ticket.LearnMode, n int) *routing.Admin {
	e.t.Helper()
	a := e.withRouting()
	a.Learn, a.Labels = mode, e.tickets
	var f struct {
		Q []struct{ Agency, From, Subject, Body string } `toml:"q"`
	}
	b, err := os.ReadFile("../routing/seed/labelled.toml")
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := toml.Decode(string(b), &f); err != nil {
		e.t.Fatal(err)
	}
	ctx := ticket.NewContextWithActor(context.Background(), ticket.Actor{Name: "agent@ks.no", Role: ticket.RoleAgent})
	resolved := ticket.StatusResolved
	for _, q := range f.Q[:n] {
		tk := &ticket.Ticket{Subject: q.Subject, Status: ticket.StatusNew, Agency: q.Agency, Priority: ticket.PriorityNormal, Channel: ticket.ChannelEmail,
			Requester: ticket.Requester{Email: q.From}}
		if err := e.tickets.CreateTicket(ctx, tk, &ticket.Message{Direction: ticket.DirectionIn, From: q.From, Text: q.Body}, ticket.CreateOptions{}); err != nil {
			e.t.Fatal(err)
		}
		if _, err := e.tickets.UpdateTicket(ctx, tk.ID, ticket.TicketUpdate{Status: &resolved}); err != nil {
			e.t.Fatal(err)
		}
	}
	if _, err := a.Retrain(ctx); err != nil {
		e.t.Fatal(err)
	}
	e.srv.Learning = a
	return a
}

// routedTicket stores a new ticket as routing decided it.
func (e *testEnv) routedTicket(a *routing.Admin, subject, text string) *ticket.Ticket {
	e.t.Helper()
	tk := &ticket.Ticket{Subject: subject, Status: ticket.StatusNew, Priority: ticket.PriorityNormal, Channel: ticket.ChannelEmail,
		Requester: ticket.Requester{Email: "kari@gran.kommune.no"}}
	m := &ticket.Message{Direction: ticket.DirectionIn, From: "kari@gran.kommune.no", Subject: subject, Text: text}
	a.Route(tk, m).Apply(tk)
	if err := e.tickets.CreateTicket(context.Background(), tk, m, ticket.CreateOptions{}); err != nil {
		e.t.Fatal(err)
	}
	return tk
}

// The laid-off man names no agency and no word of the default rules; the labelled questions teach
// the model that a lost job and a payment to come are a NAV matter.
const (
	lostJobSubject = "Mistet jobben"
	laidOff        = "Han har mistet jobben og lurer på når utbetalingen kommer, og hvor han ser vedtaket."
)

var begrunnelse = regexp.MustCompile(`name="begrunnelse" value="(Forslag fra modellen[^"]*)"`)

// TestSuggestionBox: «Forslag» on a ticket no rule routed, with the agency, the confidence and
// the words; its button moves the ticket as staff's choice, which the model learns from.
func TestSuggestionBox(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080")
	a := e.withLearning(ticket.LearnSuggest, 150)
	tk := e.routedTicket(a, lostJobSubject, laidOff)
	if tk.Routing.Rule != routing.RuleDefault || tk.Agency != "ks" {
		t.Fatalf("routed %s by %q, want KS by default", tk.Agency, tk.Routing.Rule)
	}
	agent := e.browser()
	agent.login("agent@ks.no")
	resp, body := agent.get("/saker/" + tk.Ref.String())
	for _, want := range []string{`<h2 id="forslag-tittel">Forslag</h2>`, "Ingen regel valgte etat.", "% sikker på NAV</strong>", "Ordene som veide mest: «",
		`name="etat" value="nav"`, "Flytt til NAV</button>"} {
		if !strings.Contains(body, want) {
			t.Errorf("ticket page lacks %q", want)
		}
	}
	m := begrunnelse.FindStringSubmatch(body)
	if resp.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("status %d, no begrunnelse in the form", resp.StatusCode)
	}
	before, _ := e.tickets.RoutingLabelsVersion(context.Background())
	form := url.Values{"csrf": {agent.csrf("/saker/" + tk.Ref.String())}, "versjon": {"1"}, "etat": {"nav"}, "begrunnelse": {m[1]}}
	if resp, body := agent.post("/saker/"+tk.Ref.String()+"/endre", form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("move: status %d\n%s", resp.StatusCode, body)
	}
	moved, _ := e.tickets.FindTicketByID(context.Background(), tk.ID)
	if agency, source, ok := moved.RoutingLabel(); !ok || agency != "nav" || source != ticket.LabelMoved || !strings.HasPrefix(moved.Routing.Reason, "Forslag fra modellen (") {
		t.Errorf("after the move: %s, %+v; label %s %s %v", moved.Agency, moved.Routing, agency, source, ok)
	}
	if after, _ := e.tickets.RoutingLabelsVersion(context.Background()); after == before {
		t.Error("the move is no new label")
	}
	if _, body := agent.get("/saker/" + tk.Ref.String()); strings.Contains(body, "forslag-tittel") {
		t.Error("«Forslag» still shown after staff moved the ticket")
	}
}

// TestSuggestionBoxWeakRule: «Forslag» on a ticket a rule routed on a topic word only, when the
// model disagrees, names the rule and what it chose on.
func TestSuggestionBoxWeakRule(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080")
	a := e.withLearning(ticket.LearnSuggest, 150)
	rules := "[[rules]]\nname = \"Mistet jobb til Skatteetaten\"\nwords = [\"mistet jobben\"]\nagency = \"skatteetaten\"\n"
	ctx := ticket.NewContextWithActor(context.Background(), ticket.Actor{Name: "admin@ks.no", Role: ticket.RoleAdmin})
	if _, err := a.SaveRules(ctx, rules, "prøve"); err != nil {
		t.Fatal(err)
	}
	tk := e.routedTicket(a, lostJobSubject, laidOff)
	if tk.Routing.Rule != "Mistet jobb til Skatteetaten" || tk.Agency != "skatteetaten" {
		t.Fatalf("routed %s by %q, want Skatteetaten by the topic rule", tk.Agency, tk.Routing.Rule)
	}
	agent := e.browser()
	agent.login("agent@ks.no")
	resp, body := agent.get("/saker/" + tk.Ref.String())
	for _, want := range []string{`<h2 id="forslag-tittel">Forslag</h2>`,
		"Regelen «Mistet jobb til Skatteetaten» valgte Skatteetaten på et temaord (ord «mistet jobben» i emnet).", "% sikker på NAV</strong>",
		"Flytt til NAV</button>"} {
		if !strings.Contains(body, want) {
			t.Errorf("ticket page lacks %q", want)
		}
	}
	if resp.StatusCode != http.StatusOK || strings.Contains(body, "Ingen regel valgte etat.") {
		t.Errorf("status %d, or the box says no rule chose", resp.StatusCode)
	}
}

func TestSuggestionBoxHidden(t *testing.T) {
	tests := []struct {
		name          string
		mode          ticket.LearnMode
		subject, text string
	}{
		{"learning off", ticket.LearnOff, lostJobSubject, laidOff},
		{"a rule routed the ticket", ticket.LearnSuggest, "Meldekort", "Meldekortet kommer ikke fram."},
		{"the model knows no word", ticket.LearnSuggest, "Xyzzy", "Qwertz uiop."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEnv(t, "http://127.0.0.1:8080")
			a := e.withLearning(tt.mode, 80)
			tk := e.routedTicket(a, tt.subject, tt.text)
			agent := e.browser()
			agent.login("agent@ks.no")
			if resp, body := agent.get("/saker/" + tk.Ref.String()); resp.StatusCode != http.StatusOK || strings.Contains(body, "forslag-tittel") {
				t.Errorf("status %d, «Forslag» shown: %v", resp.StatusCode, strings.Contains(body, "forslag-tittel"))
			}
		})
	}
}

// TestSuggestionRouted: in mode "route" the model moved the ticket, and the box says so.
func TestSuggestionRouted(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080")
	a := e.withLearning(ticket.LearnRoute, 150)
	a.Threshold = 0.6
	tk := e.routedTicket(a, lostJobSubject, laidOff)
	if tk.Agency != "nav" || tk.Routing.Rule != ticket.RuleModel {
		t.Fatalf("routed %s by %q, want NAV by the model", tk.Agency, tk.Routing.Rule)
	}
	agent := e.browser()
	agent.login("agent@ks.no")
	_, body := agent.get("/saker/" + tk.Ref.String())
	for _, want := range []string{"Modellen sendte saken hit", "Saken ligger allerede hos NAV",
		"Saken ble sendt til NAV fordi ingen regel valgte etat, så modellen som lærer av saksbehandlernes valg, avgjorde: den er",
		"Rutet til NAV: ingen regel valgte etat, så modellen"} {
		if !strings.Contains(body, want) {
			t.Errorf("ticket page lacks %q", want)
		}
	}
}

// TestRulesPageModelStatus: /admin/regler shows the model's held-out accuracy beside the rules',
// and the dry-run compares both with staff's choices.
func TestRulesPageModelStatus(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080")
	a := e.withLearning(ticket.LearnRoute, 150)
	admin := e.browser()
	admin.login("admin@ks.no")
	resp, body := admin.get("/admin/regler")
	st := a.ModelStatus()
	for _, want := range []string{"Modellen som lærer av saksbehandlerne", "sender slike saker selv når den er minst 99 % sikker",
		"på 150 saker saksbehandlerne har avgjort", "Treffsikkerhet på " + strconv.Itoa(st.HeldOut) + " avgjorte saker",
		"<th scope=\"row\">Reglene i bruk alene</th><td>" + shareOf(st.RulesRight, st.HeldOut), "<th scope=\"row\">Modellen alene</th><td>" + shareOf(st.ModelRight, st.HeldOut),
		"Per etat saksbehandlerne valgte"} {
		if !strings.Contains(body, want) {
			t.Errorf("rules page lacks %q", want)
		}
	}
	if resp.StatusCode != http.StatusOK || st.HeldOut == 0 {
		t.Fatalf("status %d, held out %d", resp.StatusCode, st.HeldOut)
	}
	form := url.Values{"csrf": {admin.csrf("/admin/regler")}, "text": {string(routing.DefaultRulesText)}, "since": {""}}
	resp, body = admin.post("/admin/regler/prov", form)
	for _, want := range []string{"Sammenlignet med saksbehandlernes valg", "150 av sakene er avgjort av saksbehandlerne", "modellen alene i "} {
		if !strings.Contains(body, want) {
			t.Errorf("dry-run lacks %q", want)
		}
	}
	if resp.StatusCode != http.StatusOK {
		t.Errorf("dry-run: status %d", resp.StatusCode)
	}
}

// TestRulesPageModelSeed: with the seed built into the program and no staff labels, /admin/regler
// says how many seed questions and staff labels the model has, and that the held-out figures
// wait for staff's labels.
func TestRulesPageModelSeed(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080")
	a := e.withRouting()
	a.Learn, a.Labels, a.Seed = ticket.LearnRoute, e.tickets, true
	if _, err := a.Retrain(context.Background()); err != nil {
		t.Fatal(err)
	}
	e.srv.Learning = a
	st := a.ModelStatus()
	if !st.Ready || st.Seed == 0 || st.Labels != 0 {
		t.Fatalf("status %+v: want ready on the seed alone", st)
	}
	admin := e.browser()
	admin.login("admin@ks.no")
	resp, body := admin.get("/admin/regler")
	for _, want := range []string{"på 0 saker saksbehandlerne har avgjort (0 flyttet for hånd, resten løst der de lå) og " + strconv.Itoa(st.Seed) + " eksempelspørsmål som er bygd inn i programmet",
		"Treffsikkerheten måles bare på saker saksbehandlerne har avgjort, aldri på eksempelspørsmålene", "Det er ingen ennå, så den kan ikke måles.",
		"som selve spørsmålet gjelder, uten at spørsmålet også peker mot en annen etat", "en tjeneste nevnt i forbifarten eller i et spørsmål som også peker mot en annen etat"} {
		if !strings.Contains(body, want) {
			t.Errorf("rules page lacks %q", want)
		}
	}
	if strings.Contains(body, "Den vises og brukes først") || strings.Contains(body, "Treffsikkerhet på ") {
		t.Error("rules page says the model is not ready, or shows held-out figures without staff labels")
	}
	if resp.StatusCode != http.StatusOK {
		t.Errorf("status %d", resp.StatusCode)
	}
}

func shareOf(right, total int) string {
	return strconv.Itoa(right) + " av " + strconv.Itoa(total) + " ("
}
