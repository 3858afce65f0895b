// Package sso signs staff in with OpenID Connect (Entra ID or any provider with discovery): the
// authorization code flow with PKCE (S256), state and nonce, the ID token verified by
// github.com/coreos/go-oidc/v3 and the code exchanged by golang.org/x/oauth2. It turns the
// groups of a verified token into a role; the web package keeps the sessions.
package sso

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/ks-no/digihjelpen/ticket"
)

// Config is what the provider and its app registration say about us.
type Config struct {
	// Issuer is the provider's issuer URL; discovery is at Issuer + /.well-known/openid-configuration.
	Issuer       string
	ClientID     string
	ClientSecret string
	// RedirectURL is our callback, registered at the provider.
	RedirectURL string
	// GroupsClaim names the claim with the person's groups (Entra ID: "groups", object IDs).
	GroupsClaim string
	// The groups that give each role; the highest role a person's groups give wins.
	AdminGroups, AgentGroups, ReaderGroups []string
	// HTTPClient talks to the provider; nil: one with a 10 s timeout.
	HTTPClient *http.Client
}

// Errors of a sign-in, for the web to explain.
var (
	// ErrProvider: the provider could not be reached, or refused the code.
	ErrProvider = errors.New("sso: provider unavailable or refused")
	// ErrToken: the ID token did not verify (signature, issuer, audience, expiry, nonce).
	ErrToken = errors.New("sso: id token rejected")
	// ErrTooManyGroups: the token left the groups out (Entra ID's overage for more than 200).
	ErrTooManyGroups = errors.New("sso: groups claim left out (overage)")
	// ErrNoEmail: the token has no address to know the person by.
	ErrNoEmail = errors.New("sso: no email in the token")
)

// retryDiscoveryAfter keeps a provider that is down from being asked on every click.
const retryDiscoveryAfter = 5 * time.Second

// Client signs people in at one provider. Discovery happens at the first sign-in and is tried
// again after a failure, so a provider that is down when the server starts stops nothing.
type Client struct {
	cfg        Config
	http       *http.Client
	retryAfter time.Duration

	mu       sync.Mutex
	provider *oidc.Provider
	logout   string // end_session_endpoint, "" when the provider has none
	failedAt time.Time
	failure  error
}

// New returns a client for cfg; it does not contact the provider.
func New(cfg Config) *Client {
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: 10 * time.Second}
	}
	if cfg.GroupsClaim == "" {
		cfg.GroupsClaim = "groups"
	}
	return &Client{cfg: cfg, http: hc, retryAfter: retryDiscoveryAfter}
}

// Origin is the scheme and host of the issuer, for the page's form-action policy (logging out
// is a form whose answer sends the browser to the provider).
func (c *Client) Origin() string {
	u, err := url.Parse(c.cfg.Issuer)
	if err != nil {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

func (c *Client) discover(ctx context.Context) (*oidc.Provider, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.provider != nil {
		return c.provider, nil
	}
	if c.failure != nil && time.Since(c.failedAt) < c.retryAfter {
		return nil, c.failure
	}
	p, err := oidc.NewProvider(oidc.ClientContext(ctx, c.http), c.cfg.Issuer)
	if err != nil {
		c.failedAt, c.failure = time.Now(), fmt.Errorf("%w: discovery at %s: %v", ErrProvider, c.cfg.Issuer, err)
		return nil, c.failure
	}
	var extra struct {
		EndSession string `json:"end_session_endpoint"`
	}
	if err := p.Claims(&extra); err == nil {
		c.logout = extra.EndSession
	}
	c.provider, c.failure = p, nil
	return p, nil
}

func (c *Client) oauth(p *oidc.Provider) *oauth2.Config {
	return &oauth2.Config{ClientID: c.cfg.ClientID, ClientSecret: c.cfg.ClientSecret, RedirectURL: c.cfg.RedirectURL,
		Endpoint: p.Endpoint(), Scopes: []string{oidc.ScopeOpenID, "profile", "email"}}
}

// Attempt is one sign-in under way: what the browser must bring back to finish it.
type Attempt struct {
	State    string    `json:"s"`
	Nonce    string    `json:"n"`
	Verifier string    `json:"v"`
	Next     string    `json:"next"`
	Started  time.Time `json:"at"`
}

// Begin starts a sign-in: the URL to send the browser to, and the attempt to keep for it.
func (c *Client) Begin(ctx context.Context, next string, now time.Time) (string, Attempt, error) {
	p, err := c.discover(ctx)
	if err != nil {
		return "", Attempt{}, err
	}
	a := Attempt{State: oauth2.GenerateVerifier(), Nonce: oauth2.GenerateVerifier(), Verifier: oauth2.GenerateVerifier(),
		Next: next, Started: now}
	u := c.oauth(p).AuthCodeURL(a.State, oidc.Nonce(a.Nonce), oauth2.S256ChallengeOption(a.Verifier))
	return u, a, nil
}

// StateMatches compares the state the provider sent back with the attempt's, in constant time.
func (a Attempt) StateMatches(state string) bool {
	return a.State != "" && subtle.ConstantTimeCompare([]byte(a.State), []byte(state)) == 1
}

// Person is who signed in, from a verified ID token.
type Person struct {
	Subject string // "issuer sub"
	Email   string
	Name    string
	Groups  []string
	// Role is the highest role the groups give; "" when they give none.
	Role    ticket.Role
	IDToken string
	// Issuer and SessionID are the token's iss and sid: the provider's session this sign-in
	// belongs to, which its front-channel logout names. SessionID is "" when the provider
	// sends no sid (Entra ID sends it when the app asks for the optional claim).
	Issuer    string
	SessionID string
}

// Finish exchanges the code (with the PKCE verifier), verifies the ID token and its nonce, and
// reads the person from it.
func (c *Client) Finish(ctx context.Context, a Attempt, code string) (*Person, error) {
	p, err := c.discover(ctx)
	if err != nil {
		return nil, err
	}
	ctx = oidc.ClientContext(ctx, c.http)
	tok, err := c.oauth(p).Exchange(ctx, code, oauth2.VerifierOption(a.Verifier))
	if err != nil {
		return nil, fmt.Errorf("%w: token endpoint: %v", ErrProvider, err)
	}
	raw, ok := tok.Extra("id_token").(string)
	if !ok || raw == "" {
		return nil, fmt.Errorf("%w: no id_token in the token response", ErrToken)
	}
	idt, err := p.Verifier(&oidc.Config{ClientID: c.cfg.ClientID}).Verify(ctx, raw)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrToken, err)
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(a.Nonce)) != 1 {
		return nil, fmt.Errorf("%w: nonce does not match", ErrToken)
	}
	person, err := c.person(idt)
	if err != nil {
		return nil, err
	}
	person.IDToken = raw
	return person, nil
}

// LogoutURL is where to send the browser to end the provider's session too, with the ID token
// as hint and after as the address to come back to; ok is false when the provider has no
// end_session_endpoint (or discovery fails now).
func (c *Client) LogoutURL(ctx context.Context, idToken, after string) (string, bool) {
	if _, err := c.discover(ctx); err != nil {
		return "", false
	}
	c.mu.Lock()
	endpoint := c.logout
	c.mu.Unlock()
	u, err := url.Parse(endpoint)
	if endpoint == "" || err != nil {
		return "", false
	}
	q := u.Query()
	if idToken != "" {
		q.Set("id_token_hint", idToken)
	}
	q.Set("post_logout_redirect_uri", after)
	q.Set("client_id", c.cfg.ClientID)
	u.RawQuery = q.Encode()
	return u.String(), true
}
