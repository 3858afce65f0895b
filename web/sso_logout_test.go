package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestSSOFrontChannelLogout: the provider's front-channel logout ends the sessions begun in
// that provider session and no other, whatever else it is sent; it answers the same page every
// time, sets no cookie, is never cached, and only the provider may frame it.
func TestSSOFrontChannelLogout(t *testing.T) {
	m := startIDP(t)
	kari := &idpPerson{sub: "s-kari", email: "kari@ks.test", name: "Kari", groups: []string{"dh-agents"}, sid: "sid-kari-8c2f"}
	ola := &idpPerson{sub: "s-ola", email: "ola@ks.test", name: "Ola", groups: []string{"dh-admins"}, sid: "sid-ola-41d0"}
	tests := []struct {
		name      string
		query     url.Values
		wantEnded bool // Kari's two browsers signed out; Ola's and the password session never
	}{
		{"OK iss and sid", url.Values{"iss": {m.Issuer()}, "sid": {kari.sid}}, true},
		{"OK sid without iss, as Entra ID sends it", url.Values{"sid": {kari.sid}}, true},
		{"ErrOtherIssuer", url.Values{"iss": {"https://login.example.test/annen"}, "sid": {kari.sid}}, false},
		{"ErrIssuerWithSlash", url.Values{"iss": {m.Issuer() + "/"}, "sid": {kari.sid}}, false},
		{"ErrNoSid", url.Values{"iss": {m.Issuer()}}, false},
		{"ErrEmptySid", url.Values{"iss": {m.Issuer()}, "sid": {""}}, false},
		{"ErrUnknownSid", url.Values{"iss": {m.Issuer()}, "sid": {"sid-ingen"}}, false},
	}
	var page string // the answer, the same for every request
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEnv(t, "https://digihjelpen.ks.no", withSSO(m))
			kariHere, kariThere, olaHere := e.browser(), e.browser(), e.browser()
			for _, s := range []struct {
				b *browser
				p *idpPerson
			}{{kariHere, kari}, {kariThere, kari}, {olaHere, ola}} {
				if resp := s.b.ssoLogin(m, s.p); resp.StatusCode != http.StatusSeeOther {
					t.Fatalf("sign-in of %s: %d", s.p.email, resp.StatusCode)
				}
			}
			local := e.browser()
			local.login("agent@ks.no")

			provider := e.browser() // the provider's iframe: none of our cookies
			for range 2 {           // the provider may send it again: the same answer
				resp, body := provider.get("/logg-ut/sso?" + tt.query.Encode())
				if resp.StatusCode != http.StatusOK || !strings.Contains(body, "<h1>Logget ut</h1>") {
					t.Fatalf("front-channel logout: %d %s", resp.StatusCode, body)
				}
				if page == "" {
					page = body
				} else if body != page {
					t.Fatalf("the answer says what happened:\n%s\n%s", body, page)
				}
				if got := resp.Header.Get("Cache-Control"); got != "no-store" {
					t.Errorf("Cache-Control %q", got)
				}
				if csp := resp.Header.Get("Content-Security-Policy"); !strings.HasSuffix(csp, "frame-ancestors "+m.Addr()) ||
					strings.Count(csp, "frame-ancestors") != 1 || strings.Contains(csp, "'self'") {
					t.Errorf("CSP %q: want frame-ancestors %s and nothing else to frame it", csp, m.Addr())
				}
				if xfo := resp.Header.Get("X-Frame-Options"); xfo != "" {
					t.Errorf("X-Frame-Options %q forbids the provider's frame", xfo)
				}
				if sc := resp.Header.Values("Set-Cookie"); len(sc) != 0 {
					t.Errorf("cookies set: %q", sc)
				}
			}

			for _, s := range []struct {
				who      string
				b        *browser
				wantGone bool
			}{{"Kari here", kariHere, tt.wantEnded}, {"Kari in her other browser", kariThere, tt.wantEnded},
				{"Ola", olaHere, false}, {"the password session", local, false}} {
				resp, _ := s.b.get("/innboks")
				if gone := resp.StatusCode == http.StatusSeeOther; gone != s.wantGone {
					t.Errorf("%s: /innboks %d, want signed out %v", s.who, resp.StatusCode, s.wantGone)
				}
			}
			logs := e.logs.String()
			if strings.Contains(logs, kari.sid) || strings.Contains(logs, ola.sid) {
				t.Errorf("a sid in the log:\n%s", logs)
			}
			if tt.wantEnded != strings.Contains(logs, "sessions_ended=2") {
				t.Errorf("log does not say the two sessions ended:\n%s", logs)
			}
		})
	}
}

// TestFrameHeaders: only the front-channel logout may be framed, and only by the provider;
// every other page keeps refusing frames.
func TestFrameHeaders(t *testing.T) {
	m := startIDP(t)
	e := newTestEnv(t, "https://digihjelpen.ks.no", withSSO(m))
	b := e.browser()
	for _, path := range []string{"/logg-inn", "/", "/logg-inn/sso/tilbake", "/logg-ut/sso/annet"} {
		resp, _ := b.get(path)
		if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") || resp.Header.Get("X-Frame-Options") != "DENY" {
			t.Errorf("%s may be framed: CSP %q, X-Frame-Options %q", path, csp, resp.Header.Get("X-Frame-Options"))
		}
	}
}

// TestFrontChannelLogoutLimit: a loop from one address is refused after the limit, and a
// refused request ends nothing.
func TestFrontChannelLogoutLimit(t *testing.T) {
	m := startIDP(t)
	e := newTestEnv(t, "https://digihjelpen.ks.no", withSSO(m))
	kari := &idpPerson{sub: "s-kari", email: "kari@ks.test", name: "Kari", groups: []string{"dh-agents"}, sid: "sid-kari-8c2f"}
	signedIn := e.browser()
	signedIn.ssoLogin(m, kari)
	provider := e.browser()
	for i := range 60 {
		if resp, _ := provider.get("/logg-ut/sso?sid=gjetning-" + string(rune('a'+i%26))); resp.StatusCode != http.StatusOK {
			t.Fatalf("request %d: %d", i+1, resp.StatusCode)
		}
	}
	resp, _ := provider.get("/logg-ut/sso?sid=" + kari.sid)
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("request 61: %d, want 429 with Retry-After", resp.StatusCode)
	}
	if resp, _ := signedIn.get("/innboks"); resp.StatusCode != http.StatusOK {
		t.Fatalf("a refused request ended a session: %d", resp.StatusCode)
	}
}
