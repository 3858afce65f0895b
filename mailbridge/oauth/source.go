// Package oauth gets the OAuth2 access tokens the mailbox is opened with (IMAP and SMTP with
// XOAUTH2 or OAUTHBEARER), by the client-credentials grant: the app-only access Exchange Online
// offers. golang.org/x/oauth2 does the grant and the caching; this package adds what a
// long-running mail loop needs around it: a token is fetched anew well before it expires, a
// refused token can be dropped, and a token endpoint that refuses says why without the secret.
package oauth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"sync"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// Config is one client's access to one token endpoint.
type Config struct {
	// TokenURL is the token endpoint, for Entra ID
	// https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token.
	TokenURL string
	// ClientID and ClientSecret are the application's credentials.
	ClientID, ClientSecret string
	// Scopes are asked for, for Exchange Online https://outlook.office365.com/.default.
	Scopes []string
	// RefreshBefore is how long before its expiry a token is fetched anew (default 5 minutes;
	// at most a third of a token's lifetime counts, so short-lived tokens are still reused).
	RefreshBefore time.Duration
	// HTTPClient reaches the token endpoint (default: a client with a 30 s timeout).
	HTTPClient *http.Client
	// Logger gets a line for every token fetched and every refusal (default slog.Default()).
	Logger *slog.Logger
}

// DefaultRefreshBefore is how long before expiry a token is renewed when Config says nothing.
// Entra ID's tokens live 60 to 90 minutes.
const DefaultRefreshBefore = 5 * time.Minute

// Source hands out access tokens: the cached one while it has more than RefreshBefore left,
// else a new one from the token endpoint. It is safe for concurrent use.
type Source struct {
	cfg   Config
	fetch oauth2.TokenSource // every call asks the token endpoint

	mu     sync.Mutex
	cached oauth2.TokenSource // x/oauth2's cache in front of fetch; replaced by Renew
}

// NewSource checks cfg and returns a source with an empty cache: nothing is fetched yet.
func NewSource(cfg Config) (*Source, error) {
	if cfg.TokenURL == "" || cfg.ClientID == "" {
		return nil, errors.New("oauth: token URL and client id are required")
	}
	if u, err := url.Parse(cfg.TokenURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("oauth: token URL %q is not an http(s) address", cfg.TokenURL)
	}
	if cfg.RefreshBefore <= 0 {
		cfg.RefreshBefore = DefaultRefreshBefore
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 30 * time.Second}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	s := &Source{cfg: cfg}
	cc := &clientcredentials.Config{ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret, TokenURL: cfg.TokenURL, Scopes: cfg.Scopes}
	// The context only carries the HTTP client: x/oauth2 calls the endpoint with it whenever the
	// cache asks, long after NewSource returned.
	ctx := context.WithValue(context.Background(), oauth2.HTTPClient, cfg.HTTPClient)
	s.fetch = fetcher{s: s, cc: cc, ctx: ctx}
	s.Renew()
	return s, nil
}

// TokenURL is the endpoint, for messages.
func (s *Source) TokenURL() string { return s.cfg.TokenURL }

// Token returns a token with more than RefreshBefore left, or a *TokenError.
func (s *Source) Token() (*oauth2.Token, error) {
	s.mu.Lock()
	cached := s.cached
	s.mu.Unlock()
	return cached.Token()
}

// Renew drops the cached token: the next Token asks the endpoint. A server that refused the
// token may know better than its expiry (permissions changed, a key rolled over).
func (s *Source) Renew() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cached = &earlyRenewal{fetch: s.fetch, before: s.cfg.RefreshBefore}
}

// NearExpiry reports whether tok is close enough to its expiry that a server may already
// count it as expired (its clock ahead of ours): within twice RefreshBefore. A refused token
// near expiry is worth one retry with a fresh one; a fresh token refused is not.
func (s *Source) NearExpiry(tok *oauth2.Token) bool {
	if tok == nil || tok.Expiry.IsZero() {
		return false
	}
	return time.Until(tok.Expiry) < 2*s.cfg.RefreshBefore
}

// earlyRenewal is x/oauth2's ReuseTokenSourceWithExpiry with the early expiry chosen per
// token: RefreshBefore, but at most a third of the token's lifetime, so a token that lives
// shorter than RefreshBefore (tests, some providers) is still reused for a while.
type earlyRenewal struct {
	fetch  oauth2.TokenSource
	before time.Duration

	mu    sync.Mutex
	reuse oauth2.TokenSource
}

func (e *earlyRenewal) Token() (*oauth2.Token, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.reuse != nil {
		return e.reuse.Token()
	}
	tok, err := e.fetch.Token()
	if err != nil {
		return nil, err
	}
	early := e.before
	if life := time.Until(tok.Expiry); !tok.Expiry.IsZero() && early > life/3 {
		early = life / 3
	}
	e.reuse = oauth2.ReuseTokenSourceWithExpiry(tok, e.fetch, early)
	return tok, nil
}

// fetcher asks the token endpoint every time, and logs what came of it.
type fetcher struct {
	s   *Source
	cc  *clientcredentials.Config
	ctx context.Context
}

func (f fetcher) Token() (*oauth2.Token, error) {
	tok, err := f.cc.Token(f.ctx)
	log := f.s.cfg.Logger
	if err != nil {
		te := newTokenError(f.s.cfg.TokenURL, f.s.cfg.ClientSecret, err)
		log.Warn("oauth token request failed", te.logAttrs()...)
		return nil, te
	}
	log.Info("oauth token fetched", "token_url", f.s.cfg.TokenURL, "client_id", f.s.cfg.ClientID,
		"expires_in", time.Until(tok.Expiry).Round(time.Second).String())
	return tok, nil
}
