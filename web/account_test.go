package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/ks-no/digihjelpen/ticket"
)

func TestAccountName(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080")
	b := e.browser()
	b.login("agent@ks.no")
	tests := []struct {
		name       string
		value      string
		wantStatus int
	}{
		{"OK", "Agnes Agent", http.StatusSeeOther},
		{"ErrEmpty", "  ", http.StatusBadRequest},
		{"ErrTooLong", strings.Repeat("a", 201), http.StatusBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, _ := b.post("/konto/navn", url.Values{"csrf": {b.csrf("/konto")}, "navn": {tt.value}})
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.wantStatus)
			}
		})
	}
	if u, _ := e.users.FindUserByEmail(context.Background(), "agent@ks.no"); u.Name != "Agnes Agent" {
		t.Fatalf("name %q", u.Name)
	}
}

// TestAccountPassword: the current password is asked for; a change ends every other session
// and keeps this browser signed in.
func TestAccountPassword(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080")
	other := e.browser()
	other.login("agent@ks.no")
	b := e.browser()
	b.login("agent@ks.no")
	const newPassword = "et-helt-nytt-langt-passord"
	tests := []struct {
		name                  string
		current, next, repeat string
		wantStatus            int
		wantText              string
	}{
		{"ErrWrongCurrent", "feil-passord-her", newPassword, newPassword, http.StatusBadRequest, "Passordet du bruker nå, er feil."},
		{"ErrTooShort", testPassword, "kort", "kort", http.StatusBadRequest, "minst 12 tegn"},
		{"ErrRepeat", testPassword, newPassword, newPassword + "x", http.StatusBadRequest, "Passordene er ikke like."},
		{"OK", testPassword, newPassword, newPassword, http.StatusSeeOther, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, page := b.post("/konto/passord", url.Values{"csrf": {b.csrf("/konto")}, "passord": {tt.current}, "nytt": {tt.next}, "gjenta": {tt.repeat}})
			if resp.StatusCode != tt.wantStatus || !strings.Contains(page, tt.wantText) {
				t.Fatalf("status %d, want %d with %q", resp.StatusCode, tt.wantStatus, tt.wantText)
			}
		})
	}
	if resp, _ := b.get("/innboks"); resp.StatusCode != http.StatusOK {
		t.Fatalf("this browser after the change: %d", resp.StatusCode)
	}
	if resp, _ := other.get("/innboks"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("the other session after the change: %d", resp.StatusCode)
	}
	fresh := e.browser()
	if resp, _ := fresh.post("/logg-inn", url.Values{"csrf": {fresh.csrf("/logg-inn")}, "email": {"agent@ks.no"}, "password": {newPassword}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login with the new password: %d", resp.StatusCode)
	}
}

var resetLink = regexp.MustCompile(`http://127\.0\.0\.1:8080(/nytt-passord/[A-Za-z0-9_-]+)`)

// resetMails returns the reset links queued in the outbox, newest first.
func (e *testEnv) resetMails() []*ticket.OutboundMail {
	e.t.Helper()
	list, err := e.srv.Outbox.FindOutbox(context.Background(), ticket.OutboxFilter{})
	if err != nil {
		e.t.Fatal(err)
	}
	var out []*ticket.OutboundMail
	for _, m := range list {
		if m.Kind == ticket.MailPasswordReset {
			out = append(out, m)
		}
	}
	return out
}

func TestForgotPassword(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080")
	signedIn := e.browser()
	signedIn.login("agent@ks.no")
	b := e.browser()
	forgot := func(email string) (*http.Response, string) {
		return b.post("/glemt-passord", url.Values{"csrf": {b.csrf("/glemt-passord")}, "email": {email}})
	}
	respKnown, known := forgot("agent@ks.no")
	respUnknown, unknown := forgot("ingen@ks.no")
	if respKnown.StatusCode != http.StatusOK || respUnknown.StatusCode != http.StatusOK || known != unknown || !strings.Contains(known, "Lenken virker i 30 minutter") {
		t.Fatalf("the answers differ: %d %d", respKnown.StatusCode, respUnknown.StatusCode)
	}
	mails := e.resetMails()
	if len(mails) != 1 || mails[0].To[0] != "agent@ks.no" {
		t.Fatalf("reset mails %+v", mails)
	}
	m := resetLink.FindStringSubmatch(mails[0].Text)
	if m == nil {
		t.Fatalf("no link in %q", mails[0].Text)
	}
	link := m[1]
	if resp, _ := b.get(link); resp.StatusCode != http.StatusOK || resp.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("reset form: %d", resp.StatusCode)
	}
	const newPassword = "glemt-men-na-nytt-passord"
	if resp, _ := b.post(link, url.Values{"csrf": {b.csrf(link)}, "nytt": {newPassword}, "gjenta": {"noe annet helt"}}); resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("mismatch: %d", resp.StatusCode)
	}
	resp, _ := b.post(link, url.Values{"csrf": {b.csrf(link)}, "nytt": {newPassword}, "gjenta": {newPassword}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/logg-inn?ok=passord" {
		t.Fatalf("reset: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp, _ := signedIn.get("/innboks"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("a session survived the reset: %d", resp.StatusCode)
	}
	if resp, page := b.get(link); resp.StatusCode != http.StatusNotFound || !strings.Contains(page, "brukt eller utløpt") {
		t.Fatalf("link used twice: %d", resp.StatusCode)
	}
	if resp, _ := b.post("/logg-inn", url.Values{"csrf": {b.csrf("/logg-inn")}, "email": {"agent@ks.no"}, "password": {newPassword}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login with the new password: %d", resp.StatusCode)
	}
}

// TestForgotPasswordLimits: one address gets five requests an hour; one account at most three
// links an hour, whoever asks.
func TestForgotPasswordLimits(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080")
	b := e.browser()
	var last *http.Response
	for range 6 {
		last, _ = b.post("/glemt-passord", url.Values{"csrf": {b.csrf("/glemt-passord")}, "email": {"admin@ks.no"}})
	}
	if last.StatusCode != http.StatusTooManyRequests || last.Header.Get("Retry-After") == "" {
		t.Fatalf("sixth request: %d", last.StatusCode)
	}
	if n := len(e.resetMails()); n != 3 {
		t.Fatalf("links for one account: %d, want 3", n)
	}
}
