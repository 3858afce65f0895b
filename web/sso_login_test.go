package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
	"github.com/ks-no/digihjelpen/web"
)

// clock is a server clock tests move by hand.
type clock struct {
	mu  sync.Mutex
	off time.Duration
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return time.Now().Add(c.off) }
func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.off += d; c.mu.Unlock() }

func TestSSOLogin(t *testing.T) {
	m := startIDP(t)
	tests := []struct {
		name       string
		who        *idpPerson
		wantStatus int
		wantRole   ticket.Role
		wantText   string
	}{
		{"OK agent", &idpPerson{sub: "s-agent", email: "agent@ks.test", name: "Agnes Agent", groups: []string{"dh-agents"}}, http.StatusSeeOther, ticket.RoleAgent, ""},
		{"OK admin", &idpPerson{sub: "s-admin", email: "admin@ks.test", name: "Ada Admin", groups: []string{"dh-admins", "dh-agents"}}, http.StatusSeeOther, ticket.RoleAdmin, ""},
		{"OK reader", &idpPerson{sub: "s-leser", email: "leser@ks.test", name: "Leif Leser", groups: []string{"dh-lesere"}}, http.StatusSeeOther, ticket.RoleReader, ""},
		{"ErrNoGroup", &idpPerson{sub: "s-ute", email: "utenfor@ks.test", name: "Ulla Utenfor"}, http.StatusForbidden, "", "Du har ikke tilgang til Digihjelpen kontaktpunkt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEnv(t, "http://127.0.0.1:8080", withSSO(m))
			b := e.browser()
			resp := b.ssoLogin(m, tt.who)
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("callback: status %d, want %d", resp.StatusCode, tt.wantStatus)
			}
			if _, ok := b.cookies["dh_sso"]; ok {
				t.Error("the attempt's cookie outlived the callback")
			}
			u, err := e.users.FindUserByEmail(context.Background(), tt.who.email)
			if tt.wantRole == "" {
				_, page := b.get("/innboks")
				if _, ok := b.cookies["dh_session"]; ok || err == nil || strings.Contains(page, "<h1>Innboks</h1>") {
					t.Fatalf("refused person got a session or a user (%v)", err)
				}
				_, page = b.get(resp.Request.URL.RequestURI())
				return
			}
			if resp.Header.Get("Location") != "/innboks" || err != nil || u.Role != tt.wantRole || !u.IsSSO() || u.Name != tt.who.name || u.PasswordHash != "" {
				t.Fatalf("location %q user %+v %v", resp.Header.Get("Location"), u, err)
			}
			if _, page := b.get("/konto"); !strings.Contains(page, "Du logger inn med KS-kontoen din") {
				t.Fatalf("account page of an SSO user: %s", page)
			}
			events, _ := e.srv.Events.FindEvents(context.Background(), 0)
			if !hasLoginEvent(events, tt.who.email, "innlogget med KS-konto som "+string(tt.wantRole)) {
				t.Fatalf("no audit line of the sign-in: %+v", events)
			}
		})
	}
}

func hasLoginEvent(events []*ticket.Event, actor, detail string) bool {
	for _, ev := range events {
		if ev.Kind == ticket.EventLogin && ev.Actor == actor && strings.HasPrefix(ev.Detail, detail) {
			return true
		}
	}
	return false
}

// TestSSORefusalText: the page that turns away a person outside the groups says why, in
// Norwegian, and sets no session.
func TestSSORefusalText(t *testing.T) {
	m := startIDP(t)
	e := newTestEnv(t, "http://127.0.0.1:8080", withSSO(m))
	b := e.browser()
	resp, _ := b.get("/logg-inn/sso")
	m.QueueUser(&idpPerson{sub: "s-ute", email: "utenfor@ks.test", name: "Ulla"})
	back := e.authorize(resp.Header.Get("Location"))
	resp, page := b.get(back.RequestURI())
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(page, "Du har ikke tilgang til Digihjelpen kontaktpunkt") || b.cookies["dh_session"] != "" {
		t.Fatalf("status %d session %q: %s", resp.StatusCode, b.cookies["dh_session"], page)
	}
	events, _ := e.srv.Events.FindEvents(context.Background(), 0)
	if !hasLoginEvent(events, "utenfor@ks.test", "avvist innlogging med KS-konto") {
		t.Fatalf("no audit line of the refusal: %+v", events)
	}
}

// TestSSOCallbackProblems: everything that can go wrong on the way back gives a page with
// «Prøv igjen», never a 500, and no session.
func TestSSOCallbackProblems(t *testing.T) {
	m := startIDP(t)
	agent := &idpPerson{sub: "s-agent", email: "agent@ks.test", name: "Agnes", groups: []string{"dh-agents"}}
	tests := []struct {
		name       string
		back       func(b *browser, q url.Values, clk *clock) string
		wantStatus int
		wantText   string
	}{
		{"ErrStateMismatch", func(b *browser, q url.Values, _ *clock) string {
			q.Set("state", "en-annen-state")
			return q.Encode()
		}, http.StatusBadRequest, "hørte ikke til innloggingen i denne nettleseren"},
		{"ErrOtherBrowser", func(b *browser, q url.Values, _ *clock) string {
			delete(b.cookies, "dh_sso")
			return q.Encode()
		}, http.StatusBadRequest, "startet i en annen nettleser"},
		{"ErrExpired", func(b *browser, q url.Values, clk *clock) string {
			clk.Add(11 * time.Minute)
			return q.Encode()
		}, http.StatusBadRequest, "tok for lang tid"},
		{"ErrProviderSaysNo", func(b *browser, q url.Values, _ *clock) string {
			return url.Values{"error": {"access_denied"}, "state": {q.Get("state")}}.Encode()
		}, http.StatusBadGateway, "avbrutt eller avvist"},
		{"ErrCodeUsedTwice", func(b *browser, q url.Values, _ *clock) string {
			q.Set("code", "ukjent-kode")
			return q.Encode()
		}, http.StatusBadGateway, "Prøv igjen om litt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := &clock{}
			e := newTestEnv(t, "http://127.0.0.1:8080", withSSO(m), func(s *web.Server) { s.Now = clk.Now })
			b := e.browser()
			resp, _ := b.get("/logg-inn/sso?neste=/statistikk")
			m.QueueUser(agent)
			back := e.authorize(resp.Header.Get("Location"))
			resp, page := b.get(back.Path + "?" + tt.back(b, back.Query(), clk))
			if resp.StatusCode != tt.wantStatus || !strings.Contains(page, tt.wantText) || !strings.Contains(page, "Prøv igjen") {
				t.Fatalf("status %d, want %d with %q: %s", resp.StatusCode, tt.wantStatus, tt.wantText, page)
			}
			if b.cookies["dh_session"] != "" {
				t.Fatal("a session after a failed sign-in")
			}
		})
	}
}

// TestSSOProviderDown: a provider that does not answer gives a page with «Prøv igjen» (502),
// and the server itself started without it.
func TestSSOProviderDown(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080", func(s *web.Server) {
		s.SSO = web.SSOConfig{Issuer: "http://127.0.0.1:9/oidc", ClientID: "x", ClientSecret: "y", AgentGroups: []string{"g"}}
	})
	b := e.browser()
	if _, page := b.get("/logg-inn"); !strings.Contains(page, "Logg inn med KS-konto") {
		t.Fatalf("login page without the SSO button: %s", page)
	}
	resp, page := b.get("/logg-inn/sso")
	if resp.StatusCode != http.StatusBadGateway || !strings.Contains(page, "Prøv igjen") || !strings.Contains(page, "får ikke kontakt") {
		t.Fatalf("status %d: %s", resp.StatusCode, page)
	}
}

// TestSSOGroupsAtEverySignIn: the role follows the groups at each sign-in, and someone taken
// out of every group is refused and loses the session they still had.
func TestSSOGroupsAtEverySignIn(t *testing.T) {
	m := startIDP(t)
	e := newTestEnv(t, "http://127.0.0.1:8080", withSSO(m))
	first := e.browser()
	if resp := first.ssoLogin(m, &idpPerson{sub: "s1", email: "kari@ks.test", name: "Kari", groups: []string{"dh-admins"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("first sign-in %d", resp.StatusCode)
	}
	second := e.browser()
	second.ssoLogin(m, &idpPerson{sub: "s1", email: "kari@ks.test", name: "Kari N", groups: []string{"dh-agents"}})
	u, _ := e.users.FindUserByEmail(context.Background(), "kari@ks.test")
	if u.Role != ticket.RoleAgent || u.Name != "Kari N" {
		t.Fatalf("after the second sign-in: %+v", u)
	}
	if resp := second.ssoLogin(m, &idpPerson{sub: "s1", email: "kari@ks.test", name: "Kari N"}); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("out of the groups: %d", resp.StatusCode)
	}
	if resp, _ := first.get("/innboks"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("the session of before survived the refusal: %d", resp.StatusCode)
	}
}

// TestSSOSessionEnds: a session begun at the provider ends after sso.max_session however
// busy, while a password session lasts its day.
func TestSSOSessionEnds(t *testing.T) {
	m := startIDP(t)
	clk := &clock{}
	e := newTestEnv(t, "http://127.0.0.1:8080", withSSO(m), func(s *web.Server) {
		s.Now = clk.Now
		s.SSO.MaxSession = time.Hour
	})
	sso := e.browser()
	sso.ssoLogin(m, &idpPerson{sub: "s1", email: "kari@ks.test", name: "Kari", groups: []string{"dh-agents"}})
	local := e.browser()
	local.login("agent@ks.no")
	for range 7 { // busy: a click every ten minutes
		clk.Add(10 * time.Minute)
		sso.get("/innboks")
		local.get("/innboks")
	}
	if resp, _ := sso.get("/innboks"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("SSO session after 70 minutes: %d, want a redirect to login", resp.StatusCode)
	}
	if resp, _ := local.get("/innboks"); resp.StatusCode != http.StatusOK {
		t.Fatalf("password session after 70 minutes: %d", resp.StatusCode)
	}
}

// TestSSOLogout: logging out ends our session and continues at the provider's
// end_session_endpoint with the ID token as hint and the login page to come back to; the page
// policy lets the logout form lead there.
func TestSSOLogout(t *testing.T) {
	m := startIDP(t)
	e := newTestEnv(t, "https://digihjelpen.ks.no", withSSO(m))
	b := e.browser()
	b.ssoLogin(m, &idpPerson{sub: "s1", email: "kari@ks.test", name: "Kari", groups: []string{"dh-agents"}})
	session := b.cookies["dh_session"]
	resp, _ := b.get("/innboks")
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "form-action 'self' "+m.Addr()) {
		t.Fatalf("CSP %q does not let the logout form lead to the provider", csp)
	}
	resp, _ = b.post("/logg-ut", url.Values{"csrf": {b.csrf("/innboks")}})
	to, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(to.String(), m.Addr()+idpLogoutPath) {
		t.Fatalf("logout: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if to.Query().Get("id_token_hint") == "" || to.Query().Get("post_logout_redirect_uri") != "https://digihjelpen.ks.no/logg-inn" {
		t.Fatalf("logout URL %s", to)
	}
	stolen := e.browser()
	stolen.cookies["dh_session"] = session
	if resp, _ := stolen.get("/innboks"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("session alive after logout: %d", resp.StatusCode)
	}
	// a password session logs out here only
	local := e.browser()
	local.login("agent@ks.no")
	if resp, _ := local.post("/logg-ut", url.Values{"csrf": {local.csrf("/innboks")}}); resp.Header.Get("Location") != "/logg-inn" {
		t.Fatalf("password logout to %q", resp.Header.Get("Location"))
	}
}

// TestSSOUserHasNoPassword: an SSO account cannot sign in with a password, a reset does not
// apply to it, and guesses at its password never lock it.
func TestSSOUserHasNoPassword(t *testing.T) {
	m := startIDP(t)
	e := newTestEnv(t, "http://127.0.0.1:8080", withSSO(m))
	b := e.browser()
	b.ssoLogin(m, &idpPerson{sub: "s1", email: "kari@ks.test", name: "Kari", groups: []string{"dh-agents"}})
	guesser := e.browser()
	for i := range 8 { // from the same address as the owner's sign-in below
		resp, _ := guesser.post("/logg-inn", url.Values{"csrf": {guesser.csrf("/logg-inn")}, "email": {"kari@ks.test"}, "password": {"gjetning-1234"}})
		if want := map[bool]int{true: http.StatusUnauthorized, false: http.StatusTooManyRequests}[i < 5]; resp.StatusCode != want {
			t.Fatalf("password try %d for an SSO account: %d, want %d", i+1, resp.StatusCode, want)
		}
	}
	if resp := e.browser().ssoLogin(m, &idpPerson{sub: "s1", email: "kari@ks.test", name: "Kari", groups: []string{"dh-agents"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("SSO sign-in after password guesses: %d", resp.StatusCode)
	}
	admin := e.browser()
	admin.login("admin@ks.no")
	u, _ := e.users.FindUserByEmail(context.Background(), "kari@ks.test")
	resp, page := admin.post("/admin/brukere/"+itoa(u.ID)+"/passord", url.Values{"csrf": {admin.csrf("/admin/brukere")}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(page, "logger inn med KS-konto") {
		t.Fatalf("password reset of an SSO user: %d", resp.StatusCode)
	}
	if _, page := admin.get("/admin/brukere"); !strings.Contains(page, "KS-konto</span>") {
		t.Fatal("the users page does not mark the SSO user")
	}
}

// TestPasswordLoginOff: with server.password_login = false the login page offers only the
// provider; local administrators still get in at /logg-inn?lokal=1 (break-glass), agents not.
func TestPasswordLoginOff(t *testing.T) {
	m := startIDP(t)
	e := newTestEnv(t, "http://127.0.0.1:8080", withSSO(m), func(s *web.Server) { s.PasswordLoginOff = true })
	b := e.browser()
	if _, page := b.get("/logg-inn"); strings.Contains(page, `id="password"`) || !strings.Contains(page, "Logg inn med KS-konto") {
		t.Fatalf("login page with password login off: %s", page)
	}
	if _, page := b.get("/logg-inn?lokal=1"); !strings.Contains(page, `id="password"`) || !strings.Contains(page, "Bare lokale administratorer") {
		t.Fatalf("break-glass form missing: %s", page)
	}
	tests := []struct {
		email      string
		wantStatus int
	}{{"agent@ks.no", http.StatusForbidden}, {"admin@ks.no", http.StatusSeeOther}}
	for _, tt := range tests {
		resp, page := b.post("/logg-inn", url.Values{"csrf": {b.csrf("/logg-inn?lokal=1")}, "email": {tt.email}, "password": {testPassword}, "lokal": {"1"}})
		if resp.StatusCode != tt.wantStatus {
			t.Fatalf("%s: status %d, want %d: %s", tt.email, resp.StatusCode, tt.wantStatus, page)
		}
	}
}
