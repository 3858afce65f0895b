package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/ticket"
)

// staffEnv is a test server with the staff wiring: similar questions and the places list.
func staffEnv(t *testing.T) *testEnv {
	e := newTestEnv(t, "http://127.0.0.1:8080")
	e.srv.Similar = e.tickets
	e.srv.Places = places() // the real 357 municipalities from routing
	return e
}

// index drains the search queue as the background indexer would.
func (e *testEnv) index() {
	e.t.Helper()
	for {
		n, err := e.db.IndexSearch(context.Background(), 100)
		if err != nil {
			e.t.Fatal(err)
		}
		if n < 100 {
			return
		}
	}
}

// bulkTicket stores a ticket with times in the past (BulkLoad keeps them).
func (e *testEnv) bulkTicket(subject string, created time.Time, mod func(*ticket.Ticket)) *ticket.Ticket {
	e.t.Helper()
	tk := &ticket.Ticket{Subject: subject, Status: ticket.StatusNew, Agency: "ks", Priority: ticket.PriorityNormal, Channel: ticket.ChannelEmail,
		Requester: ticket.Requester{Name: "Per Hansen", Email: "per@bergen.kommune.no",
			Municipality: ticket.Municipality{Number: "4601", Name: "Bergen"}, County: ticket.County{Number: "46", Name: "Vestland"}},
		CreatedAt: created, UpdatedAt: created}
	if mod != nil {
		mod(tk)
	}
	m := &ticket.Message{Direction: ticket.DirectionIn, From: tk.Requester.Email, Text: subject, CreatedAt: created}
	if err := e.db.BulkLoad(context.Background(), []data.BulkTicket{{Ticket: tk, Messages: []*ticket.Message{m}}}); err != nil {
		e.t.Fatal(err)
	}
	return tk
}

func (e *testEnv) userKey(email string) string {
	e.t.Helper()
	u, err := e.users.FindUserByEmail(context.Background(), email)
	if err != nil {
		e.t.Fatal(err)
	}
	return "u" + strconv.FormatUint(u.ID, 10)
}

func TestInboxFilters(t *testing.T) {
	e := staffEnv(t)
	ctx := context.Background()
	mine := e.createTicket("Min sak om BankID", "kari@lillehammer.kommune.no")
	if _, err := e.tickets.UpdateTicket(ctx, mine.ID, ticket.TicketUpdate{Assignee: ptr("agent@ks.no")}); err != nil {
		t.Fatal(err)
	}
	admins := e.createTicket("Admins sak", "ola@lillehammer.kommune.no")
	if _, err := e.tickets.UpdateTicket(ctx, admins.ID, ticket.TicketUpdate{Assignee: ptr("admin@ks.no"), Agency: ptr("nav")}); err != nil {
		t.Fatal(err)
	}
	old := e.bulkTicket("Gammel ubesvart sak fra Bergen", time.Now().AddDate(0, 0, -7), func(tk *ticket.Ticket) { tk.Channel = ticket.ChannelWeb })
	br := e.browser()
	br.login("agent@ks.no")
	tests := []struct {
		name, path   string
		want, absent []string
	}{
		{"mine", "/innboks?tildelt=meg", []string{mine.Ref.String(), "1 sak<"}, []string{admins.Ref.String(), old.Ref.String()}},
		{"unassigned", "/innboks?tildelt=ingen", []string{old.Ref.String()}, []string{mine.Ref.String(), admins.Ref.String()}},
		{"a person", "/innboks?tildelt=" + e.userKey("admin@ks.no"), []string{admins.Ref.String()}, []string{mine.Ref.String()}},
		{"municipality number", "/innboks?kommune=4601", []string{old.Ref.String()}, []string{mine.Ref.String()}},
		{"municipality name", "/innboks?kommune=Bergen", []string{old.Ref.String()}, []string{mine.Ref.String()}},
		{"county", "/innboks?fylke=46", []string{old.Ref.String()}, []string{mine.Ref.String()}},
		{"channel", "/innboks?kanal=web", []string{old.Ref.String()}, []string{mine.Ref.String()}},
		{"agency and assignee", "/innboks?etat=nav&tildelt=" + e.userKey("admin@ks.no"), []string{admins.Ref.String()}, []string{mine.Ref.String()}},
		{"overdue view", "/innboks?vis=forfalt", []string{old.Ref.String(), "arbeidstimer", ">Forfalt</span>"}, []string{mine.Ref.String()}},
		{"tab counts keep filters", "/innboks?tildelt=meg", []string{`href="/innboks?tildelt=meg&amp;vis=ny"`}, nil},
		{"no address in links", "/innboks?tildelt=" + e.userKey("admin@ks.no"), nil, []string{"tildelt=admin"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkPage(t, br, tt.path, tt.want, tt.absent)
		})
	}
	for _, path := range []string{"/innboks?kommune=Atlantis", "/innboks?fylke=abc", "/innboks?kanal=fax", "/innboks?etat=ukjent", "/innboks?tildelt=u999"} {
		resp, body := br.get(path)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `class="field-error"`) {
			t.Errorf("%s: status %d, want 400 with the error shown", path, resp.StatusCode)
		}
	}
}

func TestInboxSearch(t *testing.T) {
	e := staffEnv(t)
	hit := e.createTicket("Skattekortet til en ny ansatt", "kari@lillehammer.kommune.no")
	other := e.createTicket("Kurs for seniorer", "per@hamar.kommune.no")
	e.index()
	br := e.browser()
	br.login("agent@ks.no")
	// a search is POSTed and lands on its own address, /innboks?sok=<id>, which search follows
	search := func(q string) (*http.Response, string) {
		resp, body := br.post("/innboks/sok", url.Values{"csrf": {br.csrf("/innboks")}, "q": {q}})
		if loc := resp.Header.Get("Location"); resp.StatusCode == http.StatusSeeOther && strings.HasPrefix(loc, "/innboks?") {
			if strings.Contains(loc, "q=") || strings.Contains(strings.ToLower(loc), url.QueryEscape(strings.ToLower(q))) {
				t.Errorf("%q: the search text is in its address %s", q, loc)
			}
			return br.get(loc)
		}
		return resp, body
	}
	resp, body := search("skattekort")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, hit.Ref.String()) || strings.Contains(body, other.Ref.String()) {
		t.Fatalf("search: status %d, want only %s", resp.StatusCode, hit.Ref)
	}
	if !strings.Contains(body, "1 treff") {
		t.Error("search page lacks the number of hits")
	}
	if resp, _ := search(strings.ToLower(other.Ref.String())); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/saker/"+other.Ref.String() {
		t.Errorf("reference: status %d to %q, want the ticket", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp, _ := search("  "); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/innboks" {
		t.Errorf("empty search: status %d to %q, want back to the inbox", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, body = search("og på")
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "q-feil") {
		t.Errorf("stop words only: status %d, want 400 with the error beside the field", resp.StatusCode)
	}
	for _, q := range []string{`"skattekortet til en ny"`, "«ny ansatt»", "kommune -hamar", `kommune -"kurs for seniorer"`} {
		resp, body = search(q)
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, hit.Ref.String()) || strings.Contains(body, other.Ref.String()) {
			t.Errorf("%s: status %d, want only %s", q, resp.StatusCode, hit.Ref)
		}
	}
	if resp, body = search(`"ansatt skattekortet"`); resp.StatusCode != http.StatusOK || !strings.Contains(body, "0 treff") {
		t.Errorf("a phrase in another order: status %d, want no hits", resp.StatusCode)
	}
	if resp, body = search("-skattekort"); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "minus") {
		t.Errorf("only a word left out: status %d, want 400 saying why", resp.StatusCode)
	}
	if _, body := br.get("/innboks?q=skattekort&vis=alle"); !strings.Contains(body, other.Ref.String()) {
		t.Error("a search in the URL was obeyed; searches are POST only")
	}
	if resp, _ := br.post("/innboks/sok", url.Values{"q": {"skattekort"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("search without CSRF token: status %d, want 403", resp.StatusCode)
	}
}

func TestAPISearch(t *testing.T) {
	e := staffEnv(t)
	token := e.apiToken()
	hit := e.createTicket("Søknad om dagpenger", "kari@lillehammer.kommune.no")
	e.createTicket("Kurs for seniorer", "per@hamar.kommune.no")
	e.index()
	resp, v := e.api(http.MethodGet, "/api/v1/tickets?q=s%C3%B8knader", token)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %v", resp.StatusCode, v)
	}
	list := v["tickets"].([]any)
	if len(list) != 1 || list[0].(map[string]any)["ref"] != hit.Ref.String() {
		t.Fatalf("got %v, want %s", list, hit.Ref)
	}
	if resp, _ := e.api(http.MethodGet, "/api/v1/tickets?q=og", token); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("stop word query: status %d, want 400", resp.StatusCode)
	}
}

// checkPage loads path and checks that it is there (200) with every want and no absent.
func checkPage(t *testing.T, br *browser, path string, want, absent []string) {
	t.Helper()
	resp, body := br.get(path)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("page lacks %q", w)
		}
	}
	for _, w := range absent {
		if strings.Contains(body, w) {
			t.Errorf("page has %q", w)
		}
	}
}
