package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserHandbook reads the handbook and an article with JavaScript and without, and
// asks a question on the form both ways: with the script the articles appear as it is typed,
// without it they come as a step after «Send»; axe on every page.
func TestBrowserHandbook(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080", publicOpts(0))
	seedHandbook(t, e)
	c := newChrome(t, e)
	for _, noScript := range []bool{false, true} {
		suffix := ""
		if noScript {
			suffix = "-uten-skript"
		}
		c.do(scriptsDisabled(noScript))
		c.visit("/handbok")
		c.do(scriptsDisabled(false))
		c.audit("handbok" + suffix)
		c.do(scriptsDisabled(noScript))
		c.clickLoad(`a[href="/handbok/logge-inn-pa-nav"]`)
		if got := c.text("main h1"); !strings.Contains(got, "ikke får logget inn") {
			t.Fatalf("article heading %q", got)
		}
		c.do(scriptsDisabled(false))
		c.audit("handbok-artikkel" + suffix)
	}

	// with the script: suggestions as the question is typed
	c.visit("/")
	c.do(chromedp.SendKeys(chromedp.ID("sporsmal"), "Innbyggeren får ikke logget inn på nav.no med BankID"))
	c.do(chromedp.WaitVisible(chromedp.CSS(`#forslag a[href="/handbok/logge-inn-pa-nav?fra=skjema"]`)))
	if got := eval[string](c, `document.getElementById('forslag_vist').value`); got != "1" {
		t.Errorf("forslag_vist %q after the suggestions were shown", got)
	}
	c.audit("skjema-forslag")
	c.clickLoad(`#forslag a`)
	c.audit("handbok-artikkel-fra-skjema")
	c.clickLoad(`form[action="/handbok/logge-inn-pa-nav/svarte"] button`)
	if got := c.text(`[role="status"]`); !strings.Contains(got, "ikke sendt til oss") {
		t.Errorf("thanks %q", got)
	}

	// without it: a step after «Send»
	c.do(scriptsDisabled(true))
	c.visit("/")
	c.do(
		chromedp.SendKeys(chromedp.ID("navn"), "Åse Øvergård"),
		chromedp.SendKeys(chromedp.ID("epost"), "ase@lillehammer.kommune.no"),
		chromedp.SetValue(chromedp.ID("kommune"), "3405"),
		chromedp.Click(chromedp.CSS(`input[name="tema"][value="nav"]`)),
		chromedp.SendKeys(chromedp.ID("sporsmal"), "Innbyggeren får ikke logget inn på nav.no med BankID"),
	)
	c.clickLoad(`form[action="/"] button[type="submit"]:not([value])`)
	if got := c.text("main h1"); got != "Kanskje dette svarer på spørsmålet?" {
		t.Fatalf("after «Send» without the script: %q", got)
	}
	c.do(scriptsDisabled(false))
	c.audit("skjema-forslag-uten-skript")
	c.do(scriptsDisabled(true))
	c.clickLoad(`form[action="/"] button`)
	c.do(chromedp.WaitVisible(chromedp.CSS(".ref-code")))
	if n := len(e.allTickets()); n != 1 {
		t.Errorf("«Send likevel» made %d tickets, want 1", n)
	}
	c.do(scriptsDisabled(false))
}
