package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/ks-no/digihjelpen/ticket"
)

// TestBrowserAckTemplates drives the acknowledgement templates like an administrator: the list
// warns about a rule naming a template that does not exist, a new template is refused with the
// errors beside the fields, previewed, created, edited; deleting asks first and names the rule;
// the rules page then warns. axe audits every page state.
func TestBrowserAckTemplates(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080")
	rules := e.withRouting()
	ctx := ticket.NewContextWithActor(context.Background(), ticket.Actor{Name: "admin@ks.no", Role: ticket.RoleAdmin})
	if _, err := rules.SaveRules(ctx, navTemplateRules, "mal for NAV"); err != nil {
		t.Fatal(err)
	}
	c := newChrome(t, e)
	c.login("admin@ks.no")

	c.visit("/admin/svarmaler")
	if got := c.text(".alert-warning"); !strings.Contains(got, "«nav-videre»") {
		t.Fatalf("warning %q", got)
	}
	c.audit("kvitteringer")

	c.clickLoad(`a[href="/admin/svarmaler/kvitteringer/ny"]`)
	c.do(chromedp.SetValue(chromedp.CSS("#name"), "Til NAV"))
	c.do(chromedp.SetValue(chromedp.CSS("#title"), " ")) // chromedp cannot set "": a blank title is refused the same way
	c.do(chromedp.SetValue(chromedp.CSS("#text"), "Hei {etternavn}"))
	c.clickLoad(`main form button:not([name])`)
	c.do(chromedp.WaitVisible(chromedp.CSS("#name-feil")))
	if got := c.text("#text-feil"); !strings.Contains(got, "{saksnummer}") {
		t.Fatalf("text error %q", got)
	}
	c.audit("kvittering-ny-feil")

	c.do(chromedp.SetValue(chromedp.CSS("#name"), "nav-videre"), chromedp.SetValue(chromedp.CSS("#title"), "Videre til NAV"),
		chromedp.SetValue(chromedp.CSS("#text"), "Hei {navn}! Saken {saksnummer} gjelder {etat}: {statuslenke}"))
	c.clickLoad(`button[value="forhandsvis"]`)
	if got := c.text("#forhandsvisning-tekst"); !strings.HasPrefix(got, "Hei Kari Nordmann! Saken DH-") || !strings.Contains(got, "gjelder NAV") {
		t.Fatalf("preview %q", got)
	}
	c.audit("kvittering-forhandsvisning")
	c.clickLoad(`main form button:not([name])`)
	c.do(chromedp.WaitVisible(chromedp.CSS(".alert-ok")))
	if !e.srv.Composer.HasAckTemplate("nav-videre") || strings.Contains(c.text("main"), "nevner «nav-videre»") {
		t.Fatal("the new template is not in use, or the list still warns")
	}

	c.clickLoad(`a[href="/admin/svarmaler/kvitteringer/nav-videre"]`)
	c.audit("kvittering-rediger")
	c.clickLoad(`a[href="/admin/svarmaler/kvitteringer/nav-videre/slett"]`)
	if got := c.text(".alert-warning"); !strings.Contains(got, "«Meldekort»") {
		t.Fatalf("delete warning %q", got)
	}
	c.audit("kvittering-slett")
	c.clickLoad(`main form button[type="submit"]`)
	c.do(chromedp.WaitVisible(chromedp.CSS(".alert-ok")))
	if e.srv.Composer.HasAckTemplate("nav-videre") {
		t.Fatal("the deleted template is still in use")
	}

	c.visit("/admin/regler")
	if got := c.text("#regelvarsler"); !strings.Contains(got, "linje 5") || !strings.Contains(got, "«nav-videre» finnes ikke") {
		t.Fatalf("rules warning %q", got)
	}
	c.audit("regler-advarsel")
}
