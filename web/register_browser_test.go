package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/ks-no/digihjelpen/ticket"
)

// TestBrowserRegister walks the register in Chromium as an agent: the list, a search, an
// entry, a refused save with its errors, and a save with JavaScript off; axe on each page.
func TestBrowserRegister(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080")
	tk := e.createTicket("Kurs i BankID", "kari@lillehammer.kommune.no")
	c := newChrome(t, e)
	c.login("agent@ks.no")
	c.clickLoad(`.menu a[href="/kommuner"]`)
	if got := c.text("main h1"); got != "Kommuneregisteret" {
		t.Fatalf("heading %q", got)
	}
	c.audit("kommuner")

	c.do(chromedp.SendKeys(chromedp.ID("q"), "lillehammer"))
	c.clickLoad(`form[role="search"] button`)
	if got := eval[int](c, `document.querySelectorAll('tbody tr').length`); got != 1 {
		t.Fatalf("search found %d rows, want 1", got)
	}
	c.clickLoad(`a[href="/kommuner/3405"]`)
	c.audit("kommune")

	c.do(chromedp.SendKeys(chromedp.ID("nettside"), "lillehammer.kommune.no"))
	c.clickLoad(`form.register-form button[type="submit"]`)
	c.do(chromedp.WaitVisible(chromedp.CSS(".error-summary")))
	if got := c.text("#nettside-feil"); !strings.Contains(got, "hel adresse") {
		t.Fatalf("error beside the field: %q", got)
	}
	c.audit("kommune-feil")

	c.do(scriptsDisabled(true))
	c.visit("/kommuner/3405")
	c.do(
		chromedp.Click(chromedp.CSS(`input[name="status"][value="tilbud"]`)),
		chromedp.Click(chromedp.CSS(`input[name="sted"][value="bibliotek"]`)),
		chromedp.SendKeys(chromedp.ID("apningstider"), "Tirsdager 10–14"),
	)
	c.clickLoad(`form.register-form button[type="submit"]`)
	c.do(chromedp.WaitVisible(chromedp.CSS(".alert-ok")))
	c.do(scriptsDisabled(false))
	o, err := e.register.FindOffer(context.Background(), "3405")
	if err != nil || o.Status != ticket.OfferAvailable || o.Hours != "Tirsdager 10–14" || len(o.Venues) != 1 {
		t.Fatalf("saved without JavaScript: %+v %v", o, err)
	}
	c.audit("kommune-lagret")

	c.visit("/saker/" + tk.Ref.String())
	if got := c.text("#kommunekort"); got != "Lillehammer" {
		t.Fatalf("card heading %q", got)
	}
	c.audit("sak-med-kommunekort")
}
