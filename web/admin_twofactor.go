package web

import (
	"github.com/gofiber/fiber/v2"
)

// handleRequireTwoFactor turns on or off that every local account must use two-factor.
func (s *Server) handleRequireTwoFactor(c *fiber.Ctx) error {
	on := c.FormValue("kreves") == "ja"
	if err := s.Accounts.SetRequireTwoFactor(c.UserContext(), on); err != nil {
		return err
	}
	if on {
		return c.Redirect("/admin/brukere?ok=tofaktor-kreves", fiber.StatusSeeOther)
	}
	return c.Redirect("/admin/brukere?ok=tofaktor-valgfritt", fiber.StatusSeeOther)
}

// handleUserTwoFactorReset takes away a user's two-factor (a lost phone, no recovery codes
// left); the user sets it up again at the next sign-in when it is required.
func (s *Server) handleUserTwoFactorReset(c *fiber.Ctx) error {
	u, err := s.userParam(c)
	if err != nil {
		return err
	}
	if err := s.Accounts.ResetTwoFactor(c.UserContext(), u.ID, "tofaktor nullstilt av administrator"); err != nil {
		return s.userActionFailed(c, err)
	}
	return c.Redirect("/admin/brukere?ok=tofaktor", fiber.StatusSeeOther)
}
