package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/ks-no/digihjelpen/ticket"
)

// TestBrowserReader signs in as a reader in Chromium: the reader lands on the statistics, whose
// menu has nothing else but the public map and handbook, is refused the inbox with a page that leads back, and axe finds no
// violations on either page.
func TestBrowserReader(t *testing.T) {
	e := scenarioEnv(t)
	e.addUser("leser@ks.no", ticket.RoleReader)
	c := newChrome(t, e)

	c.visit("/logg-inn")
	c.do(chromedp.SendKeys(chromedp.ID("email"), "leser@ks.no"), chromedp.SendKeys(chromedp.ID("password"), testPassword))
	c.clickLoad(`button[type="submit"]`)
	c.do(chromedp.WaitVisible(chromedp.CSS("#h-sammendrag")))
	if got := c.location(); got != "/statistikk" {
		t.Fatalf("after login at %q, want /statistikk", got)
	}
	menu, err := chromedp.Run(c.ctx, chromedp.Evaluate[[]string](
		`[...document.querySelectorAll('nav[aria-label="Hovedmeny"] a')].map(a => a.getAttribute("href") + " " + a.textContent)`))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(menu, "|") != "/statistikk Statistikk|/kart Kart|/handbok Håndbok" {
		t.Errorf("the reader's menu is %q, want only the statistics and the public map and handbook", menu)
	}
	exports, err := chromedp.Run(c.ctx, chromedp.Evaluate[int](`document.querySelectorAll('#h-eksport, form[action="/statistikk/saker"]').length`))
	if err != nil || exports != 0 {
		t.Errorf("the reader is offered the ticket export (%d, %v)", exports, err)
	}
	c.audit("leser-statistikk")

	c.visit("/innboks")
	if got := c.text("main h1"); got != "Ingen tilgang" {
		t.Errorf("reader on the inbox: heading %q, want «Ingen tilgang»", got)
	}
	if got := c.text(`[role="alert"]`); !strings.Contains(got, "Med rollen leser ser du statistikken.") {
		t.Errorf("reader on the inbox: %q", got)
	}
	c.audit("leser-ingen-tilgang")
	c.clickLoad(`main a[href="/statistikk"]`)
	if got := c.location(); got != "/statistikk" {
		t.Errorf("«Til forsiden» led to %q, want /statistikk", got)
	}
}
