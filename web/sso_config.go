package web

import (
	"net/http"
	"time"
)

// SSOConfig is sign-in with the organisation's OpenID provider ([sso] in the configuration).
type SSOConfig struct {
	// Issuer is the provider (Entra ID: https://login.microsoftonline.com/<tenant>/v2.0); "" is off.
	Issuer       string
	ClientID     string
	ClientSecret string
	// GroupsClaim names the claim with the groups; "" means "groups".
	GroupsClaim string
	// The groups (Entra ID: object IDs) that give each role; the highest wins.
	AdminGroups, AgentGroups, ReaderGroups []string
	// MaxSession ends a session begun at the provider this long after sign-in at the latest;
	// 0 means defaultSSOMaxSession.
	MaxSession time.Duration
	// ButtonLabel is the text of the sign-in button; "" means «Logg inn med KS-konto».
	ButtonLabel string
	// HTTPClient talks to the provider; nil: a client with a 10 s timeout.
	HTTPClient *http.Client
}

const (
	defaultSSOMaxSession = 12 * time.Hour
	defaultSSOLabel      = "Logg inn med KS-konto"
)

func (c SSOConfig) maxSession() time.Duration {
	if c.MaxSession <= 0 {
		return defaultSSOMaxSession
	}
	return c.MaxSession
}

func (c SSOConfig) label() string {
	if c.ButtonLabel == "" {
		return defaultSSOLabel
	}
	return c.ButtonLabel
}
