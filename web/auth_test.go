package web_test

import (
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/ks-no/digihjelpen/web"
)

func TestLogin(t *testing.T) {
	tests := []struct {
		name       string
		email      string
		password   string
		csrf       bool
		wantStatus int
		wantText   string
	}{
		{"OK", "admin@ks.no", testPassword, true, http.StatusSeeOther, ""},
		{"OK upper-case email", "ADMIN@KS.NO", testPassword, true, http.StatusSeeOther, ""},
		{"ErrWrongPassword", "admin@ks.no", "feil-passord-123", true, http.StatusUnauthorized, "Feil e-postadresse eller passord."},
		{"ErrUnknownUser", "ingen@ks.no", testPassword, true, http.StatusUnauthorized, "Feil e-postadresse eller passord."},
		{"ErrNoCSRF", "admin@ks.no", testPassword, false, http.StatusForbidden, "Skjemaet er utløpt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEnv(t, "http://127.0.0.1:8080")
			b := e.browser()
			form := url.Values{"email": {tt.email}, "password": {tt.password}}
			if tt.csrf {
				form.Set("csrf", b.csrf("/logg-inn"))
			}
			resp, body := b.post("/logg-inn", form)
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("status = %d, want %d: %s", resp.StatusCode, tt.wantStatus, body)
			}
			if !strings.Contains(body, tt.wantText) {
				t.Fatalf("body lacks %q: %s", tt.wantText, body)
			}
			_, inbox := b.get("/innboks")
			loggedIn := strings.Contains(inbox, "<h1>Innboks</h1>")
			if loggedIn != (tt.wantStatus == http.StatusSeeOther) {
				t.Fatalf("logged in = %v after status %d", loggedIn, resp.StatusCode)
			}
		})
	}
}

func TestLoginCookies(t *testing.T) {
	for _, tt := range []struct {
		baseURL    string
		wantSecure bool
	}{{"http://127.0.0.1:8080", false}, {"https://digihjelpen.ks.no", true}} {
		t.Run(tt.baseURL, func(t *testing.T) {
			e := newTestEnv(t, tt.baseURL)
			b := e.browser()
			form := url.Values{"csrf": {b.csrf("/logg-inn")}, "email": {"agent@ks.no"}, "password": {testPassword}}
			req := newForm(http.MethodPost, "/logg-inn", form)
			req.AddCookie(&http.Cookie{Name: "dh_csrf", Value: b.cookies["dh_csrf"]})
			resp, err := e.srv.App().Test(req, -1)
			if err != nil {
				t.Fatal(err)
			}
			var found bool
			for _, c := range resp.Cookies() {
				if c.Name != "dh_session" {
					continue
				}
				found = true
				if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Secure != tt.wantSecure || len(c.Value) < 40 {
					t.Fatalf("session cookie %+v, want HttpOnly, SameSite=Lax, Secure=%v", c, tt.wantSecure)
				}
			}
			if !found {
				t.Fatal("no session cookie")
			}
		})
	}
}

// TestLoginRateLimit: five wrong passwords for an account from one address make that address
// wait (429 with Retry-After), while the owner from another address and colleagues from the
// same one still get in; ten failures from one address make the address wait for everyone.
func TestLoginRateLimit(t *testing.T) {
	proxies, err := web.ParseTrustedProxies([]string{"0.0.0.0"}) // app.Test's connections
	if err != nil {
		t.Fatal(err)
	}
	e := newTestEnv(t, "http://127.0.0.1:8080", func(s *web.Server) { s.TrustedProxies = proxies })
	b := e.browser()
	token := b.csrf("/logg-inn")
	login := func(from, email, password string) (*http.Response, string) {
		req := newForm(http.MethodPost, "/logg-inn", url.Values{"csrf": {token}, "email": {email}, "password": {password}})
		req.Header.Set("X-Forwarded-For", from)
		resp := b.do(req)
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode == http.StatusSeeOther { // signed in: a new CSRF seed; out again
			delete(b.cookies, "dh_session")
			token = b.csrf("/logg-inn")
		}
		return resp, string(body)
	}
	const guesser, owner = "203.0.113.7", "198.51.100.20"
	for i := range 5 {
		if resp, _ := login(guesser, "admin@ks.no", "gjetning-nummer-x"); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("attempt %d: status %d, want 401", i+1, resp.StatusCode)
		}
	}
	resp, body := login(guesser, "admin@ks.no", testPassword)
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("status %d Retry-After %q, want 429 with Retry-After", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if !strings.Contains(body, "For mange mislykkede forsøk") {
		t.Fatalf("body: %s", body)
	}
	if resp, _ := login(owner, "admin@ks.no", testPassword); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("the owner from another address: status %d, want 303", resp.StatusCode)
	}
	if resp, _ := login(guesser, "agent@ks.no", testPassword); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("a colleague from the guesser's address: status %d, want 303", resp.StatusCode)
	}
	for i := range 5 { // other accounts: the address's own count reaches ten
		if resp, _ := login(guesser, fmt.Sprintf("gjest%d@ks.no", i), "gjetning"); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("guess %d at another account: status %d, want 401", i+1, resp.StatusCode)
		}
	}
	if resp, _ := login(guesser, "agent@ks.no", testPassword); resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("ten failures from one address: status %d, want 429", resp.StatusCode)
	}
	if resp, _ := login(owner, "agent@ks.no", testPassword); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("another address: status %d, want 303", resp.StatusCode)
	}
}

func TestLogout(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080")
	b := e.browser()
	b.login("agent@ks.no")
	session := b.cookies["dh_session"]
	resp, _ := b.post("/logg-ut", url.Values{"csrf": {b.csrf("/innboks")}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("logout status %d", resp.StatusCode)
	}
	// the old cookie no longer works, even if a copy was kept
	stolen := e.browser()
	stolen.cookies["dh_session"] = session
	if resp, _ := stolen.get("/innboks"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("old session still valid: %d", resp.StatusCode)
	}
}

// TestLoginRenewsSessionAndCSRF: a login never carries over what the browser had before. The
// session it had (someone else's, left logged in on a shared computer) ends on the server, and
// the CSRF seed is new, so a seed planted in the browser before login (login CSRF) is useless.
func TestLoginRenewsSessionAndCSRF(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080")
	b := e.browser()
	b.login("admin@ks.no")
	first, seed := b.cookies["dh_session"], b.cookies["dh_csrf"]
	oldToken := b.csrf("/innboks")
	// the login form is not shown to someone logged in; a second tab still has it
	if resp, _ := b.post("/logg-inn", url.Values{"csrf": {oldToken}, "email": {"agent@ks.no"}, "password": {testPassword}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("second login: %d", resp.StatusCode)
	}
	if b.cookies["dh_session"] == first || b.cookies["dh_csrf"] == seed {
		t.Fatalf("login kept the session or the CSRF seed of before")
	}
	kept := e.browser()
	kept.cookies["dh_session"] = first
	if resp, _ := kept.get("/innboks"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("the admin's session survived the agent's login in the same browser: %d", resp.StatusCode)
	}
	if resp, _ := b.post("/logg-ut", url.Values{"csrf": {oldToken}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a CSRF token from before login still works: %d", resp.StatusCode)
	}
}

func TestRequireLogin(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080")
	for _, path := range []string{"/innboks", "/saker/DH-2026-0001"} {
		resp, _ := e.browser().get(path)
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/logg-inn?neste=") {
			t.Errorf("%s: status %d location %q, want redirect to login", path, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
}

// TestSessionStorageFault: when storage fails while the session is read, a signed-in user gets
// an error page with the fault logged, not the login page as if the cookie were bad; a cookie
// storage does not know still just means nobody is signed in.
func TestSessionStorageFault(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080")
	b := e.browser()
	b.login("agent@ks.no")
	stranger := e.browser()
	stranger.cookies["dh_session"] = "ukjent"
	if resp, _ := stranger.get("/innboks"); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/logg-inn") {
		t.Errorf("unknown cookie: status %d location %q, want the login page", resp.StatusCode, resp.Header.Get("Location"))
	}
	if err := e.db.Close(); err != nil {
		t.Fatal(err)
	}
	resp, body := b.get("/innboks")
	if resp.StatusCode != http.StatusInternalServerError || resp.Header.Get("Location") != "" {
		t.Errorf("status %d location %q, want 500 and no redirect: %s", resp.StatusCode, resp.Header.Get("Location"), body)
	}
	if !strings.Contains(e.logs.String(), "load session") {
		t.Errorf("the fault is not logged:\n%s", e.logs)
	}
}

func TestLoginRedirectStaysOnSite(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080")
	for next, want := range map[string]string{
		"/saker/DH-2026-0001":   "/saker/DH-2026-0001",
		"https://evil.example/": "/innboks",
		"//evil.example/":       "/innboks",
		"/\\evil.example":       "/innboks",
		"":                      "/innboks",
		"javascript:alert(1)":   "/innboks",
		"/logg-inn?neste=/x":    "/innboks",
		"/innboks?vis=henvist":  "/innboks?vis=henvist",
	} {
		b := e.browser()
		resp, _ := b.post("/logg-inn", url.Values{"csrf": {b.csrf("/logg-inn")}, "email": {"agent@ks.no"}, "password": {testPassword}, "neste": {next}})
		if got := resp.Header.Get("Location"); got != want {
			t.Errorf("neste=%q: redirect to %q, want %q", next, got, want)
		}
	}
}

// TestLoginReturnsToTheWholeURL: after the login page, staff land on the page they asked for
// with all its filters, not only the first one (the return path is escaped in the redirect).
func TestLoginReturnsToTheWholeURL(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080")
	b := e.browser()
	const want = "/innboks?vis=henvist&etat=nav&sorter=eldste"
	resp, _ := b.get(want)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("anonymous: %d, want a redirect to login", resp.StatusCode)
	}
	_, page := b.get(resp.Header.Get("Location"))
	m := regexp.MustCompile(`name="neste" value="([^"]*)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no neste field on the login page")
	}
	resp, _ = b.post("/logg-inn", url.Values{"csrf": {b.csrf("/logg-inn")}, "email": {"agent@ks.no"}, "password": {testPassword}, "neste": {html.UnescapeString(m[1])}})
	if got := resp.Header.Get("Location"); got != want {
		t.Fatalf("after login: redirect to %q, want %q", got, want)
	}
}

func newForm(method, path string, form url.Values) *http.Request {
	req, _ := http.NewRequest(method, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return req
}

// Behind a trusted proxy, each client has a limit of its own, and a client cannot escape its
// limit by writing addresses into X-Forwarded-For.
func TestLoginRateLimitBehindProxy(t *testing.T) {
	proxies, err := web.ParseTrustedProxies([]string{"0.0.0.0"}) // app.Test's connections
	if err != nil {
		t.Fatal(err)
	}
	e := newTestEnv(t, "http://127.0.0.1:8080", func(s *web.Server) { s.TrustedProxies = proxies })
	b := e.browser()
	token := b.csrf("/logg-inn")
	login := func(xff, email, password string) int {
		req := httptest.NewRequest(http.MethodPost, "/logg-inn", strings.NewReader(url.Values{"csrf": {token}, "email": {email}, "password": {password}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Forwarded-For", xff)
		return b.do(req).StatusCode
	}
	for i := range 10 { // the address's limit: failures at any account count
		if got := login("203.0.113.7", fmt.Sprintf("gjest%d@ks.no", i), "gjetning-nummer-x"); got != http.StatusUnauthorized {
			t.Fatalf("attempt %d: status %d, want 401", i+1, got)
		}
	}
	if got := login("198.51.100.1, 203.0.113.7", "agent@ks.no", testPassword); got != http.StatusTooManyRequests {
		t.Fatalf("forged entry: status %d, want 429", got)
	}
	if got := login("203.0.113.8", "agent@ks.no", testPassword); got != http.StatusSeeOther {
		t.Fatalf("another client behind the proxy: status %d, want 303", got)
	}
}

// TestLoginLimitTellsNoAccounts: an address nobody has is limited after as many failures as a
// real account, so counting tries does not reveal which accounts exist.
func TestLoginLimitTellsNoAccounts(t *testing.T) {
	for _, email := range []string{"agent@ks.no", "ingen-slik@ks.no"} {
		t.Run(email, func(t *testing.T) {
			e := newTestEnv(t, "http://127.0.0.1:8080")
			b := e.browser()
			token := b.csrf("/logg-inn")
			var last *http.Response
			for range 6 {
				last, _ = b.post("/logg-inn", url.Values{"csrf": {token}, "email": {email}, "password": {"gjetning-nummer-x"}})
			}
			if last.StatusCode != http.StatusTooManyRequests {
				t.Fatalf("sixth try: %d, want 429", last.StatusCode)
			}
		})
	}
}
