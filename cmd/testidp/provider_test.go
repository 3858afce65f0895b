package main

import (
	"context"
	"encoding/json"
	"errors"
	"html/template"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

const exchangeScope = "https://outlook.office365.com/.default"

// startProvider serves the provider on a free loopback port, as the program does.
func startProvider(t *testing.T, ttl time.Duration) (issuer string, p *provider) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	issuer = "http://" + ln.Addr().String()
	p, err = newProvider(options{issuer: issuer, tokenTTL: ttl, mailSecret: "mail-secret", webSecret: "web-secret", mailbox: "helpdesk@example.test",
		frontChannelPath: "/logg-ut/sso"})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(p.handler)
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	return issuer, p
}

// verify checks a JWT's signature against the provider's JWKS and returns its claims.
func verify(t *testing.T, issuer, token string) (claims map[string]any, kid string) {
	t.Helper()
	var jwks jose.JSONWebKeySet
	getJSON(t, issuer+"/keys", &jwks)
	sig, err := jose.ParseSigned(token, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		t.Fatalf("parse JWT: %v", err)
	}
	kid = sig.Signatures[0].Header.KeyID
	keys := jwks.Key(kid)
	if kid == "" || len(keys) != 1 {
		t.Fatalf("kid %q: %d keys in the JWKS", kid, len(keys))
	}
	payload, err := sig.Verify(keys[0].Key)
	if err != nil {
		t.Fatalf("signature: %v", err)
	}
	if err := json.Unmarshal(payload, &claims); err != nil {
		t.Fatal(err)
	}
	return claims, kid
}

func getJSON(t *testing.T, u string, v any) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d", u, resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
}

func TestDiscovery(t *testing.T) {
	issuer, _ := startProvider(t, time.Hour)
	var d map[string]any
	getJSON(t, issuer+"/.well-known/openid-configuration", &d)
	for _, k := range []string{"authorization_endpoint", "token_endpoint", "userinfo_endpoint", "end_session_endpoint", "jwks_uri"} {
		if s, _ := d[k].(string); !strings.HasPrefix(s, issuer+"/") {
			t.Errorf("%s = %v", k, d[k])
		}
	}
	if d["issuer"] != issuer {
		t.Errorf("issuer %v, want %s", d["issuer"], issuer)
	}
}

func TestClientCredentials(t *testing.T) {
	issuer, p := startProvider(t, 90*time.Second)
	cc := clientcredentials.Config{ClientID: mailClientID, ClientSecret: "mail-secret", TokenURL: issuer + "/oauth/token", Scopes: []string{exchangeScope}}
	tok, err := cc.Token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	claims, kid := verify(t, issuer, tok.AccessToken)
	if kid != p.key.id || claims["email"] != "helpdesk@example.test" || claims["sub"] != mailClientID || claims["iss"] != issuer || claims["scope"] != exchangeScope {
		t.Errorf("claims %v, kid %s", claims, kid)
	}
	if aud, _ := claims["aud"].([]any); len(aud) != 1 || aud[0] != "https://outlook.office365.com" {
		t.Errorf("aud %v", claims["aud"])
	}
	exp := time.Unix(int64(claims["exp"].(float64)), 0)
	if d := time.Until(exp); d < 80*time.Second || d > 91*time.Second {
		t.Errorf("exp in %v, want about 90s", d)
	}
	if d := time.Until(tok.Expiry); d < 80*time.Second || d > 91*time.Second {
		t.Errorf("expires_in %v, want about 90s", d)
	}

	tests := []struct {
		name, id, secret, scope, code string
	}{
		{"ErrWrongSecret", mailClientID, "feil", exchangeScope, "invalid_client"},
		{"ErrUnknownClient", "ukjent", "mail-secret", exchangeScope, "invalid_client"},
		{"ErrScopeNotDefault", mailClientID, "mail-secret", "https://outlook.office365.com/IMAP.AccessAsUser.All", "invalid_scope"},
		{"ErrWebClientHasNoClientCredentials", webClientID, "web-secret", exchangeScope, "unauthorized_client"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cc := clientcredentials.Config{ClientID: tt.id, ClientSecret: tt.secret, TokenURL: issuer + "/oauth/token", Scopes: []string{tt.scope}}
			_, err := cc.Token(context.Background())
			var re *oauth2.RetrieveError
			if !errors.As(err, &re) || re.ErrorCode != tt.code {
				t.Fatalf("got %v, want %s", err, tt.code)
			}
		})
	}
}

func TestDovecotKeyFile(t *testing.T) {
	_, p := startProvider(t, time.Hour)
	dir := t.TempDir()
	path, err := p.key.writeDovecotKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "default", "RS256", p.key.id); path != want {
		t.Fatalf("path %s, want %s", path, want)
	}
	b, err := os.ReadFile(path)
	if err != nil || !strings.HasPrefix(string(b), "-----BEGIN PUBLIC KEY-----\n") {
		t.Fatalf("key file: %v %q", err, b)
	}
}

// browser follows the flow as a browser would, one redirect at a time.
type browser struct {
	t      *testing.T
	client *http.Client
}

func newBrowser(t *testing.T) *browser {
	jar, _ := cookiejar.New(nil) // the provider's browser session, for front-channel logout
	return &browser{t, &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (b *browser) do(method, u string, form url.Values) (status int, location, body string) {
	b.t.Helper()
	var resp *http.Response
	var err error
	if method == http.MethodPost {
		resp, err = b.client.PostForm(u, form)
	} else {
		resp, err = b.client.Get(u)
	}
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Location"), string(raw)
}

func abs(issuer, loc string) string {
	if strings.HasPrefix(loc, "/") {
		return issuer + loc
	}
	return loc
}

func TestAuthorizationCodeWithPKCE(t *testing.T) {
	issuer, _ := startProvider(t, time.Hour)
	redirect := "http://127.0.0.1:45678/auth/oidc/callback"
	conf := oauth2.Config{ClientID: webClientID, ClientSecret: "web-secret", RedirectURL: redirect,
		Endpoint: oauth2.Endpoint{AuthURL: issuer + "/authorize", TokenURL: issuer + "/oauth/token"}, Scopes: []string{"openid", "email", "profile"}}
	verifier := oauth2.GenerateVerifier()
	b := newBrowser(t)

	status, loc, _ := b.do(http.MethodGet, conf.AuthCodeURL("tilstand", oauth2.S256ChallengeOption(verifier), oauth2.SetAuthURLParam("nonce", "engang")), nil)
	if status != http.StatusFound || !strings.HasPrefix(loc, loginPath+"?authRequestID=") {
		t.Fatalf("authorize: %d %q", status, loc)
	}
	status, _, page := b.do(http.MethodGet, abs(issuer, loc), nil)
	if status != http.StatusOK || !strings.Contains(page, `id="username"`) || !strings.Contains(page, `id="password"`) || !strings.Contains(page, `id="login"`) {
		t.Fatalf("login page: %d %s", status, page)
	}
	id := strings.TrimPrefix(loc, loginPath+"?authRequestID=")
	if status, _, page := b.do(http.MethodPost, issuer+loginPath, url.Values{"authRequestID": {id}, "username": {"admin@ks.test"}, "password": {"feil"}}); status != http.StatusUnauthorized || !strings.Contains(page, "Feil brukernavn eller passord") {
		t.Fatalf("wrong password: %d %s", status, page)
	}
	status, loc, _ = b.do(http.MethodPost, issuer+loginPath, url.Values{"authRequestID": {id}, "username": {"admin@ks.test"}, "password": {"passord"}})
	if status != http.StatusFound {
		t.Fatalf("login: %d", status)
	}
	status, loc, _ = b.do(http.MethodGet, abs(issuer, loc), nil)
	back, err := url.Parse(loc)
	if status != http.StatusFound || err != nil || !strings.HasPrefix(loc, redirect+"?") || back.Query().Get("state") != "tilstand" {
		t.Fatalf("callback: %d %q", status, loc)
	}
	code := back.Query().Get("code")
	if _, err := conf.Exchange(context.Background(), code, oauth2.VerifierOption("feil-verifikator-"+verifier)); err == nil {
		t.Fatal("a wrong code_verifier was accepted")
	}
	tok, err := conf.Exchange(context.Background(), code, oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatalf("exchange: %v", err)
	}
	idToken, _ := tok.Extra("id_token").(string)
	claims, _ := verify(t, issuer, idToken)
	groups, _ := claims["groups"].([]any)
	if claims["email"] != "admin@ks.test" || claims["name"] != "Ada Admin" || claims["preferred_username"] != "admin@ks.test" ||
		claims["nonce"] != "engang" || len(groups) != 1 || groups[0] != "dh-admins" || claims["aud"] != webClientID && !audHas(claims["aud"], webClientID) {
		t.Fatalf("ID token claims: %v", claims)
	}
	sid, _ := claims["sid"].(string)
	if len(sid) != 32 {
		t.Fatalf("ID token has no sid for front-channel logout: %v", claims)
	}
	if _, err := conf.Exchange(context.Background(), code, oauth2.VerifierOption(verifier)); err == nil {
		t.Fatal("a code was accepted twice")
	}
	var info map[string]any
	req, _ := http.NewRequest(http.MethodGet, issuer+"/userinfo", nil)
	tok.SetAuthHeader(req)
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("userinfo: %v %v", err, resp)
	}
	json.NewDecoder(resp.Body).Decode(&info)
	resp.Body.Close()
	if info["email"] != "admin@ks.test" || info["sid"] != nil {
		t.Fatalf("userinfo: %v", info)
	}

	// end_session first loads the client's front-channel logout URL of this browser's sign-in
	// in a hidden iframe, then sends the browser back to the post_logout_redirect_uri; the
	// browser's session at the provider is over then, so the second time it goes straight back.
	after := "http://127.0.0.1:45678/logget-ut"
	endSession := issuer + "/end_session?" + url.Values{"id_token_hint": {idToken}, "post_logout_redirect_uri": {after}, "client_id": {webClientID}}.Encode()
	status, _, page = b.do(http.MethodGet, endSession, nil)
	frame := template.HTMLEscapeString("http://127.0.0.1:45678/logg-ut/sso?" + url.Values{"iss": {issuer}, "sid": {sid}}.Encode())
	if status != http.StatusOK || !strings.Contains(page, `<iframe src="`+frame+`"`) || strings.Count(page, "<iframe") != 1 ||
		!strings.Contains(page, `const next = "`+after+`"`) {
		t.Fatalf("end_session with a sign-in: %d, want the iframe %s and then %s:\n%s", status, frame, after, page)
	}
	status, loc, _ = b.do(http.MethodGet, endSession, nil)
	if status != http.StatusFound || !strings.HasPrefix(loc, after) {
		t.Fatalf("end_session: %d %q", status, loc)
	}
}

func audHas(aud any, want string) bool {
	list, _ := aud.([]any)
	for _, a := range list {
		if a == want {
			return true
		}
	}
	return false
}

func TestAuthorizationRefused(t *testing.T) {
	issuer, _ := startProvider(t, time.Hour)
	b := newBrowser(t)
	base := url.Values{"client_id": {webClientID}, "response_type": {"code"}, "scope": {"openid"}, "state": {"s"}}
	tests := []struct {
		name  string
		extra url.Values
		want  string // in the redirect back, or the status when there is none
	}{
		{"ErrNoPKCE", url.Values{"redirect_uri": {"http://127.0.0.1:45678/cb"}}, "error=invalid_request"},
		{"ErrPlainPKCE", url.Values{"redirect_uri": {"http://127.0.0.1:45678/cb"}, "code_challenge": {"abc"}, "code_challenge_method": {"plain"}}, "error="},
		{"ErrRedirectNotLoopback", url.Values{"redirect_uri": {"http://example.test/cb"}, "code_challenge": {"abc"}, "code_challenge_method": {"S256"}}, "400"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := url.Values{}
			for k, v := range base {
				q[k] = v
			}
			for k, v := range tt.extra {
				q[k] = v
			}
			status, loc, _ := b.do(http.MethodGet, issuer+"/authorize?"+q.Encode(), nil)
			if tt.want == "400" {
				if status != http.StatusBadRequest {
					t.Fatalf("got %d %q, want 400 and no redirect", status, loc)
				}
				return
			}
			if status != http.StatusFound || !strings.HasPrefix(loc, "http://127.0.0.1:45678/cb?") || !strings.Contains(loc, tt.want) {
				t.Fatalf("got %d %q, want a redirect with %s", status, loc, tt.want)
			}
		})
	}
}

func TestRunRefusesOtherAddresses(t *testing.T) {
	err := run([]string{"-addr", "0.0.0.0:0"}, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "loopback") {
		t.Fatalf("got %v", err)
	}
}
