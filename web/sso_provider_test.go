package web_test

import (
	"bytes"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/golang-jwt/jwt/v5"
	"github.com/oauth2-proxy/mockoidc"

	"github.com/ks-no/digihjelpen/web"
)

// The handler tests of sign-in with SSO run against mockoidc in this process: a real OpenID
// provider in HTTP (discovery, JWKS, RS256 tokens, PKCE checks), though it asks nobody for a
// password. The browser test against the provider of the mail stack (cmd/testidp) is in
// sso_browser_test.go.

// idpPerson is someone the provider signs in, with the claims Entra ID sends.
type idpPerson struct {
	sub, email, name string
	groups           []string
	sid              string // the provider's session (Entra ID's optional claim sid); "" sends none
}

type idpClaims struct {
	*mockoidc.IDTokenClaims
	Email  string   `json:"email,omitempty"`
	Name   string   `json:"name,omitempty"`
	Groups []string `json:"groups,omitempty"`
	SID    string   `json:"sid,omitempty"`
}

func (p *idpPerson) ID() string { return p.sub }
func (p *idpPerson) Userinfo([]string) ([]byte, error) {
	return json.Marshal(map[string]string{"sub": p.sub})
}
func (p *idpPerson) Claims(_ []string, c *mockoidc.IDTokenClaims) (jwt.Claims, error) {
	return &idpClaims{IDTokenClaims: c, Email: p.email, Name: p.name, Groups: p.groups, SID: p.sid}, nil
}

const idpLogoutPath = "/oidc/logout"

// startIDP runs the provider with an end_session_endpoint in its discovery document.
func startIDP(t *testing.T) *mockoidc.MockOIDC {
	t.Helper()
	m, err := mockoidc.NewServer(nil)
	if err != nil {
		t.Fatal(err)
	}
	m.AddMiddleware(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != mockoidc.DiscoveryEndpoint {
				next.ServeHTTP(w, r)
				return
			}
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			var doc map[string]any
			if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			doc["end_session_endpoint"] = m.Addr() + idpLogoutPath
			w.Header().Set("Content-Type", "application/json")
			json.NewEncoder(w).Encode(doc)
		})
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Start(ln, nil); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Shutdown() })
	return m
}

// withSSO configures the server for m, with the groups of the test provider's spec.
func withSSO(m *mockoidc.MockOIDC) func(*web.Server) {
	return func(s *web.Server) {
		s.SSO = web.SSOConfig{Issuer: m.Issuer(), ClientID: m.ClientID, ClientSecret: m.ClientSecret,
			AdminGroups: []string{"dh-admins"}, AgentGroups: []string{"dh-agents"}, ReaderGroups: []string{"dh-lesere"}}
	}
}

// ssoLogin signs b in at the provider as p and returns the answer of our callback.
func (b *browser) ssoLogin(m *mockoidc.MockOIDC, p *idpPerson) *http.Response {
	b.e.t.Helper()
	resp, _ := b.get("/logg-inn/sso?neste=/innboks")
	if resp.StatusCode != http.StatusSeeOther {
		b.e.t.Fatalf("start: status %d", resp.StatusCode)
	}
	m.QueueUser(p)
	back := b.e.authorize(resp.Header.Get("Location"))
	resp, _ = b.get(back.RequestURI())
	return resp
}

// authorize plays the browser at the provider and returns where it sends it back to.
func (e *testEnv) authorize(to string) *url.URL {
	e.t.Helper()
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := hc.Get(to)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	back, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || resp.StatusCode != http.StatusFound {
		var body bytes.Buffer
		body.ReadFrom(resp.Body)
		e.t.Fatalf("provider: status %d location %q: %s", resp.StatusCode, resp.Header.Get("Location"), body.String())
	}
	return back
}
