package web_test

import (
	"net"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/pquerna/otp/totp"

	"github.com/ks-no/digihjelpen/web"
)

// listenEnv is a test server whose base URL is its real address, as the OpenID provider's
// redirect back to us needs.
func listenEnv(t *testing.T, opts ...func(*web.Server)) (*testEnv, net.Listener) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return newTestEnv(t, "http://"+ln.Addr().String(), opts...), ln
}

// TestBrowserAccountPages walks every new page of sign-in and the account in Chromium, as a
// person does, and audits each with axe: the login page with the SSO button, the two-factor
// set-up and recovery codes, the code step (with an error), /konto, «Glemt passord?» and its
// answer, the reset form, and the pages of a refused or failed SSO sign-in.
func TestBrowserAccountPages(t *testing.T) {
	m := startIDP(t)
	e, ln := listenEnv(t, withSSO(m))
	c := newChromeOn(t, e, ln)

	c.visit("/logg-inn")
	if got := c.text("#sso"); got != "Logg inn med KS-konto" {
		t.Fatalf("SSO button %q", got)
	}
	c.audit("logg-inn-sso")
	c.login("agent@ks.no")
	c.visit("/konto")
	c.audit("konto")

	c.visit("/konto/tofaktor")
	c.audit("tofaktor-oppsett")
	secret := strings.ReplaceAll(c.text("#nokkel"), " ", "")
	code, _ := totp.GenerateCode(secret, time.Now())
	c.do(chromedp.SendKeys(chromedp.ID("kode"), code))
	c.clickLoad(`form[action="/konto/tofaktor"] button[type="submit"]`)
	if got := c.text("main h1"); got != "Gjenopprettingskoder" {
		t.Fatalf("after confirming: %q", got)
	}
	c.audit("gjenopprettingskoder")

	c.clickLoad(`form.logout button`)
	c.do(chromedp.SendKeys(chromedp.ID("email"), "agent@ks.no"), chromedp.SendKeys(chromedp.ID("password"), testPassword))
	c.clickLoad(`form[action="/logg-inn"] button[type="submit"]`)
	if loc := c.location(); loc != "/logg-inn/kode" {
		t.Fatalf("after the password at %s", loc)
	}
	c.audit("tofaktor-kode")
	c.do(chromedp.SendKeys(chromedp.ID("kode"), "000000"))
	c.clickLoad(`form[action="/logg-inn/kode"] button[type="submit"]`)
	c.audit("tofaktor-kode-feil")
	next, _ := totp.GenerateCode(secret, time.Now().Add(30*time.Second))
	c.do(chromedp.SendKeys(chromedp.ID("kode"), next))
	c.clickLoad(`form[action="/logg-inn/kode"] button[type="submit"]`)
	if loc := c.location(); !strings.HasPrefix(loc, "/innboks") {
		t.Fatalf("after the code at %s", loc)
	}

	c.clickLoad(`form.logout button`)
	c.clickLoad(`a[href="/glemt-passord"]`)
	c.audit("glemt-passord")
	c.do(chromedp.SendKeys(chromedp.ID("email"), "agent@ks.no"))
	c.clickLoad(`form[action="/glemt-passord"] button[type="submit"]`)
	c.audit("glemt-passord-sendt")
	link := resetLink.FindStringSubmatch(strings.ReplaceAll(e.resetMails()[0].Text, "http://"+ln.Addr().String(), "http://127.0.0.1:8080"))
	if link == nil {
		t.Fatalf("no link in %q", e.resetMails()[0].Text)
	}
	c.visit(link[1])
	c.audit("nytt-passord")

	m.QueueUser(&idpPerson{sub: "s-ute", email: "utenfor@ks.test", name: "Ulla Utenfor"})
	c.visit("/logg-inn")
	c.clickLoad("#sso")
	if got := c.text(`[role="alert"]`); !strings.Contains(got, "Du har ikke tilgang til Digihjelpen kontaktpunkt") {
		t.Fatalf("refusal %q", got)
	}
	c.audit("sso-avvist")
	c.visit("/logg-inn/sso/tilbake?state=feil&code=feil")
	c.audit("sso-feil")
}
