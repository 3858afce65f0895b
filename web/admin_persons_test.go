package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/ks-no/digihjelpen/ticket"
)

// personTickets makes two tickets of kari, one of someone else that has her on copy, and one
// that has nothing to do with her.
func personTickets(e *testEnv) (own []*ticket.Ticket, copied, other *ticket.Ticket) {
	e.t.Helper()
	own = []*ticket.Ticket{e.createTicket("BankID på mobil", "kari.nordmann@hamar.kommune.no"), e.createTicket("Kurs", "kari.nordmann@hamar.kommune.no")}
	copied = ticketFrom(e, "Skjema", "Per Hansen", "per@bergen.kommune.no")
	if _, err := e.tickets.AppendMessage(context.Background(), copied.ID, &ticket.Message{Direction: ticket.DirectionIn,
		From: "per@bergen.kommune.no", Cc: []string{"kari.nordmann@hamar.kommune.no"}, Text: "Kari vet mer."},
		ticket.AppendOptions{Participants: []string{"kari.nordmann@hamar.kommune.no"}}); err != nil {
		e.t.Fatal(err)
	}
	other = ticketFrom(e, "Annet", "Ola Hansen", "ola@oslo.kommune.no")
	e.index()
	return own, copied, other
}

// ticketFrom makes a ticket from name <email>.
func ticketFrom(e *testEnv, subject, name, email string) *ticket.Ticket {
	e.t.Helper()
	tk := &ticket.Ticket{Subject: subject, Status: ticket.StatusNew, Agency: "ks", Priority: ticket.PriorityNormal, Channel: ticket.ChannelWeb,
		Requester: ticket.Requester{Name: name, Email: email}}
	if err := e.tickets.CreateTicket(context.Background(), tk, &ticket.Message{Direction: ticket.DirectionIn, From: email, Text: "Hei"}, ticket.CreateOptions{}); err != nil {
		e.t.Fatal(err)
	}
	return tk
}

// zipRefs reads a person export and returns the references in its person.json.
func zipRefs(t *testing.T, body []byte) []string {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	var doc struct {
		Tickets []struct{ Ref, Role string } `json:"tickets"`
	}
	names := map[string]bool{}
	for _, f := range z.File {
		names[f.Name] = true
		if f.Name != "person.json" {
			continue
		}
		r, _ := f.Open()
		if err := json.NewDecoder(r).Decode(&doc); err != nil {
			t.Fatal(err)
		}
	}
	if !names["sammendrag.html"] {
		t.Errorf("no readable summary in %v", names)
	}
	var refs []string
	for _, tk := range doc.Tickets {
		refs = append(refs, tk.Ref+" "+tk.Role)
	}
	return refs
}

func TestAdminPersonExportAndErase(t *testing.T) {
	e := newAdminEnv(t)
	own, copied, other := personTickets(e)
	admin := e.browser()
	admin.login("admin@ks.no")
	csrf := admin.csrf("/admin/personer")

	resp, body := admin.post("/admin/personer/innsyn", url.Values{"csrf": {csrf}, "epost": {"ikke-en-adresse"}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="epost-feil"`) {
		t.Fatalf("a bad address: %d, want the error beside the field", resp.StatusCode)
	}
	resp, body = admin.post("/admin/personer/innsyn", url.Values{"csrf": {csrf}, "epost": {"ingen@finnes.no"}})
	if resp.StatusCode != http.StatusNotFound || !strings.Contains(body, "Det er ikke lagret noe om ingen@finnes.no.") {
		t.Fatalf("nothing stored: %d", resp.StatusCode)
	}
	resp, body = admin.post("/admin/personer/innsyn", url.Values{"csrf": {csrf}, "epost": {"Kari.Nordmann@hamar.kommune.no"}})
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/zip" ||
		!strings.Contains(resp.Header.Get("Content-Disposition"), "innsyn-kari.nordmann@hamar.kommune.no") {
		t.Fatalf("export: %d %s %s", resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Content-Disposition"))
	}
	refs := strings.Join(zipRefs(t, []byte(body)), ",")
	want := own[0].Ref.String() + " innsender," + own[1].Ref.String() + " innsender," + copied.Ref.String() + " deltaker"
	if refs != want || strings.Contains(refs, other.Ref.String()) {
		t.Fatalf("export holds %s, want %s", refs, want)
	}

	resp, body = admin.post("/admin/personer/slett", url.Values{"csrf": {csrf}, "epost": {"kari.nordmann@hamar.kommune.no"}})
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Slette alt om kari.nordmann@hamar.kommune.no?") {
		t.Fatalf("confirmation: %d", resp.StatusCode)
	}
	if list, _, _ := e.tickets.FindTickets(context.Background(), ticket.TicketFilter{Query: "kari.nordmann@hamar.kommune.no", Limit: 5}); len(list) == 0 {
		t.Fatal("the confirmation page erased already")
	}
	resp, body = admin.post("/admin/personer/slett/bekreft", url.Values{"csrf": {csrf}, "epost": {"kari.nordmann@hamar.kommune.no"}})
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Personopplysningene er slettet") {
		t.Fatalf("erase: %d %s", resp.StatusCode, body)
	}
	for _, want := range []string{"<dt>Egne saker anonymisert</dt><dd>2</dd>", "<dt>Andre saker renset</dt><dd>1</dd>"} {
		if !strings.Contains(body, want) {
			t.Errorf("result page lacks %q", want)
		}
	}
	agent := e.browser()
	agent.login("agent@ks.no")
	for _, q := range []string{"kari.nordmann@hamar.kommune.no", "Kari Nordmann"} {
		resp, body := agent.post("/innboks/sok", url.Values{"csrf": {agent.csrf("/innboks")}, "q": {q}})
		if resp.StatusCode == http.StatusSeeOther {
			_, body = agent.get(loc(resp))
		}
		for _, tk := range append(own, copied) {
			if strings.Contains(body, tk.Ref.String()) {
				t.Errorf("search %q after erasure finds %s", q, tk.Ref)
			}
		}
	}
	if got, _ := e.tickets.FindTicketByID(context.Background(), copied.ID); got.Requester.Email != "per@bergen.kommune.no" {
		t.Errorf("someone else's ticket lost its requester: %+v", got.Requester)
	}
}

func TestAPIPersons(t *testing.T) {
	e := newAdminEnv(t)
	own, copied, _ := personTickets(e)
	admin, agent := e.addToken("personvern", ticket.RoleAdmin), e.apiToken()
	call := func(method, path, token string) (*http.Response, []byte) {
		req := httptest.NewRequest(method, path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := e.srv.App().Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		return resp, body
	}
	if resp, body := call(http.MethodGet, "/api/v1/persons/kari.nordmann@hamar.kommune.no", agent); resp.StatusCode != http.StatusForbidden ||
		!strings.Contains(string(body), "rollen admin") {
		t.Fatalf("agent token: %d %s", resp.StatusCode, body)
	}
	resp, body := call(http.MethodGet, "/api/v1/persons/kari.nordmann%40hamar.kommune.no", admin)
	if resp.StatusCode != http.StatusOK || len(zipRefs(t, body)) != 3 {
		t.Fatalf("GET: %d, tickets %v", resp.StatusCode, zipRefs(t, body))
	}
	if resp, _ := call(http.MethodDelete, "/api/v1/persons/kari.nordmann@hamar.kommune.no", agent); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("agent token may erase: %d", resp.StatusCode)
	}
	resp, body = call(http.MethodDelete, "/api/v1/persons/kari.nordmann@hamar.kommune.no", admin)
	var er struct {
		Email             string
		Tickets, Scrubbed int
		Remaining         int
	}
	if err := json.Unmarshal(body, &er); err != nil || resp.StatusCode != http.StatusOK ||
		er.Email != "kari.nordmann@hamar.kommune.no" || er.Tickets != len(own) || er.Scrubbed != 1 || er.Remaining != 0 {
		t.Fatalf("DELETE: %d %s", resp.StatusCode, body)
	}
	if resp, body := call(http.MethodDelete, "/api/v1/persons/agent@ks.no", admin); resp.StatusCode != http.StatusConflict ||
		!strings.Contains(string(body), "ansattkonto") {
		t.Errorf("erasing a staff address: %d %s, want 409", resp.StatusCode, body)
	}
	for _, method := range []string{http.MethodGet, http.MethodDelete} {
		if resp, body := call(method, "/api/v1/persons/kari.nordmann@hamar.kommune.no", admin); resp.StatusCode != http.StatusNotFound ||
			!strings.Contains(string(body), `"code":"not_found"`) {
			t.Errorf("%s after erasure: %d %s", method, resp.StatusCode, body)
		}
	}
	if resp, body := call(http.MethodGet, "/api/v1/persons/ikke-en-adresse", admin); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("a bad address: %d %s", resp.StatusCode, body)
	}
	events, _ := e.srv.Events.FindEvents(context.Background(), 0)
	var lines []string
	for _, ev := range events {
		if ev.Kind == ticket.EventPerson {
			lines = append(lines, ev.Actor+" "+ev.To+" "+ev.Detail)
		}
	}
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "token:personvern [anonymisert] innsyn") ||
		!strings.Contains(lines[1], "sletting på forespørsel (kjennetegn ") || strings.Contains(strings.Join(lines, ""), "kari") {
		t.Errorf("audit lines %q", lines)
	}
	if got, _ := e.tickets.FindTicketByID(context.Background(), copied.ID); got.IsParticipant("kari.nordmann@hamar.kommune.no") {
		t.Error("still a participant of someone else's ticket")
	}
}
