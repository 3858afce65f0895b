package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/ks-no/digihjelpen/ticket"
)

// queuedReply is a reply an agent wrote on tk, waiting in the outbox.
func (e *testEnv) queuedReply(tk *ticket.Ticket) *ticket.OutboundMail {
	e.t.Helper()
	c := e.browser()
	c.login("agent@ks.no")
	if resp, _ := c.post("/saker/"+tk.Ref.String()+"/svar", with(c.replyForm(tk), "text", "Hei", "status", "venter", "handling", "send")); resp.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("reply: %d", resp.StatusCode)
	}
	return e.outbox(tk)[0]
}

// parkedReply queues a reply on tk and parks it as a 550 from the server would.
func (e *testEnv) parkedReply(tk *ticket.Ticket) *ticket.OutboundMail {
	e.t.Helper()
	m := e.queuedReply(tk)
	if _, err := e.srv.Outbox.MarkMailFailed(context.Background(), m.ID, ticket.MailFailure{Reason: "SMTP-tjeneren svarte: 550 5.1.1 ukjent mottaker", Permanent: true}); err != nil {
		e.t.Fatal(err)
	}
	return m
}

func TestOutboxPage(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080")
	tk := e.createTicket("Kurs", "kari@lillehammer.kommune.no")
	m := e.parkedReply(tk)
	retry := "/utboks/" + strconv.FormatUint(m.ID, 10) + "/send-igjen"

	agent := e.browser()
	agent.login("agent@ks.no")
	resp, body := agent.get("/utboks")
	page := html.UnescapeString(body)
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, "550 5.1.1 ukjent mottaker") || !strings.Contains(page, tk.Ref.String()) {
		t.Fatalf("agent's outbox page: %d\n%s", resp.StatusCode, page)
	}
	if strings.Contains(page, retry) {
		t.Fatal("agents get the send-again button")
	}
	if resp, _ := agent.post(retry, url.Values{"csrf": {agent.csrf("/utboks")}}); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("agent sends again: %d, want 403", resp.StatusCode)
	}
	_, body = agent.get("/saker/" + tk.Ref.String())
	if !strings.Contains(body, "En e-post fra denne saken kom ikke fram") {
		t.Fatal("the ticket page does not say that its mail was parked")
	}

	admin := e.browser()
	admin.login("admin@ks.no")
	_, body = admin.get("/utboks?vis=stoppet")
	if !strings.Contains(body, retry) {
		t.Fatal("admins get no send-again button")
	}
	resp, _ = admin.post(retry, url.Values{"csrf": {admin.csrf("/utboks")}, "neste": {"https://evil.example/"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/innboks" {
		t.Fatalf("send again: %d %q (a foreign next must not be followed)", resp.StatusCode, resp.Header.Get("Location"))
	}
	if got := e.outbox(tk)[0]; got.State != ticket.OutboxQueued {
		t.Fatalf("after send again: %s", got.State)
	}
	_, body = admin.get("/utboks?vis=ko")
	if !strings.Contains(body, tk.Ref.String()) {
		t.Fatal("the queue does not list the mail")
	}
	if resp, _ := admin.get("/utboks?vis=tull"); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("unknown view: %d", resp.StatusCode)
	}
	if resp, _ := admin.post(retry, url.Values{"csrf": {admin.csrf("/utboks")}}); resp.StatusCode != http.StatusConflict {
		t.Fatalf("send again of a queued mail: %d, want 409", resp.StatusCode)
	}
}

func TestCannedAdmin(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080")
	agent := e.browser()
	agent.login("agent@ks.no")
	if resp, _ := agent.get("/admin/svarmaler"); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("agent: %d, want 403", resp.StatusCode)
	}
	admin := e.browser()
	admin.login("admin@ks.no")
	token := admin.csrf("/admin/svarmaler")

	t.Run("canned responses", func(t *testing.T) {
		resp, body := admin.post("/admin/svarmaler", url.Values{"csrf": {token}, "title": {""}, "text": {"{ukjent}"}})
		page := html.UnescapeString(body)
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "Gi svarmalen et navn.") || !strings.Contains(page, "Ukjent plassholder «{ukjent}»") {
			t.Fatalf("invalid: %d", resp.StatusCode)
		}
		resp, _ = admin.post("/admin/svarmaler", url.Values{"csrf": {token}, "title": {"BankID-kurs"}, "text": {"Se håndboken: https://example.no"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("create: %d", resp.StatusCode)
		}
		_, body = admin.get("/admin/svarmaler/1")
		if !strings.Contains(body, `value="BankID-kurs"`) {
			t.Fatal("edit form lacks the title")
		}
		if resp, _ := admin.post("/admin/svarmaler/1", url.Values{"csrf": {token}, "title": {"BankID for seniorer"}, "text": {"Ny tekst"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("update: %d", resp.StatusCode)
		}
		if r, _ := e.srv.Templates.FindCannedResponse(context.Background(), 1); r.Title != "BankID for seniorer" || r.UpdatedBy != "admin@ks.no" {
			t.Fatalf("stored %+v", r)
		}
		if resp, _ := admin.post("/admin/svarmaler/1/slett", url.Values{"csrf": {token}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("delete: %d", resp.StatusCode)
		}
		if resp, _ := admin.get("/admin/svarmaler/1"); resp.StatusCode != http.StatusNotFound {
			t.Fatalf("deleted one: %d", resp.StatusCode)
		}
	})
}
