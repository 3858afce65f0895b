package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/ks-no/digihjelpen/ticket"
)

// TestInboxMarkers: a ticket that came in is «Ny» to an agent until they open it; the
// requester's answer marks it «Nytt svar» until they open it again; another agent's markers
// are their own. Under the subject is the start of the latest message.
func TestInboxMarkers(t *testing.T) {
	e := staffEnv(t)
	e.addUser("ola@ks.no", ticket.RoleAgent)
	tk := e.createTicket("Kurs i BankID", "kari@lillehammer.kommune.no")
	agent, ola := e.browser(), e.browser()
	agent.login("agent@ks.no")
	ola.login("ola@ks.no")
	row := func(br *browser) string {
		t.Helper()
		_, body := br.get("/innboks")
		m := regexp.MustCompile(`(?s)<tr[^>]*data-id="` + strconv.FormatUint(tk.ID, 10) + `">.*?</tr>`).FindString(body)
		if m == "" {
			t.Fatalf("no row for %s", tk.Ref)
		}
		return m
	}
	if r := row(agent); !strings.Contains(r, "marker-ny") || !strings.Contains(r, `class="unread"`) {
		t.Fatalf("a new ticket is not marked new:\n%s", r)
	}
	if r := row(agent); !strings.Contains(r, `<span class="latest-label">Innkommende:</span> Hei, &lt;b&gt;hvordan&lt;/b&gt; gjør vi dette?`) {
		t.Errorf("the row lacks the latest message's start (escaped):\n%s", r)
	}
	agent.get("/saker/" + tk.Ref.String())
	if r := row(agent); strings.Contains(r, "marker-") {
		t.Errorf("an opened ticket is still marked:\n%s", r)
	}
	if r := row(ola); !strings.Contains(r, "marker-ny") {
		t.Errorf("Ola's marker went when the agent opened the ticket:\n%s", r)
	}
	reply := &ticket.Message{Direction: ticket.DirectionIn, From: "kari@lillehammer.kommune.no", Text: "Takk, det hjalp!"}
	if _, err := e.tickets.AppendMessage(context.Background(), tk.ID, reply, ticket.AppendOptions{}); err != nil {
		t.Fatal(err)
	}
	if r := row(agent); !strings.Contains(r, "marker-svar") || !strings.Contains(r, "Nytt svar") || !strings.Contains(r, "Takk, det hjalp!") {
		t.Errorf("the requester's answer is not marked:\n%s", r)
	}
}

// TestInboxChangesPoll: the poll answers 204 while nothing changed and names a new token after
// a change; the inbox offers «Oppdater» (its own address) for pages without JavaScript.
func TestInboxChangesPoll(t *testing.T) {
	e := staffEnv(t)
	br := e.browser()
	br.login("agent@ks.no")
	_, body := br.get("/innboks?vis=alle&etat=ks")
	m := regexp.MustCompile(`id="oppdater"[^>]*data-poll="([^"]+)"`).FindStringSubmatch(body)
	if m == nil || !strings.Contains(body, `href="/innboks?etat=ks&amp;vis=alle" id="oppdater"`) {
		t.Fatalf("no «Oppdater» link to this page with a poll address:\n%s", body)
	}
	poll := strings.ReplaceAll(m[1], "&amp;", "&")
	if resp, _ := br.get(poll); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("nothing changed: %d, want 204", resp.StatusCode)
	}
	e.createTicket("Ny sak", "per@hamar.kommune.no")
	resp, answer := br.get(poll)
	var v struct{ Siden, Poll string }
	if resp.StatusCode != http.StatusOK || json.Unmarshal([]byte(answer), &v) != nil || v.Poll == "" || v.Poll == poll {
		t.Fatalf("after a change: %d %s", resp.StatusCode, answer)
	}
	if resp, _ := br.get(v.Poll); resp.StatusCode != http.StatusNoContent {
		t.Errorf("the new token: %d, want 204", resp.StatusCode)
	}
	if resp, _ := e.browser().get(poll); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("the poll without a session: %d, want the login", resp.StatusCode)
	}
}

// TestInboxSearchAddress: a search lands on an address of its own that keeps the filters, that
// a colleague can open, and that names neither the text nor a person; an unknown id says so.
func TestInboxSearchAddress(t *testing.T) {
	e := staffEnv(t)
	e.addUser("ola@ks.no", ticket.RoleAgent)
	hit := e.createTicket("Skattekortet til en ny ansatt", "kari@lillehammer.kommune.no")
	nav := e.createTicket("Skattekort for sommerjobb", "per@hamar.kommune.no")
	if _, err := e.tickets.UpdateTicket(context.Background(), nav.ID, ticket.TicketUpdate{Agency: ptr("nav")}); err != nil {
		t.Fatal(err)
	}
	e.index()
	br := e.browser()
	br.login("agent@ks.no")
	resp, _ := br.post("/innboks/sok", url.Values{"csrf": {br.csrf("/innboks?etat=ks")}, "q": {"Kari Nordmann skattekort"}, "etat": {"ks"}})
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/innboks?") || !strings.Contains(loc, "etat=ks") || !strings.Contains(loc, "sok=") {
		t.Fatalf("search: %d to %q, want its own address with the filter", resp.StatusCode, loc)
	}
	if strings.Contains(strings.ToLower(loc), "kari") || strings.Contains(loc, "skatt") {
		t.Fatalf("the address %q names the search", loc)
	}
	for _, who := range []string{"agent@ks.no", "ola@ks.no"} {
		b := e.browser()
		b.login(who)
		_, body := b.get(loc)
		if !strings.Contains(body, hit.Ref.String()) || strings.Contains(body, nav.Ref.String()) || !strings.Contains(body, `value="Kari Nordmann skattekort"`) {
			t.Errorf("%s opening the address: want %s only, the filter kept and the text in the box", who, hit.Ref)
		}
	}
	again, _ := br.post("/innboks/sok", url.Values{"csrf": {br.csrf("/innboks")}, "q": {"Kari Nordmann skattekort"}, "etat": {"ks"}})
	if again.Header.Get("Location") != loc {
		t.Errorf("the same search twice: %q and %q", loc, again.Header.Get("Location"))
	}
	if resp, body := br.get("/innboks?sok=finnes-ikke"); resp.StatusCode != http.StatusNotFound || !strings.Contains(body, "Søket finnes ikke lenger") {
		t.Errorf("an unknown search: %d", resp.StatusCode)
	}
}
