package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/ks-no/digihjelpen/routing"
	"github.com/ks-no/digihjelpen/ticket"
)

// TestBrowserRoutingModel walks what issue 15 adds to the pages: «Forslag» on a ticket no rule
// routed, its button, the model's accuracy on /admin/regler and the dry-run's comparison with
// staff; axe audits each.
func TestBrowserRoutingModel(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080")
	a := e.withLearning(ticket.LearnSuggest, 150)
	tk := e.routedTicket(a, lostJobSubject, laidOff)
	c := newChrome(t, e)
	c.login("admin@ks.no")

	c.visit("/saker/" + tk.Ref.String())
	c.do(chromedp.WaitVisible(chromedp.ID("forslag-tittel")))
	if got := c.text(".suggestion"); !strings.Contains(got, "sikker på NAV") || !strings.Contains(got, "Flytt til NAV") {
		t.Fatalf("suggestion %q", got)
	}
	c.audit("sak-forslag")
	c.clickLoad(`.suggestion button[type="submit"]`)
	if got, _ := e.tickets.FindTicketByID(context.Background(), tk.ID); got.Agency != "nav" || got.Routing.Rule != ticket.RuleManual {
		t.Fatalf("after the button: %s by %q", got.Agency, got.Routing.Rule)
	}
	if got := c.text(".routing"); !strings.Contains(got, "Forslag fra modellen") {
		t.Errorf("routing explanation %q", got)
	}

	c.visit("/admin/regler")
	if got := c.text(".model-status"); !strings.Contains(got, "Treffsikkerhet på") || !strings.Contains(got, "Modellen alene") {
		t.Fatalf("model status %q", got)
	}
	c.audit("regler-modell")

	c.do(chromedp.SetValue(chromedp.CSS("#text"), string(routing.DefaultRulesText)), chromedp.SetValue(chromedp.CSS("#since"), ""))
	c.clickLoad(`form[action="/admin/regler/prov"] button[type="submit"]`)
	c.do(chromedp.WaitVisible(chromedp.ID("saksbehandlerne")))
	if got := c.text(".replay"); !strings.Contains(got, "av sakene er avgjort av saksbehandlerne") {
		t.Fatalf("replay %q", got)
	}
	c.audit("regler-saksbehandlerne")
}
