package main

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// storage is the provider's memory: the clients, the users, the sign-ins under way and the
// access tokens issued. It implements op.Storage and op.ClientCredentialsStorage; nothing
// survives a restart.
type storage struct {
	clients  map[string]*client
	key      *signingKey
	tokenTTL time.Duration

	mu       sync.Mutex
	requests map[string]*authRequest // by id
	codes    map[string]string       // authorization code → request id
	tokens   map[string]issuedToken  // access token id → what it was issued for
	browsers map[string][]signedIn   // a browser's session at the provider → its sign-ins (frontchannel.go)
}

type issuedToken struct {
	subject, clientID string
	scopes            []string
	expiry            time.Time
}

var (
	_ op.Storage                   = (*storage)(nil)
	_ op.ClientCredentialsStorage  = (*storage)(nil)
	_ op.CanSetUserinfoFromRequest = (*storage)(nil)
)

func newStorage(clients map[string]*client, key *signingKey, tokenTTL time.Duration) *storage {
	return &storage{clients: clients, key: key, tokenTTL: tokenTTL,
		requests: map[string]*authRequest{}, codes: map[string]string{}, tokens: map[string]issuedToken{},
		browsers: map[string][]signedIn{}}
}

func randomID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

var errNotFound = errors.New("not found")

// checkSecret compares in constant time; an unknown client is refused the same way.
func (s *storage) checkSecret(clientID, secret string) (*client, error) {
	c, ok := s.clients[clientID]
	if !ok || subtle.ConstantTimeCompare([]byte(c.secret), []byte(secret)) != 1 {
		return nil, fmt.Errorf("unknown client or wrong client secret for %q", clientID)
	}
	return c, nil
}

// --- the authorization-code flow

// CreateAuthRequest refuses a request without PKCE S256, as the web client must use it.
func (s *storage) CreateAuthRequest(_ context.Context, r *oidc.AuthRequest, _ string) (op.AuthRequest, error) {
	if len(r.Prompt) == 1 && r.Prompt[0] == oidc.PromptNone {
		return nil, oidc.ErrLoginRequired()
	}
	if r.CodeChallenge == "" || r.CodeChallengeMethod != oidc.CodeChallengeMethodS256 {
		return nil, oidc.ErrInvalidRequest().WithDescription("PKCE is required: send code_challenge with code_challenge_method=S256")
	}
	req := &authRequest{id: randomID(), created: time.Now(), clientID: r.ClientID, redirectURI: r.RedirectURI,
		state: r.State, nonce: r.Nonce, scopes: r.Scopes, responseType: r.ResponseType, responseMode: r.ResponseMode,
		challenge: &oidc.CodeChallenge{Challenge: r.CodeChallenge, Method: r.CodeChallengeMethod}}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests[req.id] = req
	return req, nil
}

func (s *storage) AuthRequestByID(_ context.Context, id string) (op.AuthRequest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	req, ok := s.requests[id]
	if !ok {
		return nil, fmt.Errorf("sign-in request %s: %w", id, errNotFound)
	}
	return req, nil
}

func (s *storage) AuthRequestByCode(ctx context.Context, code string) (op.AuthRequest, error) {
	s.mu.Lock()
	id, ok := s.codes[code]
	s.mu.Unlock()
	if !ok {
		return nil, fmt.Errorf("authorization code: %w", errNotFound)
	}
	return s.AuthRequestByID(ctx, id)
}

func (s *storage) SaveAuthCode(_ context.Context, id, code string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.codes[code] = id
	return nil
}

// DeleteAuthRequest makes a code usable once.
func (s *storage) DeleteAuthRequest(_ context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.requests, id)
	for code, rid := range s.codes {
		if rid == id {
			delete(s.codes, code)
		}
	}
	return nil
}

// signIn checks a user's password for a sign-in under way, marks it done, and remembers it in
// the browser's session at the provider.
func (s *storage) signIn(requestID, email, password, browser string) error {
	u, ok := users[strings.ToLower(strings.TrimSpace(email))]
	if !ok || subtle.ConstantTimeCompare([]byte(password), []byte(testPassword)) != 1 {
		return errors.New("Feil brukernavn eller passord.")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	req, ok := s.requests[requestID]
	if !ok {
		return errors.New("Innloggingen er utløpt eller ukjent. Start på nytt fra programmet.")
	}
	req.subject, req.authTime, req.done, req.sid = u.email, time.Now(), true, randomID()
	s.rememberSignIn(browser, req)
	return nil
}

// --- tokens

// CreateAccessToken records the token (the web client's opaque tokens are looked up again by
// userinfo) and gives it the configured lifetime.
func (s *storage) CreateAccessToken(_ context.Context, r op.TokenRequest) (string, time.Time, error) {
	t := issuedToken{subject: r.GetSubject(), scopes: r.GetScopes(), expiry: time.Now().Add(s.tokenTTL)}
	switch req := r.(type) {
	case *authRequest:
		t.clientID = req.clientID
	case *credentialsRequest:
		t.clientID = req.clientID
	}
	id := randomID()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens[id] = t
	return id, t.expiry, nil
}

// CreateAccessAndRefreshTokens is never reached: no client has the refresh_token grant.
func (s *storage) CreateAccessAndRefreshTokens(context.Context, op.TokenRequest, string) (string, string, time.Time, error) {
	return "", "", time.Time{}, oidc.ErrUnsupportedGrantType().WithDescription("refresh tokens are not issued")
}

func (s *storage) TokenRequestByRefreshToken(context.Context, string) (op.RefreshTokenRequest, error) {
	return nil, op.ErrInvalidRefreshToken
}

func (s *storage) GetRefreshTokenInfo(context.Context, string, string) (string, string, error) {
	return "", "", op.ErrInvalidRefreshToken
}

// TerminateSession has nothing to end: the provider keeps no sign-in session, so every
// authorization request shows the login page.
func (s *storage) TerminateSession(context.Context, string, string) error { return nil }

func (s *storage) RevokeToken(_ context.Context, tokenID, _, _ string) *oidc.Error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.tokens, tokenID)
	return nil
}

func (s *storage) SigningKey(context.Context) (op.SigningKey, error) { return s.key, nil }

func (s *storage) SignatureAlgorithms(context.Context) ([]jose.SignatureAlgorithm, error) {
	return []jose.SignatureAlgorithm{jose.RS256}, nil
}

func (s *storage) KeySet(context.Context) ([]op.Key, error) { return []op.Key{publicKey{s.key}}, nil }

// --- clients

func (s *storage) GetClientByClientID(_ context.Context, id string) (op.Client, error) {
	c, ok := s.clients[id]
	if !ok {
		return nil, fmt.Errorf("client %q: %w", id, errNotFound)
	}
	return c, nil
}

func (s *storage) AuthorizeClientIDSecret(_ context.Context, id, secret string) error {
	_, err := s.checkSecret(id, secret)
	return err
}

// ClientCredentials authenticates the client of a client_credentials request.
func (s *storage) ClientCredentials(_ context.Context, id, secret string) (op.Client, error) {
	return s.checkSecret(id, secret)
}

// ClientCredentialsTokenRequest takes scopes in Entra ID's form for app-only access,
// "<resource>/.default", and makes the resource the token's audience (as Exchange Online's
// tokens have aud https://outlook.office365.com). Any other scope is refused with
// invalid_scope, as Entra ID does.
func (s *storage) ClientCredentialsTokenRequest(_ context.Context, clientID string, scopes []string) (op.TokenRequest, error) {
	if len(scopes) == 0 {
		return nil, oidc.ErrInvalidScope().WithDescription("a scope of the form <resource>/.default is required")
	}
	var audience []string
	for _, sc := range scopes {
		resource, ok := strings.CutSuffix(sc, "/.default")
		if !ok || resource == "" {
			return nil, oidc.ErrInvalidScope().WithDescription("the scope %q is not valid: the client-credentials grant needs <resource>/.default", sc)
		}
		audience = append(audience, resource)
	}
	return &credentialsRequest{clientID: clientID, scopes: scopes, audience: audience}, nil
}

// GetPrivateClaimsFromScopes gives the mail client's token the mailbox it may open and the
// scope it was issued for: Dovecot 2.3.19 as Debian ships it checks its passdb's scope against
// the token's scope claim.
func (s *storage) GetPrivateClaimsFromScopes(_ context.Context, _, clientID string, scopes []string) (map[string]any, error) {
	if c, ok := s.clients[clientID]; ok && c.mailbox != "" {
		return map[string]any{"email": c.mailbox, "scope": strings.Join(scopes, " ")}, nil
	}
	return nil, nil
}

// --- user info

// SetUserinfoFromScopes is deprecated in op; SetUserinfoFromRequest does the work.
func (s *storage) SetUserinfoFromScopes(context.Context, *oidc.UserInfo, string, string, []string) error {
	return nil
}

// SetUserinfoFromRequest fills the ID token: email, name, preferred_username and groups, for
// every sign-in whatever the scopes (as an Entra ID app with a groups claim does), and the
// sign-in's sid (zitadel's op sets none itself; userinfo never carries it).
func (s *storage) SetUserinfoFromRequest(_ context.Context, info *oidc.UserInfo, r op.IDTokenRequest, _ []string) error {
	if err := setUserinfo(info, r.GetSubject()); err != nil {
		return err
	}
	if req, ok := r.(*authRequest); ok && req.sid != "" {
		info.AppendClaims("sid", req.sid)
	}
	return nil
}

func (s *storage) SetUserinfoFromToken(_ context.Context, info *oidc.UserInfo, tokenID, subject, _ string) error {
	s.mu.Lock()
	t, ok := s.tokens[tokenID]
	s.mu.Unlock()
	if !ok || time.Now().After(t.expiry) {
		return errors.New("access token expired or unknown")
	}
	return setUserinfo(info, subject)
}

func setUserinfo(info *oidc.UserInfo, subject string) error {
	u, ok := users[subject]
	if !ok {
		return fmt.Errorf("user %q: %w", subject, errNotFound)
	}
	info.Subject = u.email
	info.Email = u.email
	info.EmailVerified = true
	info.Name = u.name
	info.PreferredUsername = u.email
	info.AppendClaims("groups", u.groups)
	return nil
}

func (s *storage) SetIntrospectionFromToken(_ context.Context, in *oidc.IntrospectionResponse, tokenID, subject, clientID string) error {
	s.mu.Lock()
	t, ok := s.tokens[tokenID]
	s.mu.Unlock()
	if !ok || time.Now().After(t.expiry) {
		return nil // inactive
	}
	in.Active = true
	in.Subject = subject
	in.ClientID = t.clientID
	in.Scope = t.scopes
	in.Expiration = oidc.FromTime(t.expiry)
	if u, ok := users[subject]; ok {
		in.Email, in.Name, in.PreferredUsername = u.email, u.name, u.email
	}
	return nil
}

// --- JWT profile grant: not offered

func (s *storage) GetKeyByIDAndClientID(context.Context, string, string) (*jose.JSONWebKey, error) {
	return nil, errors.New("the JWT profile grant is not offered")
}

func (s *storage) ValidateJWTProfileScopes(context.Context, string, []string) ([]string, error) {
	return nil, errors.New("the JWT profile grant is not offered")
}

func (s *storage) Health(context.Context) error { return nil }
