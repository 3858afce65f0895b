package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserStats opens the statistics page as a person would, from the menu, picks a week,
// opens every table behind «details», picks a period, and audits each state with axe.
func TestBrowserStats(t *testing.T) {
	t.Parallel() // one of the longest: it overlaps the others that wait for the browser
	e := scenarioEnv(t)
	c := newChrome(t, e)
	c.login("agent@ks.no")
	c.do(chromedp.Click(chromedp.CSS(`nav a[href="/statistikk"]`)), chromedp.WaitVisible(chromedp.CSS("#h-sammendrag")))
	if got := c.text("main h1"); !strings.HasPrefix(got, "Statistikk for uke") {
		t.Fatalf("heading %q", got)
	}
	c.audit("statistikk")

	c.visit("/statistikk?uke=2026-W14")
	c.clickLoad(`a[href="/statistikk?uke=2026-W13"]`)
	if got := c.text("main h1"); got != "Statistikk for uke 13 2026" {
		t.Fatalf("after «Forrige uke»: heading %q", got)
	}
	if _, err := chromedp.Run(c.ctx, chromedp.Evaluate[bool](`document.querySelectorAll("details").forEach(d => d.open = true); true`)); err != nil {
		t.Fatal(err)
	}
	if got := c.text("#tabell-uker"); got != "Nye saker per uke og etat" {
		t.Errorf("weeks table caption %q", got)
	}
	c.audit("statistikk-uke-13")

	c.visit("/statistikk?uke=2026-W99")
	if got := c.text("#uke-feil"); !strings.Contains(got, "Uke 99 finnes ikke i 2026") {
		t.Errorf("week error %q", got)
	}
	c.audit("statistikk-feil")

	// A period for the steering group: typed into the period's fields, sent with its button.
	c.do(chromedp.SetValue(chromedp.CSS("#periode-fra"), "2026-03-16"), chromedp.SetValue(chromedp.CSS("#periode-til"), "2026-03-29"))
	c.clickLoad("form:has(#periode-fra) button")
	if got := c.text("main h1"); got != "Statistikk for 16.3.2026–29.3.2026" {
		t.Fatalf("period heading %q", got)
	}
	if got := c.text(".keyfigures li:first-child .kf-change"); !strings.Contains(got, "fra") && !strings.Contains(got, "Som før") {
		t.Errorf("first key figure's change %q", got)
	}
	if _, err := chromedp.Run(c.ctx, chromedp.Evaluate[bool](`document.querySelectorAll("details").forEach(d => d.open = true); true`)); err != nil {
		t.Fatal(err)
	}
	c.audit("statistikk-periode")

	c.visit("/statistikk?fra=2026-03-29&til=2026-03-16")
	if got := c.text("#periode-til-feil"); !strings.Contains(got, "Til-datoen kan ikke være før fra-datoen.") {
		t.Errorf("period error %q", got)
	}
	c.audit("statistikk-periode-feil")
}
