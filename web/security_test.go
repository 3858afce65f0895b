package web_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// publicRoutes are the only routes anyone may use without logging in; each has its own guard
// (the status link's secret, CSRF and rate limits, the bearer token of the API).
var publicRoutes = map[string]bool{
	"GET /healthz": true, "HEAD /healthz": true, "GET /static/:hash/*": true, "HEAD /static/:hash/*": true,
	"GET /logg-inn": true, "HEAD /logg-inn": true, "POST /logg-inn": true, "POST /logg-ut": true,
	"GET /": true, "HEAD /": true, "POST /": true, "GET /kvittering": true, "HEAD /kvittering": true,
	"GET /skjema/kommune": true, "HEAD /skjema/kommune": true,
}

// TestEveryRouteChecksRole walks the whole route table, so a route added without a role
// check fails here: every route outside the public list and the status links sends an
// anonymous visitor to the login page (the API answers 401), and admin routes refuse agents.
func TestEveryRouteChecksRole(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080", publicOpts(0))
	agent := e.browser()
	agent.login("agent@ks.no")
	for _, r := range e.srv.App().GetRoutes(true) {
		name := r.Method + " " + r.Path
		if publicRoutes[name] || strings.HasPrefix(r.Path, "/sak/") || r.Method == http.MethodOptions || r.Method == "CONNECT" || r.Method == "TRACE" {
			continue
		}
		path := strings.NewReplacer(":ref", "DH-2026-0001", ":id", "1", ":token", "x", ":seq", "1", ":n", "0", "*", "x").Replace(r.Path)
		req := httptest.NewRequest(r.Method, path, nil)
		req.Header.Set("X-CSRF-Token", "") // an anonymous POST fails CSRF first; that is a refusal too
		resp, err := e.srv.App().Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case strings.HasPrefix(r.Path, "/api/"):
			if resp.StatusCode != http.StatusUnauthorized {
				t.Errorf("anonymous %s: got %d, want 401", name, resp.StatusCode)
			}
		case r.Method == http.MethodGet || r.Method == http.MethodHead:
			if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/logg-inn") {
				t.Errorf("anonymous %s: got %d, want a redirect to login", name, resp.StatusCode)
			}
		default:
			if resp.StatusCode != http.StatusForbidden && resp.StatusCode != http.StatusSeeOther {
				t.Errorf("anonymous %s: got %d, want refused", name, resp.StatusCode)
			}
		}
		if strings.HasPrefix(r.Path, "/admin") && (r.Method == http.MethodGet) {
			if resp, _ := agent.get(path); resp.StatusCode != http.StatusForbidden {
				t.Errorf("agent %s: got %d, want 403", name, resp.StatusCode)
			}
		}
	}
}

// TestSecurityHeadersOnPublicPages checks the headers every new page type sends.
func TestSecurityHeadersOnPublicPages(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080", publicOpts(0))
	tk := formTicket(t, e)
	for _, path := range []string{"/", "/sak/" + tk.StatusToken, "/logg-inn"} {
		resp, body := e.browser().get(path)
		csp := resp.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("%s: CSP %q", path, csp)
		}
		if resp.Header.Get("X-Content-Type-Options") != "nosniff" || resp.Header.Get("X-Frame-Options") != "DENY" || resp.Header.Get("Referrer-Policy") == "" {
			t.Errorf("%s: headers %v", path, resp.Header)
		}
		if strings.Contains(body, "<script>") || strings.Contains(body, " style=") || strings.Contains(body, " onclick=") {
			t.Errorf("%s has inline script or style", path)
		}
	}
}
