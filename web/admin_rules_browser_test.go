package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ks-no/digihjelpen/ticket"
)

// TestBrowserRoutingPages drives the rule editor like an administrator: try a set with a
// mistake, fix it, try it on the stored tickets and a pasted mail, save it, look at the
// version, the agencies and the open referrals; axe audits every page state.
func TestBrowserRoutingPages(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080")
	admin := e.withRouting()
	tk := e.createTicket("Kurs i BankID for seniorer på biblioteket", "kari@lillehammer.kommune.no")
	m := &ticket.Message{Direction: ticket.DirectionOut, To: []string{"svar@nav.example.no"}, Text: "Til NAV", MessageID: "<ref-b@test>"}
	if _, err := e.tickets.AppendMessage(context.Background(), tk.ID, m, ticket.AppendOptions{Referral: &ticket.Referral{Agency: "nav", RemindAt: time.Now().Add(-time.Hour)}}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.tickets.MarkOverdueReferrals(context.Background(), 0); err != nil {
		t.Fatal(err)
	}
	c := newChrome(t, e)
	c.login("admin@ks.no")

	c.visit("/admin/regler")
	c.audit("regler")

	setText := func(sel, text string) {
		c.do(chromedp.SetValue(chromedp.CSS(sel), text))
	}
	setText("#text", "[[rules]]\nname = \"Kurs\"\nagency = \"kurs\"\n")
	c.clickLoad(`form[action="/admin/regler/prov"] button[type="submit"]`)
	c.do(chromedp.WaitVisible(chromedp.CSS("#regelfeil")))
	if got := c.text("#regelfeil"); !strings.Contains(got, "linje 3") {
		t.Fatalf("errors %q", got)
	}
	c.audit("regler-feil")

	setText("#text", kursRules)
	setText("#since", "")
	c.do(chromedp.Click(chromedp.CSS("details summary")))
	setText("#eml_text", "From: per@bergen.kommune.no\nSubject: Kurs i Vipps\n\nKan dere hjelpe oss med kurs?\n")
	c.clickLoad(`form[action="/admin/regler/prov"] button[type="submit"]`)
	c.do(chromedp.WaitVisible(chromedp.CSS("#resultat")))
	if got := c.text(".replay"); !strings.Contains(got, "1 ville fått en annen etat") || !strings.Contains(got, "Kurs i Vipps") {
		t.Fatalf("result %q", got)
	}
	c.audit("regler-provekjoring")

	c.do(chromedp.SendKeys(chromedp.ID("note"), "Kurs til NAV"))
	c.clickLoad(`form[action="/admin/regler/lagre"] button[type="submit"]`)
	c.do(chromedp.WaitVisible(chromedp.CSS(`.alert-ok`)))
	if got := c.text(`.alert-ok`); !strings.Contains(got, "Versjon 1 er lagret") {
		t.Fatalf("notice %q", got)
	}
	if active, _ := admin.ActiveRules(context.Background()); active.Version != 1 {
		t.Fatalf("active version %d", active.Version)
	}
	c.audit("regler-lagret")

	c.visit("/admin/regler/versjoner/1")
	c.audit("regler-versjon")
	c.visit("/admin/regler/standard")
	c.audit("regler-standard")
	c.visit("/admin/etater")
	c.audit("etater")
	c.visit("/henvisninger")
	if got := c.text("table.tickets"); !strings.Contains(got, tk.Ref.String()) || !strings.Contains(got, "Forfalt") {
		t.Fatalf("referrals %q", got)
	}
	c.audit("henvisninger")
}
