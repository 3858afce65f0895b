package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
)

// The user's own page, /konto: display name, password and two-factor.

var accountNotices = map[string]string{
	"navn":        "Navnet er endret.",
	"signatur":    "Signaturen er lagret. Den står under svarene dine fra nå av.",
	"passord":     "Passordet er endret. Du er logget ut alle andre steder.",
	"tofaktor-av": "Tofaktor er slått av.",
}

type accountPage struct {
	SSO       bool
	Notify    bool              // the user may choose notifications (/konto/varsler)
	TwoFactor *ticket.TwoFactor // nil: two-factor is not offered (no store, or an SSO account)
	Required  bool
}

func (s *Server) renderAccount(c *fiber.Ctx, d pageData) error {
	u := userFrom(c)
	p := accountPage{SSO: u.IsSSO(), Notify: s.mayUse(u, fiber.MethodGet, "/konto/varsler")}
	if s.Accounts != nil && !u.IsSSO() {
		tf, err := s.Accounts.FindTwoFactor(c.UserContext(), u.ID)
		if err != nil {
			return err
		}
		if p.Required, err = s.Accounts.RequireTwoFactor(c.UserContext()); err != nil {
			return err
		}
		p.TwoFactor = tf
	}
	if d.Form == nil {
		d.Form = map[string]string{"navn": u.Name}
	}
	if _, ok := d.Form["signatur"]; !ok {
		d.Form["signatur"] = u.Signature
	}
	d.Title, d.Data, d.Nav = "Min konto", p, "konto"
	return s.render(c, "account", d)
}

func (s *Server) handleAccount(c *fiber.Ctx) error {
	return s.renderAccount(c, pageData{Notice: accountNotices[c.Query("ok")]})
}

func (s *Server) handleAccountName(c *fiber.Ctx) error {
	u := userFrom(c)
	name := strings.TrimSpace(c.FormValue("navn"))
	if u.IsSSO() {
		return ticket.Errorf(ticket.EFORBIDDEN, "Navnet ditt hentes fra KS-kontoen ved hver innlogging.")
	}
	if name == "" || len([]rune(name)) > 200 {
		c.Status(fiber.StatusBadRequest)
		return s.renderAccount(c, pageData{Form: map[string]string{"navn": name},
			Errors: ticket.FieldErrors{ticket.FieldError("navn", "Skriv navnet ditt (høyst 200 tegn).")}})
	}
	if _, err := s.Users.UpdateUser(c.UserContext(), u.ID, ticket.UserUpdate{Name: &name}); err != nil {
		return err
	}
	return c.Redirect("/konto?ok=navn", fiber.StatusSeeOther)
}

// handleAccountPassword changes the user's own password; the current one is asked for, so a
// browser left open is not enough. Every other session ends; this browser gets a new one.
func (s *Server) handleAccountPassword(c *fiber.Ctx) error {
	u := userFrom(c)
	if u.IsSSO() {
		return ticket.Errorf(ticket.EFORBIDDEN, "Du logger inn med KS-konto og har ikke passord her.")
	}
	key := accountKey(s.clientKey(c), u.Email)
	if blocked, wait := s.logins.Blocked(key); blocked {
		c.Set(fiber.HeaderRetryAfter, retryAfter(wait))
		c.Status(fiber.StatusTooManyRequests)
		return s.renderAccount(c, pageData{Message: "For mange feil passord. Vent " + waitText(wait) + " og prøv igjen."})
	}
	var errs ticket.FieldErrors
	if !CheckPassword(u.PasswordHash, c.FormValue("passord")) {
		s.logins.Fail(key, accountLimit)
		errs = append(errs, ticket.FieldError("passord", "Passordet du bruker nå, er feil."))
	}
	hash, err := HashPassword(c.FormValue("nytt"))
	if err != nil {
		errs = append(errs, ticket.FieldError("nytt", "%s", ticket.ErrorMessage(err)))
	} else if c.FormValue("nytt") != c.FormValue("gjenta") {
		errs = append(errs, ticket.FieldError("gjenta", "Passordene er ikke like."))
	}
	if len(errs) > 0 {
		c.Status(fiber.StatusBadRequest)
		return s.renderAccount(c, pageData{Errors: errs})
	}
	if _, err := s.Users.UpdateUser(c.UserContext(), u.ID, ticket.UserUpdate{PasswordHash: &hash}); err != nil {
		return err
	}
	if _, err := s.Sessions.DeleteUserSessions(c.UserContext(), u.ID); err != nil {
		return err
	}
	if err := s.newSession(c, u, nil); err != nil {
		return err
	}
	return c.Redirect("/konto?ok=passord", fiber.StatusSeeOther)
}

// handleAccountSignature saves the signature that ends the user's replies.
func (s *Server) handleAccountSignature(c *fiber.Ctx) error {
	u := userFrom(c)
	sig := strings.TrimSpace(strings.ReplaceAll(c.FormValue("signatur"), "\r\n", "\n"))
	if n := len([]rune(sig)); n > ticket.MaxSignatureLen {
		c.Status(fiber.StatusBadRequest)
		return s.renderAccount(c, pageData{Form: map[string]string{"navn": u.Name, "signatur": sig},
			Errors: ticket.FieldErrors{ticket.FieldError("signatur", "Signaturen kan være høyst %d tegn; din er %d.", ticket.MaxSignatureLen, n)}})
	}
	if _, err := s.Users.UpdateUser(c.UserContext(), u.ID, ticket.UserUpdate{Signature: &sig}); err != nil {
		return err
	}
	return c.Redirect("/konto?ok=signatur#signatur-tittel", fiber.StatusSeeOther)
}
