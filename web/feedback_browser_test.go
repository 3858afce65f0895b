package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/ks-no/digihjelpen/ticket"
)

// TestBrowserFeedback answers «Fikk du svar du kunne bruke?» on a resolved ticket's status
// page in Chromium, without JavaScript, and runs axe on the page before and after.
func TestBrowserFeedback(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080")
	tk := e.createTicket("Kurs i BankID", "kari@lillehammer.kommune.no")
	if _, err := e.tickets.UpdateTicket(context.Background(), tk.ID, ticket.TicketUpdate{Status: ptrStatus(ticket.StatusResolved)}); err != nil {
		t.Fatal(err)
	}
	c := newChrome(t, e)
	c.do(scriptsDisabled(true))
	c.visit("/sak/" + tk.StatusToken)
	c.do(scriptsDisabled(false))
	c.audit("status-tilbakemelding")
	c.do(scriptsDisabled(true))
	c.do(chromedp.Click(chromedp.ID("svar-ja")), chromedp.SendKeys(chromedp.ID("kommentar"), "Takk, det hjalp!"))
	c.clickLoad(`form[action$="/tilbakemelding#tilbakemelding"] button`)
	if got := c.text(`#tilbakemelding + [role="status"]`); !strings.Contains(got, "Takk for svaret") {
		t.Fatalf("thanks %q", got)
	}
	c.do(scriptsDisabled(false))
	c.audit("status-tilbakemelding-takk")
	if f, err := e.feedback.FindFeedback(context.Background(), tk.ID); err != nil || !f.Useful || f.Comment != "Takk, det hjalp!" {
		t.Errorf("stored: %+v %v", f, err)
	}
}
