package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/ks-no/digihjelpen/ticket"
)

// TestBrowserMap opens the public map and a municipality's page in Chromium, with JavaScript
// and without, follows a link on the map and the search, and runs axe on each page; then the
// staff layers.
func TestBrowserMap(t *testing.T) {
	t.Parallel() // one of the longest: it overlaps the others that wait for the browser
	e := newTestEnv(t, "http://127.0.0.1:8080")
	for _, o := range []*ticket.Offer{
		{Number: "3405", Status: ticket.OfferAvailable, Venues: []ticket.Venue{ticket.VenueLibrary}, Hours: "Tirsdager 10–14"},
		{Number: "3407", Status: ticket.OfferEstablishing},
	} {
		if err := e.register.SaveOffer(ctxAs("agent@ks.no"), o, 0); err != nil {
			t.Fatal(err)
		}
	}
	e.createTicket("Kurs i BankID", "kari@lillehammer.kommune.no")
	c := newChrome(t, e)
	for _, noScript := range []bool{false, true} {
		suffix := ""
		if noScript {
			suffix = "-uten-skript"
		}
		c.do(scriptsDisabled(noScript))
		c.visit("/kart")
		if got := eval[int](c, `document.querySelectorAll('svg a[href^="/kart/"]').length`); got != 357 {
			t.Fatalf("%d linked municipalities on the map, want 357", got)
		}
		if got := eval[int](c, `document.querySelectorAll('table.map-table tbody tr').length`); got != 357 {
			t.Fatalf("%d table rows, want 357", got)
		}
		// the map is drawn: Lillehammer's outline has a size on the screen
		if w := eval[float64](c, `document.getElementById('k3405').getBoundingClientRect().width`); w < 3 {
			t.Errorf("Lillehammer is %.1f px wide on the map", w)
		}
		c.do(scriptsDisabled(false)) // axe is a script
		c.audit("kart" + suffix)
		c.do(scriptsDisabled(noScript))
		c.clickLoad(`svg a[href="/kart/3405"]`)
		if got := c.text("main h1"); got != "Lillehammer" {
			t.Fatalf("after clicking Lillehammer on the map: %q", got)
		}
		c.do(scriptsDisabled(false))
		c.audit("kart-kommune" + suffix)
		c.do(scriptsDisabled(noScript))
		c.visit("/kart")
		c.do(chromedp.SendKeys(chromedp.ID("q"), "herøy"))
		c.clickLoad(`form[role="search"] button`)
		if got := eval[int](c, `document.querySelectorAll('table.map-table tbody tr').length`); got != 2 {
			t.Errorf("search for herøy: %d rows, want 2", got)
		}
		c.do(scriptsDisabled(false))
		c.audit("kart-sok" + suffix)
	}

	c.login("agent@ks.no")
	c.visit("/kart?lag=saker")
	if got := c.text(`.tabs a[aria-current="page"]`); got != "Spørsmål i en periode" {
		t.Fatalf("current layer %q", got)
	}
	if !strings.Contains(eval[string](c, `document.querySelector('a[href="/kart/3405"]').getAttribute('aria-label')`), ": 1") {
		t.Error("Lillehammer's question is not on the map")
	}
	c.audit("kart-saker")
	c.visit("/kart?lag=aldri")
	c.audit("kart-aldri")
	c.visit("/kart/3405")
	c.audit("kart-kommune-ansatt")
}
