package web

import (
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
)

// OpenID Connect Front-Channel Logout 1.0: when someone signs out at the provider (Outlook, the
// Microsoft 365 portal), the provider loads this page in a hidden iframe of its own page, with
// the provider session that ended as sid (and, by the specification, its issuer as iss), and
// our sessions begun in that provider session end.
//
// The request comes from the provider's page, cross-site, without our cookies (they are
// SameSite) and without a CSRF token, which it cannot have. So it reads no cookie, can only
// end sessions, does the same however often it comes, and answers the same page whether a
// session ended or not: someone who sends it learns nothing. Ending a session needs its sid,
// which only the provider and the browser's ID token know (Entra ID's is a random GUID).
const frontChannelLogoutPath = "/logg-ut/sso"

// Requests per address: the iframes of a whole office behind one address signing out together
// fit, a loop does not.
const (
	signOutLimit  = 60
	signOutWindow = 10 * time.Minute
)

// signedOutPage is what the hidden iframe shows: the same bytes whatever happened.
const signedOutPage = `<!doctype html><html lang="nb"><head><meta charset="utf-8"><title>Logget ut – Digihjelpen</title></head>` +
	`<body><main><h1>Logget ut</h1><p>Du er logget ut av Digihjelpen kontaktpunkt.</p></main></body></html>`

// handleFrontChannelLogout ends the sessions of the provider session sid. An iss that is not
// our issuer ends nothing. Entra ID sends sid without iss (a known departure from the
// specification), which is taken as our issuer: we trust one provider, and a session matches
// only if it was begun at that issuer. Without sid nothing ends: the specification would have
// the browser's own session end, which a cross-site iframe cannot name, and ending every
// session of the issuer would sign everybody out.
func (s *Server) handleFrontChannelLogout(c *fiber.Ctx) error {
	key := s.clientKey(c)
	if blocked, wait := s.signOuts.Blocked(key); blocked {
		c.Set(fiber.HeaderRetryAfter, retryAfter(wait))
		return ticket.Errorf(ticket.ERATELIMIT, "For mange forespørsler om utlogging fra denne adressen. Prøv igjen om litt.")
	}
	s.signOuts.Fail(key)
	iss, sid := c.Query("iss"), c.Query("sid")
	switch {
	case iss != "" && iss != s.SSO.Issuer:
		s.Logger.Info("sso: front-channel logout from another issuer ignored", "iss", iss)
	case sid == "":
		s.Logger.Info("sso: front-channel logout without sid ignored")
	default:
		n, err := s.Sessions.DeleteProviderSessions(c.UserContext(), s.SSO.Issuer, sid)
		if err != nil {
			return fmt.Errorf("front-channel logout: %w", err)
		}
		s.Logger.Info("sso: front-channel logout", "sessions_ended", n)
	}
	s.frameForProvider(c)
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Type("html", "utf-8")
	return c.SendString(signedOutPage)
}

// frameForProvider lets exactly the provider's origin show this answer in a frame; every
// other page keeps frame-ancestors 'none' and X-Frame-Options DENY (headers.go). The old
// header has no way to name another origin, so it goes: browsers that know frame-ancestors
// obey it instead.
func (s *Server) frameForProvider(c *fiber.Ctx) {
	c.Set("Content-Security-Policy", "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors "+s.sso.Origin())
	c.Response().Header.Del("X-Frame-Options")
}
