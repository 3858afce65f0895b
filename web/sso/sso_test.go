package sso

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/oauth2-proxy/mockoidc"

	"github.com/ks-no/digihjelpen/ticket"
)

// person is a user of the in-process provider, with the claims Entra ID sends.
type person struct {
	sub, email, name string
	groups           []string
	overage          bool
	sid              string // the provider's session, as Entra ID's optional claim sid
}

type personClaims struct {
	*mockoidc.IDTokenClaims
	Email        string         `json:"email,omitempty"`
	Name         string         `json:"name,omitempty"`
	Groups       []string       `json:"groups,omitempty"`
	ClaimNames   map[string]any `json:"_claim_names,omitempty"`
	ClaimSources map[string]any `json:"_claim_sources,omitempty"`
	SID          string         `json:"sid,omitempty"`
}

func (p *person) ID() string { return p.sub }
func (p *person) Userinfo([]string) ([]byte, error) {
	return json.Marshal(map[string]string{"sub": p.sub})
}
func (p *person) Claims(_ []string, c *mockoidc.IDTokenClaims) (jwt.Claims, error) {
	pc := &personClaims{IDTokenClaims: c, Email: p.email, Name: p.name, Groups: p.groups, SID: p.sid}
	if p.overage {
		// what Entra ID sends for more than 200 groups: where to fetch them, not the groups
		pc.ClaimNames = map[string]any{"groups": "src1"}
		pc.ClaimSources = map[string]any{"src1": map[string]string{"endpoint": "https://graph.microsoft.com/v1.0/users/x/getMemberObjects"}}
	}
	return pc, nil
}

func startProvider(t *testing.T) *mockoidc.MockOIDC {
	t.Helper()
	m, err := mockoidc.Run()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Shutdown() })
	return m
}

func newClient(m *mockoidc.MockOIDC) *Client {
	return New(Config{Issuer: m.Issuer(), ClientID: m.ClientID, ClientSecret: m.ClientSecret, RedirectURL: "http://127.0.0.1:1/tilbake",
		AdminGroups: []string{"dh-admins"}, AgentGroups: []string{"dh-agents"}, ReaderGroups: []string{"dh-lesere"}})
}

// authorize plays the browser at the provider: it follows the authorization URL and returns
// the code and state the provider sends back.
func authorize(t *testing.T, to string) (code, state string) {
	t.Helper()
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := hc.Get(to)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	back, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || back.Query().Get("code") == "" {
		t.Fatalf("provider answered %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	return back.Query().Get("code"), back.Query().Get("state")
}

func TestSignIn(t *testing.T) {
	m := startProvider(t)
	tests := []struct {
		name     string
		who      *person
		tamper   func(*Attempt)
		wantErr  error
		wantRole ticket.Role
	}{
		{"OK agent", &person{sub: "a1", email: "agent@ks.test", name: "Agnes Agent", groups: []string{"dh-agents"}, sid: "sid-a1"}, nil, nil, ticket.RoleAgent},
		{"OK highest role wins", &person{sub: "a2", email: "ada@ks.test", name: "Ada", groups: []string{"dh-lesere", "DH-ADMINS"}}, nil, nil, ticket.RoleAdmin},
		{"OK reader", &person{sub: "a3", email: "leser@ks.test", name: "Leif", groups: []string{"dh-lesere", "andre"}}, nil, nil, ticket.RoleReader},
		{"OK no group gives no role", &person{sub: "a4", email: "utenfor@ks.test", name: "Ulla"}, nil, nil, ""},
		{"ErrNonce", &person{sub: "a5", email: "x@ks.test", groups: []string{"dh-agents"}}, func(a *Attempt) { a.Nonce = "annen" }, ErrToken, ""},
		{"ErrVerifier", &person{sub: "a6", email: "x@ks.test", groups: []string{"dh-agents"}}, func(a *Attempt) { a.Verifier = "annen-annen-annen-annen-annen-annen-annen-12" }, ErrProvider, ""},
		{"ErrOverage", &person{sub: "a7", email: "x@ks.test", overage: true}, nil, ErrTooManyGroups, ""},
		{"ErrNoEmail", &person{sub: "a8", groups: []string{"dh-agents"}}, nil, ErrNoEmail, ""},
	}
	c := newClient(m)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			to, a, err := c.Begin(context.Background(), "/innboks", time.Now())
			if err != nil {
				t.Fatal(err)
			}
			u, _ := url.Parse(to)
			q := u.Query()
			if q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" || q.Get("nonce") != a.Nonce || q.Get("state") != a.State {
				t.Fatalf("authorization URL lacks PKCE, nonce or state: %s", to)
			}
			m.QueueUser(tt.who)
			code, state := authorize(t, to)
			if !a.StateMatches(state) || a.StateMatches("x"+state) || (Attempt{}).StateMatches("") {
				t.Fatal("state comparison")
			}
			if tt.tamper != nil {
				tt.tamper(&a)
			}
			p, err := c.Finish(context.Background(), a, code)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err %v, want %v", err, tt.wantErr)
			}
			if err != nil {
				return
			}
			if p.Role != tt.wantRole || p.Email != tt.who.email || p.Subject != m.Issuer()+" "+tt.who.sub || p.IDToken == "" ||
				p.Issuer != m.Issuer() || p.SessionID != tt.who.sid {
				t.Fatalf("person %+v", p)
			}
		})
	}
}

// TestProviderDownAtStart: a provider that cannot be reached fails the sign-in, not the
// server; once it answers, the next try after the pause works.
func TestProviderDownAtStart(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	m, err := mockoidc.NewServer(nil)
	if err != nil {
		t.Fatal(err)
	}
	c := New(Config{Issuer: "http://" + addr + mockoidc.IssuerBase, ClientID: m.ClientID, ClientSecret: m.ClientSecret, AgentGroups: []string{"g"}})
	c.retryAfter = 50 * time.Millisecond
	if _, _, err := c.Begin(context.Background(), "/", time.Now()); !errors.Is(err, ErrProvider) {
		t.Fatalf("provider down: %v", err)
	}
	ln, err = net.Listen("tcp", addr)
	if err != nil {
		t.Skipf("port taken meanwhile: %v", err)
	}
	if err := m.Start(ln, nil); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Shutdown() })
	if _, _, err := c.Begin(context.Background(), "/", time.Now()); !errors.Is(err, ErrProvider) {
		t.Fatalf("within the pause the failure is remembered: %v", err)
	}
	time.Sleep(60 * time.Millisecond)
	to, _, err := c.Begin(context.Background(), "/", time.Now())
	if err != nil || !strings.HasPrefix(to, "http://"+addr) {
		t.Fatalf("after the pause: %q %v", to, err)
	}
}

func TestLogoutURL(t *testing.T) {
	m := startProvider(t) // no end_session_endpoint
	if _, ok := newClient(m).LogoutURL(context.Background(), "idt", "http://x/logg-inn"); ok {
		t.Fatal("a logout URL from a provider without end_session_endpoint")
	}
}
