package web

import (
	"strings"
	"time"

	"github.com/ks-no/digihjelpen/web/sso"
)

// ssoCallbackPath is the redirect URI registered at the provider: BaseURL + this.
const ssoCallbackPath = "/logg-inn/sso/tilbake"

// openAccounts prepares sign-in: the OpenID client (it contacts the provider only at the first
// sign-in), the page policy that lets logging out continue at the provider, and the limit on
// reset links per address.
func (s *Server) openAccounts() {
	s.csp = contentSecurityPolicy
	if s.SSO.Issuer != "" {
		s.sso = sso.New(sso.Config{Issuer: s.SSO.Issuer, ClientID: s.SSO.ClientID, ClientSecret: s.SSO.ClientSecret,
			RedirectURL: strings.TrimSuffix(s.BaseURL, "/") + ssoCallbackPath, GroupsClaim: s.SSO.GroupsClaim,
			AdminGroups: s.SSO.AdminGroups, AgentGroups: s.SSO.AgentGroups, ReaderGroups: s.SSO.ReaderGroups,
			HTTPClient: s.SSO.HTTPClient})
		s.csp = strings.Replace(s.csp, "form-action 'self'", "form-action 'self' "+s.sso.Origin(), 1)
	}
	s.resets = newFailureLimiter(resetsPerHour, time.Hour, s.Now)
	s.life.goUntilShutdown(s.resets.sweep)
	s.signOuts = newFailureLimiter(signOutLimit, signOutWindow, s.Now)
	s.life.goUntilShutdown(s.signOuts.sweep)
}
