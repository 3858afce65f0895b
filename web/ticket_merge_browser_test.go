package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserMerge walks a merge as staff do it: a wrong reference first, then the right one,
// the confirmation, the target with its notice, the merged ticket and its status link, each
// page audited with axe.
func TestBrowserMerge(t *testing.T) {
	e := staffEnv(t)
	target := e.createTicket("Kurs i BankID", "kari@lillehammer.kommune.no")
	source := e.createTicket("Kurs i BankID (sendt på nytt)", "kari.nordmann@gmail.com")
	src, dst := source.Ref.String(), target.Ref.String()
	c := newChrome(t, e)
	c.login("agent@ks.no")

	c.visit("/saker/" + src)
	merge := `form[action="/saker/` + src + `/slaa-sammen"] button[type="submit"]`
	c.do(chromedp.SendKeys(chromedp.ID("referanse"), "DH-2026-9999"))
	c.clickLoad(merge)
	if got := c.text("#referanse-feil"); !strings.Contains(got, "Fant ingen sak med referansen DH-2026-9999.") {
		t.Fatalf("error beside the field: %q", got)
	}
	c.audit("slaa-sammen-feil")

	c.do(chromedp.SetValue(chromedp.ID("referanse"), dst))
	c.clickLoad(merge)
	if got := c.text("main h1"); !strings.Contains(got, "Slå sammen "+src+" med "+dst) {
		t.Fatalf("confirmation heading %q", got)
	}
	c.audit("slaa-sammen-bekreft")

	c.clickLoad(`form[action="/saker/` + src + `/slaa-sammen/bekreft"] button[type="submit"]`)
	if loc := c.location(); loc != "/saker/"+dst+"?ok=sammenslatt" {
		t.Fatalf("after the merge at %s", loc)
	}
	if got := c.text("main"); !strings.Contains(got, "Sakene er slått sammen.") || !strings.Contains(got, "Slått sammen fra") {
		t.Fatalf("target page: %q", got)
	}
	c.audit("slaa-sammen-maal")

	c.visit("/saker/" + src)
	if got := c.text(".merged"); !strings.Contains(got, "Slått sammen inn i "+dst) {
		t.Fatalf("merged ticket says %q", got)
	}
	c.audit("slaa-sammen-kilde")

	c.visit("/sak/" + source.StatusToken)
	if got := c.text(".continues"); !strings.Contains(got, "Saken fortsetter som "+dst) {
		t.Fatalf("status page says %q", got)
	}
	c.audit("slaa-sammen-statusside")
}
