package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/ks-no/digihjelpen/ticket"
)

// picks are the checkbox values of the inbox page at path: "id:version" of each row.
func picks(t *testing.T, br *browser, path string) []string {
	t.Helper()
	_, body := br.get(path)
	var out []string
	for _, m := range regexp.MustCompile(`name="sak" value="(\d+:\d+)"`).FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

// TestBulkAssignLeavesOutWhatChanged: the agent ticks three tickets and asks to give them to
// the admin; the confirmation lists them; before it is confirmed someone changes one; the
// confirmation changes the other two, each with one line in its history, and names the one
// left out.
func TestBulkAssignLeavesOutWhatChanged(t *testing.T) {
	e := staffEnv(t)
	a := e.createTicket("Første", "a@x.no")
	b := e.createTicket("Andre", "b@x.no")
	c := e.createTicket("Tredje", "c@x.no")
	br := e.browser()
	br.login("agent@ks.no")
	chosen := picks(t, br, "/innboks")
	if len(chosen) != 3 {
		t.Fatalf("checkboxes %v", chosen)
	}
	users, _ := e.users.FindUsers(context.Background())
	var adminKey string
	for _, u := range users {
		if u.Email == "admin@ks.no" {
			adminKey = fmt.Sprintf("u%d", u.ID)
		}
	}
	form := url.Values{"csrf": {br.csrf("/innboks")}, "sak": chosen, "handling": {"tildel"}, "tildel-til": {adminKey}, "tilbake": {"/innboks?vis=aktive"}}
	resp, body := br.post("/innboks/masse", form)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Tildel 3 saker til Test admin.") {
		t.Fatalf("ask: %d\n%s", resp.StatusCode, body)
	}
	for _, tk := range []*ticket.Ticket{a, b, c} {
		if !strings.Contains(body, tk.Ref.String()) {
			t.Errorf("the confirmation lacks %s", tk.Ref)
		}
	}
	// meanwhile someone raises B's priority
	if _, err := e.tickets.UpdateTicket(context.Background(), b.ID, ticket.TicketUpdate{Priority: ptr(ticket.PriorityHigh)}); err != nil {
		t.Fatal(err)
	}
	form.Set("csrf", csrfInput.FindStringSubmatch(body)[1])
	resp, body = br.post("/innboks/masse/bekreft", form)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "2 saker ble endret") || !strings.Contains(body, "1 ble ikke tatt med") {
		t.Fatalf("do: %d\n%s", resp.StatusCode, body)
	}
	if !regexp.MustCompile(`(?s)Ikke tatt med.*` + b.Ref.String() + `.*Endret av noen andre`).MatchString(body) {
		t.Errorf("the result does not name %s as changed meanwhile:\n%s", b.Ref, body)
	}
	if !strings.Contains(body, `href="/innboks?vis=aktive"`) {
		t.Error("no way back to the inbox page the work began on")
	}
	for _, tk := range []*ticket.Ticket{a, b, c} {
		got, _ := e.tickets.FindTicketByID(context.Background(), tk.ID)
		want := "admin@ks.no"
		if tk.ID == b.ID {
			want = ""
		}
		if got.Assignee != want {
			t.Errorf("%s assigned to %q, want %q", tk.Ref, got.Assignee, want)
		}
		events, _ := e.srv.Events.FindEvents(context.Background(), tk.ID)
		n := 0
		for _, ev := range events {
			if ev.Kind == ticket.EventAssigned {
				n++
			}
		}
		if tk.ID != b.ID && n != 1 {
			t.Errorf("%s has %d assignment lines, want 1", tk.Ref, n)
		}
	}
}

// TestBulkAskRefusals: nothing ticked, no action, a missing reason for a move: the page says
// what is wrong and changes nothing.
func TestBulkAskRefusals(t *testing.T) {
	e := staffEnv(t)
	e.createTicket("Første", "a@x.no")
	br := e.browser()
	br.login("agent@ks.no")
	chosen := picks(t, br, "/innboks")
	tests := []struct {
		name string
		form url.Values
		want string
	}{
		{"nothing ticked", url.Values{"handling": {"status"}, "ny-status": {"løst"}}, "Du har ikke valgt noen saker"},
		{"no action", url.Values{"sak": chosen}, "Velg hva som skal gjøres"},
		{"move without a reason", url.Values{"sak": chosen, "handling": {"etat"}, "ny-etat": {"nav"}}, "Skriv hvorfor sakene flyttes"},
		{"a bad pick", url.Values{"sak": {"1:x"}, "handling": {"status"}, "ny-status": {"løst"}}, "kunne ikke leses"},
		{"merge one", url.Values{"sak": chosen, "handling": {"slaa-sammen"}}, "minst to saker"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.form.Set("csrf", br.csrf("/innboks"))
			resp, body := br.post("/innboks/masse", tt.form)
			if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, tt.want) {
				t.Errorf("%d, want 400 with %q", resp.StatusCode, tt.want)
			}
		})
	}
	if resp, _ := br.post("/innboks/masse", url.Values{"sak": chosen, "handling": {"status"}, "ny-status": {"løst"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("without CSRF: %d", resp.StatusCode)
	}
}

// TestBulkMergeAndTags: three tickets merged into the oldest; tags added to two.
func TestBulkMergeAndTags(t *testing.T) {
	e := staffEnv(t)
	a := e.createTicket("Samme spørsmål", "a@x.no")
	b := e.createTicket("Samme spørsmål igjen", "a@x.no")
	c := e.createTicket("Og en gang til", "a@x.no")
	br := e.browser()
	br.login("agent@ks.no")
	chosen := picks(t, br, "/innboks")
	form := url.Values{"csrf": {br.csrf("/innboks")}, "sak": chosen, "handling": {"slaa-sammen"}}
	_, body := br.post("/innboks/masse", form)
	if !strings.Contains(body, `name="inn-i" value="`+fmt.Sprint(a.ID)+`" checked`) {
		t.Fatalf("the oldest is not the one chosen to merge into:\n%s", body)
	}
	form.Set("inn-i", fmt.Sprint(a.ID))
	if resp, body := br.post("/innboks/masse/bekreft", form); resp.StatusCode != http.StatusOK || !strings.Contains(body, "2 saker ble endret") {
		t.Fatalf("merge: %d\n%s", resp.StatusCode, body)
	}
	for _, tk := range []*ticket.Ticket{b, c} {
		got, _ := e.tickets.FindTicketByID(context.Background(), tk.ID)
		if got.MergedInto != a.ID || got.Status != ticket.StatusClosed {
			t.Errorf("%s: merged into %d, %s", tk.Ref, got.MergedInto, got.Status)
		}
	}
	chosen = picks(t, br, "/innboks")
	if len(chosen) != 1 {
		t.Fatalf("after the merge %d active tickets, want 1", len(chosen))
	}
	form = url.Values{"csrf": {br.csrf("/innboks")}, "sak": chosen, "handling": {"stikkord"}, "nye-stikkord": {"BankID, kurs"}}
	if resp, body := br.post("/innboks/masse/bekreft", form); resp.StatusCode != http.StatusOK || !strings.Contains(body, "1 sak ble endret") {
		t.Fatalf("tags: %d\n%s", resp.StatusCode, body)
	}
	if got, _ := e.tickets.FindTicketByID(context.Background(), a.ID); strings.Join(got.Tags, ",") != "bankid,kurs" {
		t.Errorf("tags %v", got.Tags)
	}
}
