package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ks-no/digihjelpen/ticket"
)

// TestFeedback: the reply that resolves a ticket asks «Fikk du svar du kunne bruke?» with a
// link to the status page; there the requester answers without an account, is thanked, may
// change the answer (one per ticket), and the comment shows in the ticket's history.
func TestFeedback(t *testing.T) {
	e, tk, agent, form := agentOnTicket(t, "Kurs i BankID")
	anon := e.browser()
	if _, body := anon.get("/sak/" + tk.StatusToken); strings.Contains(body, "Fikk du svar du kunne bruke?") {
		t.Fatal("an open ticket must not ask")
	}
	resp, _ := agent.post("/saker/"+tk.Ref.String()+"/svar", with(form, "text", "Se håndboken.", "status", "løst"))
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("resolving reply: %d", resp.StatusCode)
	}
	mail := e.outbox(tk)[0]
	if !strings.Contains(mail.Text, "Fikk du svar du kunne bruke? Svar ja eller nei her: http://127.0.0.1:8080/sak/"+tk.StatusToken+"#tilbakemelding") {
		t.Errorf("the resolving mail does not ask:\n%s", mail.Text)
	}

	path := "/sak/" + tk.StatusToken
	_, body := anon.get(path)
	if !strings.Contains(body, `id="tilbakemelding"`) || !strings.Contains(body, `action="/sak/`+tk.StatusToken+`/tilbakemelding#tilbakemelding"`) {
		t.Fatal("the status page of a resolved ticket must ask")
	}
	csrf := anon.csrf(path)
	resp, body = anon.post(path+"/tilbakemelding", url.Values{"csrf": {csrf}, "kommentar": {"Uten svar"}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="svar-feil"`) || !strings.Contains(body, "Uten svar") {
		t.Errorf("no answer: %d, want 400 with the error beside it and the comment kept", resp.StatusCode)
	}
	resp, _ = anon.post(path+"/tilbakemelding", url.Values{"csrf": {csrf}, "svar": {"nei"}, "kommentar": {"Fant ikke kurset"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != path+"?takk=1#tilbakemelding" {
		t.Fatalf("answer: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, body = anon.get(path + "?takk=1")
	if !strings.Contains(body, "Takk for svaret!") || !strings.Contains(body, "Du har svart «nei»") {
		t.Error("no thanks on the page")
	}
	anon.post(path+"/tilbakemelding", url.Values{"csrf": {csrf}, "svar": {"ja"}, "kommentar": {"Nå fant jeg det"}})
	f, err := e.feedback.FindFeedback(context.Background(), tk.ID)
	if err != nil || !f.Useful || f.Comment != "Nå fant jeg det" {
		t.Fatalf("the second answer must replace the first: %+v %v", f, err)
	}
	_, body = agent.get("/saker/" + tk.Ref.String())
	if !strings.Contains(body, "Innsenderen svarte «ja» på «Fikk du svar du kunne bruke?»: «Nå fant jeg det»") {
		t.Error("the ticket's history lacks the answer")
	}
	if resp, _ := anon.post("/sak/3b241101-e2bb-4255-8caf-4136c566a962/tilbakemelding", url.Values{"csrf": {csrf}, "svar": {"ja"}}); resp.StatusCode != http.StatusNotFound {
		t.Errorf("an unknown link: %d", resp.StatusCode)
	}
	if _, err := e.tickets.UpdateTicket(context.Background(), tk.ID, ticket.TicketUpdate{Status: ptrStatus(ticket.StatusOpen)}); err != nil {
		t.Fatal(err)
	}
	if resp, _ := anon.post(path+"/tilbakemelding", url.Values{"csrf": {csrf}, "svar": {"nei"}}); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("a reopened ticket takes no answer: %d", resp.StatusCode)
	}
}

func ptrStatus(s ticket.Status) *ticket.Status { return &s }
