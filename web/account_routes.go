package web

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/web/sso"
)

// accountRoute is one route of sign-in and the user's own account: who may use it, and how.
type accountRoute struct {
	method, path string
	who          accountAccess
	handler      fiber.Handler
}

// accountAccess says who may use a route of the table.
type accountAccess int

const (
	openToAll   accountAccess = iota // signed in or not (sign-in steps, forgotten password)
	forSignedIn                      // every role: admin, agent and leser
	forAdmins
)

// accountRoutes is the route table of sign-in with SSO, the two-factor step, the account page
// and «Glemt passord?». Routes of features that are off are left out.
func (s *Server) accountRoutes() []accountRoute {
	routes := []accountRoute{
		{"GET", "/logg-inn/kode", openToAll, s.handleLoginCodeForm},
		{"POST", "/logg-inn/kode", openToAll, s.handleLoginCode},
		{"GET", "/konto", forSignedIn, s.handleAccount},
		{"POST", "/konto/navn", forSignedIn, s.handleAccountName},
		{"POST", "/konto/passord", forSignedIn, s.handleAccountPassword},
	}
	if s.sso != nil && s.Accounts != nil {
		routes = append(routes,
			accountRoute{"GET", "/logg-inn/sso", openToAll, s.handleSSOStart},
			accountRoute{"GET", ssoCallbackPath, openToAll, s.handleSSOCallback},
		)
	}
	if s.Accounts != nil {
		routes = append(routes,
			accountRoute{"GET", "/konto/tofaktor", forSignedIn, s.handleTwoFactorForm},
			accountRoute{"POST", "/konto/tofaktor", forSignedIn, s.handleTwoFactorEnable},
			accountRoute{"POST", "/konto/tofaktor/av", forSignedIn, s.handleTwoFactorDisable},
			accountRoute{"POST", "/konto/gjenopprettingskoder", forSignedIn, s.handleRecoveryCodes},
			accountRoute{"GET", "/glemt-passord", openToAll, s.handleForgotForm},
			accountRoute{"POST", "/glemt-passord", openToAll, s.handleForgot},
			accountRoute{"GET", "/nytt-passord/:token", openToAll, s.handleResetForm},
			accountRoute{"POST", "/nytt-passord/:token", openToAll, s.handleReset},
			accountRoute{"POST", "/admin/tofaktor", forAdmins, s.handleRequireTwoFactor},
			accountRoute{"POST", "/admin/brukere/:id/tofaktor", forAdmins, s.handleUserTwoFactorReset},
		)
	}
	return routes
}

// ssoCallbackPath is the redirect URI registered at the provider: BaseURL + this.
const ssoCallbackPath = "/logg-inn/sso/tilbake"

// registerAccountRoutes adds the table to r, with the checks each route's access asks for.
func (s *Server) registerAccountRoutes(r fiber.Router) {
	for _, rt := range s.accountRoutes() {
		handlers := []fiber.Handler{rt.handler}
		switch rt.who {
		case forSignedIn:
			handlers = []fiber.Handler{s.requireUser, rt.handler}
		case forAdmins:
			handlers = []fiber.Handler{s.requireUser, s.requireAdmin, rt.handler}
		}
		r.Add(rt.method, rt.path, handlers...)
	}
}

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
}
