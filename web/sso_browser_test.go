package web_test

import (
	"context"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/chromedp"

	"github.com/ks-no/digihjelpen/ticket"
	"github.com/ks-no/digihjelpen/web"
)

// realIDP is the OpenID provider of the mail stack (cmd/testidp, started by
// scripts/mailstack-up.sh with MAILSTACK_IDP=1): its issuer and the web client. Without it the
// test is skipped, unless DIGIHJELPEN_TEST_REQUIRE_MAILSTACK=1 (make test) says it must run.
func realIDP(t *testing.T) web.SSOConfig {
	t.Helper()
	issuer, id, secret := os.Getenv("MAILSTACK_IDP_URL"), os.Getenv("MAILSTACK_IDP_WEB_CLIENT_ID"), os.Getenv("MAILSTACK_IDP_WEB_CLIENT_SECRET")
	if issuer == "" || id == "" || secret == "" {
		if os.Getenv("DIGIHJELPEN_TEST_REQUIRE_MAILSTACK") == "1" {
			t.Fatal("MAILSTACK_IDP_URL, MAILSTACK_IDP_WEB_CLIENT_ID and _SECRET are not set: start the mail stack with MAILSTACK_IDP=1 and source mailstack.env")
		}
		t.Skip("no OpenID provider of the mail stack (MAILSTACK_IDP_URL); start it with MAILSTACK_IDP=1")
	}
	return web.SSOConfig{Issuer: issuer, ClientID: id, ClientSecret: secret,
		AdminGroups: []string{"dh-admins"}, AgentGroups: []string{"dh-agents"}, ReaderGroups: []string{"dh-lesere"}}
}

// TestBrowserSSORealProvider: headless Chromium signs in through the real provider's login
// page; each person gets the role of their groups, and someone in none is refused. The agent
// logs out here, and the admin at the provider, whose page loads our front-channel logout in a
// hidden iframe: either way the session is over.
func TestBrowserSSORealProvider(t *testing.T) {
	cfg := realIDP(t)
	tests := []struct {
		email    string
		wantRole ticket.Role
	}{
		{"agent@ks.test", ticket.RoleAgent},
		{"admin@ks.test", ticket.RoleAdmin},
		{"leser@ks.test", ticket.RoleReader},
		{"utenfor@ks.test", ""},
	}
	for _, tt := range tests {
		t.Run(tt.email, func(t *testing.T) {
			e, ln := listenEnv(t, func(s *web.Server) { s.SSO = cfg })
			c := newChromeOn(t, e, ln)
			c.visit("/logg-inn")
			c.clickLoad("#sso")
			if loc := c.location(); strings.HasPrefix(loc, "/") {
				t.Fatalf("still on our site, not at the provider: %s", loc)
			}
			c.do(chromedp.WaitVisible(chromedp.ID("username")),
				chromedp.SendKeys(chromedp.ID("username"), tt.email), chromedp.SendKeys(chromedp.ID("password"), "passord"))
			c.clickLoad("#login")
			c.waitFor(`location.origin === "` + c.base + `" && document.readyState === "complete"`)
			u, err := e.users.FindUserByEmail(context.Background(), tt.email)
			if tt.wantRole == "" {
				if got := c.text(`[role="alert"]`); !strings.Contains(got, "Du har ikke tilgang til Digihjelpen kontaktpunkt") {
					t.Fatalf("refusal %q at %s", got, c.location())
				}
				if err == nil {
					t.Fatalf("a user was made for someone outside the groups: %+v", u)
				}
				c.audit("sso-avvist-ekte")
				return
			}
			c.do(chromedp.WaitVisible(chromedp.CSS("form.logout")))
			if err != nil || u.Role != tt.wantRole || !u.IsSSO() {
				t.Fatalf("user %+v %v, want role %s", u, err, tt.wantRole)
			}
			if tt.wantRole == ticket.RoleReader {
				return // what a reader sees is the reader role's own test
			}
			if loc := c.location(); !strings.HasPrefix(loc, "/innboks") || c.text("main h1") != "Innboks" {
				t.Fatalf("landed at %s", loc)
			}
			if tt.wantRole == ticket.RoleAdmin {
				signedOutElsewhere(t, c, e, cfg)
				return
			}
			c.audit("innboks-sso")
			c.clickLoad(`form.logout button`) // out here and at the provider, back to our login page
			c.waitFor(`location.origin === "` + c.base + `" && location.pathname === "/logg-inn" && document.readyState === "complete"`)
			c.visit("/innboks")
			if loc := c.location(); !strings.HasPrefix(loc, "/logg-inn") {
				t.Fatalf("still signed in after logout: %s", loc)
			}
		})
	}
}

// signedOutElsewhere ends the browser's session at the provider, as signing out of Outlook
// would: the provider's page frames our front-channel logout, Chromium lets it (frame-ancestors
// names the provider), and our session ends without our logout form. The page passes axe.
func signedOutElsewhere(t *testing.T, c *chrome, e *testEnv, cfg web.SSOConfig) {
	t.Helper()
	var mu sync.Mutex
	var refused []string // what Chromium logs when a page may not be framed
	if err := chromedp.Listen(c.ctx, func(ev any) {
		if e, ok := ev.(*cdplog.EventEntryAdded); ok && strings.Contains(e.Entry.Text, "frame-ancestors") {
			mu.Lock()
			refused = append(refused, e.Entry.Text)
			mu.Unlock()
		}
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(c.ctx, cdplog.Enable, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	c.do(chromedp.Navigate(cfg.Issuer + "/end_session?" + url.Values{"client_id": {cfg.ClientID},
		"post_logout_redirect_uri": {c.base + "/logg-inn"}}.Encode()))
	// back at our /logg-inn once the frame has loaded (with a session still alive, that sends
	// on to the inbox, which the visit below finds)
	c.waitFor(`location.origin === "` + c.base + `" && document.readyState === "complete"`)
	mu.Lock()
	if len(refused) != 0 { // the session would end all the same: the request is sent, the page not shown
		t.Errorf("Chromium refused the provider's frame: %q", refused)
	}
	mu.Unlock()
	c.visit("/innboks")
	if loc := c.location(); !strings.HasPrefix(loc, "/logg-inn") {
		t.Fatalf("still signed in after signing out at the provider: %s", loc)
	}
	if logs := e.logs.String(); !strings.Contains(logs, "sessions_ended=1") {
		t.Fatalf("no front-channel logout in the log:\n%s", logs)
	}
	c.visit("/logg-ut/sso")
	c.audit("sso-utlogget")
}
