package web_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ks-no/digihjelpen/ticket"
)

// TestBrowserPrivacyPages drives the privacy pages like an administrator, without JavaScript
// doing anything for them: the retention setting with a preview and a save, a person's
// erasure from the form to the result, the audit log with a search and a mistake, and the
// public form's privacy text; axe audits every state.
func TestBrowserPrivacyPages(t *testing.T) {
	e := newAdminEnv(t)
	e.bulkTicket("Gammel sak om BankID", time.Now().AddDate(-2, 0, 0), func(tk *ticket.Ticket) { tk.Status = ticket.StatusClosed })
	personTickets(e)
	c := newChrome(t, e)
	c.login("admin@ks.no")

	c.visit("/admin/oppbevaring")
	c.audit("oppbevaring")
	c.do(chromedp.SetValue(chromedp.ID("dager"), "30"))
	c.clickLoad(`button[value="forhandsvis"]`)
	if got := c.text("#neste"); got != "Med 30 dager" {
		t.Fatalf("preview heading %q", got)
	}
	c.audit("oppbevaring-forhandsvisning")
	c.do(chromedp.SetValue(chromedp.ID("dager"), "9999"))
	c.clickLoad(`button[value="lagre"]`)
	c.do(chromedp.WaitVisible(chromedp.ID("dager-feil")))
	c.audit("oppbevaring-feil")
	c.do(chromedp.SetValue(chromedp.ID("dager"), "30"))
	c.clickLoad(`button[value="lagre"]`)
	if got := c.text(".alert-ok"); !strings.Contains(got, "Oppbevaringstiden er lagret") {
		t.Fatalf("notice %q", got)
	}

	c.visit("/admin/personer")
	c.audit("personer")
	c.do(chromedp.SendKeys(chromedp.ID("epost"), "ikke en adresse"))
	c.clickLoad(`button[formaction="/admin/personer/slett"]`)
	c.do(chromedp.WaitVisible(chromedp.ID("epost-feil")))
	c.audit("personer-feil")
	c.do(chromedp.SetValue(chromedp.ID("epost"), "kari.nordmann@hamar.kommune.no"))
	c.clickLoad(`button[formaction="/admin/personer/slett"]`)
	if got := c.text("main h1"); got != "Slette alt om kari.nordmann@hamar.kommune.no?" {
		t.Fatalf("confirmation heading %q", got)
	}
	c.audit("personer-bekreft")
	c.clickLoad(`form[action="/admin/personer/slett/bekreft"] button`)
	if got := c.text("main h1"); got != "Personopplysningene er slettet" {
		t.Fatalf("result heading %q", got)
	}
	c.audit("personer-slettet")

	c.visit("/admin/logg")
	c.audit("logg")
	c.do(chromedp.SendKeys(chromedp.ID("sak"), "DH-1999-1"))
	c.clickLoad(`form[action="/admin/logg"] button[type="submit"]`)
	c.do(chromedp.WaitVisible(chromedp.ID("sak-feil")))
	c.audit("logg-feil")
	c.visit("/admin/logg?type=settings")
	if got := c.text("table.audit-log tbody"); !strings.Contains(got, "admin@ks.no") || !strings.Contains(got, "30 dager") {
		t.Fatalf("the setting's change is not in the log: %q", got)
	}

	c.visit("/")
	if got := c.text("#personvern + p"); !strings.Contains(got, "30 dager etter at saken er avsluttet") {
		t.Fatalf("privacy text %q", got)
	}
	c.audit("skjema-personvern")
}
