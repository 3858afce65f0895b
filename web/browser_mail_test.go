package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/ks-no/digihjelpen/ticket"
)

// value reads the value of a form field.
func (c *chrome) value(sel string) string {
	c.t.Helper()
	v, err := chromedp.Run(c.ctx, chromedp.Value(chromedp.CSS(sel)))
	if err != nil {
		c.t.Fatalf("value of %s: %v", sel, err)
	}
	return v
}

// TestBrowserReply: an agent inserts a canned response with the script, sends the reply and
// sees it queued; then a reply into a ticket someone changed is held. Every state is audited.
func TestBrowserReply(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080")
	tk := e.createTicket("Kurs i BankID for seniorer", "kari@lillehammer.kommune.no")
	if err := e.srv.Templates.SaveCannedResponse(context.Background(), &ticket.CannedResponse{Title: "BankID-kurs",
		Text: "Hei {navn}!\nSe håndboken: https://example.no/handbok"}); err != nil {
		t.Fatal(err)
	}
	c := newChrome(t, e)
	c.login("agent@ks.no")
	c.visit("/saker/" + tk.Ref.String())
	c.audit("sak-svar")

	c.do(chromedp.SendKeys(chromedp.ID("svar-tekst"), "Takk for spørsmålet."),
		chromedp.SetValue(chromedp.ID("mal"), "1"), chromedp.Click(chromedp.CSS("[data-insert-canned]")))
	if got := c.value("#svar-tekst"); got != "Takk for spørsmålet.\n\nHei Kari Nordmann!\nSe håndboken: https://example.no/handbok" {
		t.Fatalf("after Sett inn: %q", got)
	}
	if !strings.HasPrefix(c.location(), "/saker/") || strings.Contains(c.location(), "/svar") {
		t.Fatalf("the script did not keep the page: %s", c.location())
	}
	c.clickLoad(`button[value="send"]`)
	c.do(chromedp.WaitVisible(chromedp.CSS(`#skriv .alert-ok`)))
	if got := c.text(`#skriv .alert-ok`); !strings.Contains(got, "Svaret er lagret") {
		t.Fatalf("notice %q", got)
	}
	if mails := e.outbox(tk); len(mails) != 1 || !strings.Contains(mails[0].Text, "Hei Kari Nordmann!") {
		t.Fatalf("outbox %+v", mails)
	}
	c.audit("sak-svar-sendt")

	admin := ticket.NewContextWithActor(context.Background(), ticket.Actor{Name: "admin@ks.no", Role: ticket.RoleAdmin})
	if _, err := e.tickets.UpdateTicket(admin, tk.ID, ticket.TicketUpdate{Status: ptr(ticket.StatusOpen)}); err != nil {
		t.Fatal(err)
	}
	c.do(chromedp.SendKeys(chromedp.ID("svar-tekst"), "Et svar til."), chromedp.Click(chromedp.CSS(`button[value="send"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#skriv [role="alert"]`)))
	if got := c.text(`#skriv [role="alert"]`); !strings.Contains(got, "Saken ble endret mens du skrev") || !strings.Contains(got, "Status endret") {
		t.Fatalf("conflict %q", got)
	}
	if got := c.value("#svar-tekst"); got != "Et svar til." {
		t.Fatalf("draft %q", got)
	}
	c.audit("sak-svar-konflikt")
}

func TestBrowserOutboxAndTemplates(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080")
	tk := e.createTicket("Kurs", "kari@lillehammer.kommune.no")
	e.parkedReply(tk)
	if err := e.srv.Templates.SaveCannedResponse(context.Background(), &ticket.CannedResponse{Title: "Håndboken", Text: "Se https://example.no"}); err != nil {
		t.Fatal(err)
	}
	c := newChrome(t, e)
	c.login("admin@ks.no")
	c.visit("/saker/" + tk.Ref.String())
	if got := c.text(`main > [role="alert"]`); !strings.Contains(got, "kom ikke fram") {
		t.Fatalf("notice %q", got)
	}
	c.audit("sak-stoppet-epost")

	c.visit("/utboks")
	if got := c.text("table.mails"); !strings.Contains(got, "550 5.1.1") {
		t.Fatalf("outbox %q", got)
	}
	c.audit("utboks")
	c.clickLoad("table.mails button")
	c.do(chromedp.WaitVisible(chromedp.CSS(`main [role="status"]`)))
	if !strings.Contains(c.location(), "vis=ko") {
		t.Fatalf("after send again at %s", c.location())
	}
	c.audit("utboks-ko")

	c.visit("/admin/svarmaler")
	c.audit("svarmaler")
	c.visit("/admin/svarmaler/ny")
	c.clickLoad(`main form button[type="submit"]`)
	c.do(chromedp.WaitVisible(chromedp.CSS("#mal-navn-feil")))
	c.audit("svarmal-ny-feil")
}
