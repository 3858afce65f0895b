package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
)

// checkToken authenticates the JSON API with "Authorization: Bearer <token>" and lets a token
// through whose role allows need (see docs/SECURITY.md for what each role may). Tokens are
// stored as hashes; the actor in events is "token:<name>".
func (s *Server) checkToken(c *fiber.Ctx, need ticket.Role) error {
	h := c.Get(fiber.HeaderAuthorization)
	secret, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || strings.TrimSpace(secret) == "" {
		c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="digihjelpen"`)
		return ticket.Errorf(ticket.EUNAUTHORIZED, "Mangler API-nøkkel (Authorization: Bearer …).")
	}
	tok, err := s.Tokens.FindToken(c.UserContext(), hashSecret(strings.TrimSpace(secret)))
	if ticket.ErrorCode(err) == ticket.ENOTFOUND {
		c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="digihjelpen", error="invalid_token"`)
		return ticket.Errorf(ticket.EUNAUTHORIZED, "Ugyldig API-nøkkel.")
	} else if err != nil {
		return err
	}
	if !tok.Role.Allows(need) {
		if tok.Role == ticket.RoleReader {
			return ticket.Errorf(ticket.EFORBIDDEN, "API-nøkkelen har rollen leser og gir bare tilgang til statistikken og /metrics.")
		}
		if need == ticket.RoleAdmin {
			return ticket.Errorf(ticket.EFORBIDDEN, "Dette krever en API-nøkkel med rollen admin.")
		}
		return ticket.Errorf(ticket.EFORBIDDEN, "API-nøkkelen har ikke tilgang til dette.")
	}
	c.SetUserContext(ticket.NewContextWithActor(c.UserContext(), ticket.Actor{Name: "token:" + tok.Name, Role: tok.Role}))
	return c.Next()
}

// hasToken reports whether the request carries a valid API token of any role, for a route open
// to anyone that tells a program more than a passer-by (/readyz).
func (s *Server) hasToken(c *fiber.Ctx) bool {
	secret, ok := strings.CutPrefix(c.Get(fiber.HeaderAuthorization), "Bearer ")
	if !ok || strings.TrimSpace(secret) == "" || s.Tokens == nil {
		return false
	}
	_, err := s.Tokens.FindToken(c.UserContext(), hashSecret(strings.TrimSpace(secret)))
	return err == nil
}

// NewTokenSecret returns a new API token secret and the id it is stored under.
func NewTokenSecret() (secret, id string) {
	secret = "dh_" + randomToken(32)
	return secret, hashSecret(secret)
}
