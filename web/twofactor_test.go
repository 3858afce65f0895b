package web_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"html"
	"image/png"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"
)

var (
	secretOnPage   = regexp.MustCompile(`id="nokkel">([A-Z2-7 ]+)</code>`)
	qrOnPage       = regexp.MustCompile(`src="data:image/png;base64,([^"]+)"`)
	recoveryOnPage = regexp.MustCompile(`<code>([0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4})</code>`)
)

// enrol sets up two-factor for the signed-in b and returns the secret and the recovery codes.
func (b *browser) enrol() (secret string, codes []string) {
	t := b.e.t
	t.Helper()
	resp, page := b.get("/konto/tofaktor")
	m := secretOnPage.FindStringSubmatch(page)
	q := qrOnPage.FindStringSubmatch(page)
	if resp.StatusCode != http.StatusOK || m == nil || q == nil {
		t.Fatalf("enrolment page %d: %s", resp.StatusCode, page)
	}
	raw, err := base64.StdEncoding.DecodeString(html.UnescapeString(q[1]))
	if err != nil {
		t.Fatal(err)
	}
	if img, err := png.Decode(bytes.NewReader(raw)); err != nil || img.Bounds().Dx() < 200 {
		t.Fatalf("the QR code is no PNG of 200 pixels or more: %v", err)
	}
	secret = strings.ReplaceAll(m[1], " ", "")
	if _, again := b.get("/konto/tofaktor"); !strings.Contains(again, m[1]) {
		t.Fatal("a reload showed another secret than the phone scanned")
	}
	token := b.csrf("/konto/tofaktor")
	if resp, _ := b.post("/konto/tofaktor", url.Values{"csrf": {token}, "kode": {"12345"}}); resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("wrong code turned two-factor on: %d", resp.StatusCode)
	}
	code, _ := totp.GenerateCode(secret, time.Now())
	resp, page = b.post("/konto/tofaktor", url.Values{"csrf": {token}, "kode": {code}})
	for _, m := range recoveryOnPage.FindAllStringSubmatch(page, -1) {
		codes = append(codes, m[1])
	}
	if resp.StatusCode != http.StatusOK || len(codes) != 10 || resp.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("confirm: %d, %d recovery codes, cache %q", resp.StatusCode, len(codes), resp.Header.Get("Cache-Control"))
	}
	return secret, codes
}

// passwordStep logs in with the password and expects the code step, not a session.
func (b *browser) passwordStep(email string) {
	t := b.e.t
	t.Helper()
	delete(b.cookies, "dh_session")
	resp, _ := b.post("/logg-inn", url.Values{"csrf": {b.csrf("/logg-inn")}, "email": {email}, "password": {testPassword}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/logg-inn/kode" {
		t.Fatalf("password step: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if b.cookies["dh_session"] != "" {
		t.Fatal("the password step made a session before the code")
	}
	if resp, _ := b.get("/innboks"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("inbox after the password step alone: %d", resp.StatusCode)
	}
}

func (b *browser) codeStep(code string) *http.Response {
	b.e.t.Helper()
	resp, _ := b.post("/logg-inn/kode", url.Values{"csrf": {b.csrf("/logg-inn/kode")}, "kode": {code}})
	return resp
}

func TestTwoFactorLogin(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080")
	b := e.browser()
	b.login("agent@ks.no")
	secret, codes := b.enrol()

	b.passwordStep("agent@ks.no")
	used, _ := totp.GenerateCode(secret, time.Now())
	if resp := b.codeStep(used); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("the code that confirmed the setup worked again: %d", resp.StatusCode)
	}
	next, _ := totp.GenerateCode(secret, time.Now().Add(30*time.Second))
	if resp := b.codeStep(next); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/innboks" {
		t.Fatalf("code step: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if _, page := b.get("/innboks"); !strings.Contains(page, "<h1>Innboks</h1>") {
		t.Fatal("not signed in after the code")
	}

	b.passwordStep("agent@ks.no")
	if resp := b.codeStep(strings.ToUpper(codes[3])); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("recovery code: %d", resp.StatusCode)
	}
	b.passwordStep("agent@ks.no")
	if resp := b.codeStep(codes[3]); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("a recovery code worked twice: %d", resp.StatusCode)
	}
	events, _ := e.srv.Events.FindEvents(context.Background(), 0)
	for _, want := range []string{"innlogget med passord og tofaktorkode", "innlogget med passord og gjenopprettingskode", "mislykket tofaktorkode"} {
		if !hasLoginEvent(events, "agent@ks.no", want) {
			t.Errorf("no audit line %q", want)
		}
	}
	// guessing codes is limited like guessing passwords
	var last *http.Response
	for range 6 {
		last = b.codeStep("000000")
	}
	if last.StatusCode != http.StatusTooManyRequests || last.Header.Get("Retry-After") == "" {
		t.Fatalf("sixth wrong code: %d", last.StatusCode)
	}
}

// TestTwoFactorCodeStepNeedsPassword: the code form does nothing without a password step,
// and a forged note of one is worth nothing.
func TestTwoFactorCodeStepNeedsPassword(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080")
	b := e.browser()
	if resp, _ := b.get("/logg-inn/kode"); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/logg-inn" {
		t.Fatalf("code form without a password: %d", resp.StatusCode)
	}
	b.cookies["dh_2fa"] = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	resp, _ := b.post("/logg-inn/kode", url.Values{"csrf": {b.csrf("/logg-inn")}, "kode": {"123456"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/logg-inn" || b.cookies["dh_session"] != "" {
		t.Fatalf("forged note: %d", resp.StatusCode)
	}
}

// TestRequireTwoFactor: once admins require it, a local user without two-factor is sent to set
// it up before anything else; admins can reset a user's two-factor.
func TestRequireTwoFactor(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080")
	admin := e.browser()
	admin.login("admin@ks.no")
	resp, _ := admin.post("/admin/tofaktor", url.Values{"csrf": {admin.csrf("/admin/brukere")}, "kreves": {"ja"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("require: %d", resp.StatusCode)
	}
	if resp, _ := admin.get("/admin/brukere"); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/konto/tofaktor" {
		t.Fatalf("admin without two-factor: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	agent := e.browser()
	agent.login("agent@ks.no")
	for _, path := range []string{"/innboks", "/konto", "/statistikk", "/"} {
		if resp, _ := agent.get(path); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/konto/tofaktor" {
			t.Errorf("%s: %d to %q, want the enrolment", path, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	if _, page := agent.get("/konto/tofaktor"); !strings.Contains(page, "krever tofaktor") {
		t.Error("the enrolment page does not say why")
	}
	agent.enrol()
	if resp, _ := agent.get("/innboks"); resp.StatusCode != http.StatusOK {
		t.Fatalf("after enrolment: %d", resp.StatusCode)
	}
	admin.enrol()
	_, page := admin.get("/admin/brukere")
	if !strings.Contains(page, "Tofaktor på") || !strings.Contains(page, "Gjør tofaktor valgfritt") {
		t.Fatal("the users page does not show two-factor")
	}
	u, _ := e.users.FindUserByEmail(context.Background(), "agent@ks.no")
	if resp, _ := admin.post("/admin/brukere/"+itoa(u.ID)+"/tofaktor", url.Values{"csrf": {admin.csrf("/admin/brukere")}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("reset: %d", resp.StatusCode)
	}
	if u, _ = e.users.FindUserByEmail(context.Background(), "agent@ks.no"); u.TwoFactor {
		t.Fatal("two-factor still on after the admin's reset")
	}
	events, _ := e.srv.Events.FindEvents(context.Background(), 0)
	var found int
	for _, ev := range events {
		if ev.Detail == "tofaktor for lokale kontoer: påkrevd" && ev.Actor == "admin@ks.no" || ev.Detail == "tofaktor nullstilt av administrator" {
			found++
		}
	}
	if found != 2 {
		t.Fatalf("audit lines of the setting and the reset: %d", found)
	}
}
