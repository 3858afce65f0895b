package web

import (
	"cmp"
	"fmt"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
	"github.com/ks-no/digihjelpen/web/sso"
)

// completeLogin signs u in on this browser, after every step the account asks for (password,
// code, or the provider): a fresh session and CSRF seed, the audit line, and on to next. from
// is who the provider signed in, nil for a password.
func (s *Server) completeLogin(c *fiber.Ctx, u *ticket.User, how, next string, from *sso.Person) error {
	if err := s.endSession(c); err != nil { // whatever this browser had before: never carried over
		return err
	}
	s.setCookie(c, csrfCookie, randomToken(24), 0) // a CSRF seed planted before login is worth nothing after
	if err := s.startSession(c, u, from); err != nil {
		return err
	}
	s.Logger.Info("login", "user_id", u.ID, "how", how)
	s.auditLogin(c, u.Email, how)
	return c.Redirect(cmp.Or(localPath(next), home(u)), fiber.StatusSeeOther)
}

// auditLogin writes a sign-in, or a failed one, to the audit trail (ticket 0). A failure to
// write is logged: it must not keep anyone out or let anyone in.
func (s *Server) auditLogin(c *fiber.Ctx, actor, detail string) {
	if s.Events == nil {
		return
	}
	ctx := ticket.NewContextWithActor(c.UserContext(), ticket.Actor{Name: actor})
	if err := s.Events.AddEvent(ctx, 0, ticket.EventLogin, detail+" (adresse "+s.ipTag(c)+")"); err != nil {
		s.Logger.Warn("audit login", "err", err)
	}
}

// enrolFirst sends a local user without two-factor to set it up, before anything else, once
// administrators require it. Setting it up and logging out stay open.
func (s *Server) enrolFirst(c *fiber.Ctx, u *ticket.User) error {
	if s.Accounts == nil || u.IsSSO() || u.TwoFactor {
		return c.Next()
	}
	switch c.Path() {
	case "/konto/tofaktor", "/logg-ut":
		return c.Next()
	}
	required, err := s.Accounts.RequireTwoFactor(c.UserContext())
	if err != nil {
		return err
	}
	if !required {
		return c.Next()
	}
	if isAPI(c) || strings.HasPrefix(c.Path(), "/static/") {
		return c.Next()
	}
	return c.Redirect("/konto/tofaktor", fiber.StatusSeeOther)
}

// waitText says a wait as people say it: "30 sekunder", "2 minutter".
func waitText(d time.Duration) string {
	secs := max(1, int(d.Round(time.Second).Seconds()))
	switch {
	case secs < 60:
		return fmt.Sprintf("%d sekunder", secs)
	case secs < 120:
		return "ett minutt"
	}
	return fmt.Sprintf("%d minutter", (secs+59)/60)
}
