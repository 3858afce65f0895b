package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/ks-no/digihjelpen/ticket"
)

// TestSavedViews: an agent saves «my NAV tickets» for herself and «unassigned» for the team;
// both are listed with their counts beside the built-in views; a colleague sees only the
// shared one, counted for him, and may not delete it; a name taken is refused beside the field.
func TestSavedViews(t *testing.T) {
	e := staffEnv(t)
	e.addUser("ola@ks.no", ticket.RoleAgent)
	for _, s := range []string{"Dagpenger", "Sykepenger"} {
		tk := e.createTicket(s, "per@hamar.kommune.no")
		if _, err := e.tickets.UpdateTicket(context.Background(), tk.ID, ticket.TicketUpdate{Agency: ptr("nav"), Assignee: ptr("agent@ks.no")}); err != nil {
			t.Fatal(err)
		}
	}
	e.createTicket("Kurs", "kari@lillehammer.kommune.no")
	agent := e.browser()
	agent.login("agent@ks.no")
	save := func(br *browser, name, shared string, filters url.Values) (*http.Response, string) {
		filters.Set("csrf", br.csrf("/innboks"))
		filters.Set("navn", name)
		if shared != "" {
			filters.Set("delt", shared)
		}
		return br.post("/innboks/visninger", filters)
	}
	resp, _ := save(agent, "Mine NAV-saker", "", url.Values{"vis": {"aktive"}, "etat": {"nav"}, "tildelt": {"meg"}})
	if resp.StatusCode != http.StatusSeeOther || !strings.Contains(resp.Header.Get("Location"), "etat=nav") {
		t.Fatalf("save: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp, _ := save(agent, "Ufordelte", "ja", url.Values{"vis": {"aktive"}, "tildelt": {"ingen"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save shared: %d", resp.StatusCode)
	}
	_, body := agent.get("/innboks")
	views := regexp.MustCompile(`(?s)<nav aria-label="Lagrede visninger".*?</nav>`).FindString(body)
	if !regexp.MustCompile(`Mine NAV-saker <span class="count">2</span>`).MatchString(views) ||
		!regexp.MustCompile(`Ufordelte.*?delt.*?<span class="count">1</span>`).MatchString(views) {
		t.Fatalf("saved views with counts:\n%s", views)
	}
	ola := e.browser()
	ola.login("ola@ks.no")
	_, body = ola.get("/innboks")
	views = regexp.MustCompile(`(?s)<nav aria-label="Lagrede visninger".*?</nav>`).FindString(body)
	if strings.Contains(views, "Mine NAV-saker") || !strings.Contains(views, "Ufordelte") {
		t.Fatalf("Ola's saved views:\n%s", views)
	}
	id := regexp.MustCompile(`visning=(\d+)"[^>]*>Ufordelte`).FindStringSubmatch(views)
	if id == nil {
		t.Fatal("no link to the shared view")
	}
	if resp, _ := ola.post("/innboks/visninger/"+id[1]+"/slett", url.Values{"csrf": {ola.csrf("/innboks")}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("Ola deleting the agent's shared view: %d, want 403", resp.StatusCode)
	}
	if resp, body := save(ola, "ufordelte", "", url.Values{"vis": {"alle"}}); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "Det finnes alt en visning") {
		t.Errorf("a name taken: %d", resp.StatusCode)
	}
	if resp, _ := agent.post("/innboks/visninger/"+id[1]+"/slett", url.Values{"csrf": {agent.csrf("/innboks")}, "tilbake": {"/innboks?vis=alle"}}); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/innboks?vis=alle" {
		t.Errorf("the agent deleting her view: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if _, body := ola.get("/innboks"); strings.Contains(body, "Ufordelte") {
		t.Error("a deleted view is still listed")
	}
}
