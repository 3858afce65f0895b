package main

import (
	"fmt"
	"strings"
	"time"
)

// SSOConfig is staff sign-in with OpenID Connect (Entra ID). With Issuer empty it is off.
type SSOConfig struct {
	// Issuer is the provider; discovery at Issuer + /.well-known/openid-configuration.
	Issuer   string `toml:"issuer"`
	ClientID string `toml:"client_id"`
	// ClientSecret is best given as DIGIHJELPEN_SSO_CLIENT_SECRET.
	ClientSecret string `toml:"client_secret"`
	// GroupsClaim names the claim with the person's groups.
	GroupsClaim  string   `toml:"groups_claim"`
	AdminGroups  []string `toml:"admin_groups"`
	AgentGroups  []string `toml:"agent_groups"`
	ReaderGroups []string `toml:"reader_groups"`
	// MaxSession ends a session begun at the provider this long after sign-in at the latest.
	MaxSession Duration `toml:"max_session"`
	// ButtonLabel is the text of the sign-in button.
	ButtonLabel string `toml:"button_label"`
}

// DefaultSSOConfig is SSO off, with the defaults that apply once an issuer is set.
func DefaultSSOConfig() SSOConfig {
	return SSOConfig{GroupsClaim: "groups", MaxSession: Duration(12 * time.Hour), ButtonLabel: "Logg inn med KS-konto"}
}

// validateSignIn checks [sso] and server.password_login together.
func (c *Config) validateSignIn(bad func(key, reason string) error) error {
	s := c.SSO
	if s.Issuer == "" {
		if !c.Server.PasswordLogin {
			return bad("server.password_login", "false needs [sso] issuer: without sign-in with the organisation's account only local administrators could log in")
		}
		return nil
	}
	if !httpsOrLoopback(s.Issuer) {
		return bad("sso.issuer", fmt.Sprintf("expected an https:// address such as \"https://login.microsoftonline.com/<tenant>/v2.0\", got %q", s.Issuer))
	}
	if strings.TrimSpace(s.ClientID) == "" {
		return bad("sso.client_id", "expected the application (client) ID of the app registration, got nothing")
	}
	if s.ClientSecret == "" {
		return bad("sso.client_secret", "expected the client secret (best in DIGIHJELPEN_SSO_CLIENT_SECRET), got nothing")
	}
	if strings.TrimSpace(s.GroupsClaim) == "" {
		return bad("sso.groups_claim", "expected the name of the claim with the groups, such as \"groups\", got nothing")
	}
	if len(s.AdminGroups)+len(s.AgentGroups)+len(s.ReaderGroups) == 0 {
		return bad("sso.admin_groups", "expected at least one group in sso.admin_groups, sso.agent_groups or sso.reader_groups: without one nobody gets in")
	}
	if d := time.Duration(s.MaxSession); d < 5*time.Minute || d > 24*time.Hour {
		return bad("sso.max_session", fmt.Sprintf("expected a duration from 5m to 24h, got %v", d))
	}
	if strings.TrimSpace(s.ButtonLabel) == "" {
		return bad("sso.button_label", "expected the text of the sign-in button, got nothing")
	}
	return nil
}
