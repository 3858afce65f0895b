package main

import (
	"time"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// Client IDs of the two fixed clients.
const (
	mailClientID = "digihjelpen-mail"
	webClientID  = "digihjelpen-web"
)

// client is one registered application. It implements op.Client and op.HasRedirectGlobs.
type client struct {
	id, secret string
	grants     []oidc.GrantType
	// mailbox is what the client-credentials token grants access to (the mail client only):
	// the token's email claim, which Dovecot's username_attribute compares with the login name.
	mailbox string
	// loopbackGlobs lets any path on any port of 127.0.0.1 be a redirect URI (the web client;
	// tests listen on random ports).
	loopbackGlobs bool
}

// loopbackGlob matches http://127.0.0.1:<port>/<any path> (doublestar syntax, as zitadel's
// op matches redirect URIs).
const loopbackGlob = "http://127.0.0.1:*/**"

func newClients(mailSecret, webSecret, mailbox string) map[string]*client {
	return map[string]*client{
		mailClientID: {id: mailClientID, secret: mailSecret, grants: []oidc.GrantType{oidc.GrantTypeClientCredentials}, mailbox: mailbox},
		webClientID:  {id: webClientID, secret: webSecret, grants: []oidc.GrantType{oidc.GrantTypeCode}, loopbackGlobs: true},
	}
}

func (c *client) GetID() string                       { return c.id }
func (c *client) RedirectURIs() []string              { return nil }
func (c *client) PostLogoutRedirectURIs() []string    { return nil }
func (c *client) ApplicationType() op.ApplicationType { return op.ApplicationTypeWeb }
func (c *client) AuthMethod() oidc.AuthMethod         { return oidc.AuthMethodBasic }
func (c *client) ResponseTypes() []oidc.ResponseType {
	return []oidc.ResponseType{oidc.ResponseTypeCode}
}
func (c *client) GrantTypes() []oidc.GrantType         { return c.grants }
func (c *client) LoginURL(id string) string            { return loginPath + "?authRequestID=" + id }
func (c *client) IDTokenLifetime() time.Duration       { return time.Hour }
func (c *client) DevMode() bool                        { return false }
func (c *client) IsScopeAllowed(string) bool           { return true }
func (c *client) IDTokenUserinfoClaimsAssertion() bool { return true }
func (c *client) ClockSkew() time.Duration             { return 0 }
func (c *client) RestrictAdditionalIdTokenScopes() func([]string) []string {
	return func(scopes []string) []string { return scopes }
}
func (c *client) RestrictAdditionalAccessTokenScopes() func([]string) []string {
	return func(scopes []string) []string { return scopes }
}

// AccessTokenType: the mail client's tokens are JWTs, so Dovecot can check them itself.
func (c *client) AccessTokenType() op.AccessTokenType {
	if c.mailbox != "" {
		return op.AccessTokenTypeJWT
	}
	return op.AccessTokenTypeBearer
}

func (c *client) RedirectURIGlobs() []string {
	if c.loopbackGlobs {
		return []string{loopbackGlob}
	}
	return nil
}

func (c *client) PostLogoutRedirectURIGlobs() []string { return c.RedirectURIGlobs() }
