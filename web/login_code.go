package web

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
)

// The second step of a sign-in with two-factor. The password step leaves no session, only a
// sealed cookie that says whose password was right, for a few minutes: nothing works with it
// but this form.
const (
	codeCookie = "dh_2fa"
	codeWindow = 5 * time.Minute
)

type pendingLogin struct {
	UserID uint64 `json:"u"`
	Next   string `json:"next"`
}

func (s *Server) askForCode(c *fiber.Ctx, u *ticket.User, next string) error {
	if err := s.sealCookie(c, codeCookie, pendingLogin{UserID: u.ID, Next: next}, codeWindow); err != nil {
		return err
	}
	return c.Redirect("/logg-inn/kode", fiber.StatusSeeOther)
}

// pendingUser is the user whose password was right on this browser a moment ago.
func (s *Server) pendingUser(c *fiber.Ctx) (*ticket.User, pendingLogin, bool) {
	var p pendingLogin
	if err := s.openCookie(c, codeCookie, &p); err != nil {
		return nil, p, false
	}
	u, err := s.Users.FindUserByID(c.UserContext(), p.UserID)
	if err != nil || u.Disabled || !u.TwoFactor {
		return nil, p, false
	}
	return u, p, true
}

func (s *Server) handleLoginCodeForm(c *fiber.Ctx) error {
	if _, _, ok := s.pendingUser(c); !ok {
		return c.Redirect("/logg-inn", fiber.StatusSeeOther)
	}
	return s.render(c, "login_code", pageData{Title: "Tofaktorkode"})
}

func (s *Server) handleLoginCode(c *fiber.Ctx) error {
	u, p, ok := s.pendingUser(c)
	if !ok {
		return c.Redirect("/logg-inn", fiber.StatusSeeOther)
	}
	addrKey := s.clientKey(c)
	acctKey := accountKey(addrKey, u.Email)
	for _, k := range []string{addrKey, acctKey} {
		if blocked, wait := s.logins.Blocked(k); blocked {
			c.Set(fiber.HeaderRetryAfter, retryAfter(wait))
			c.Status(fiber.StatusTooManyRequests)
			return s.render(c, "login_code", pageData{Title: "Tofaktorkode",
				Message: "For mange feil koder. Vent " + waitText(wait) + " og prøv igjen."})
		}
	}
	how, err := s.checkSecondFactor(c, u, c.FormValue("kode"))
	if code := ticket.ErrorCode(err); code != "" && code != ticket.EUNAUTHORIZED && code != ticket.ECONFLICT {
		return err
	} else if err != nil {
		s.logins.Fail(addrKey, addressLimit)
		s.logins.Fail(acctKey, accountLimit)
		s.auditLogin(c, u.Email, "mislykket tofaktorkode")
		c.Status(fiber.StatusUnauthorized)
		return s.render(c, "login_code", pageData{Title: "Tofaktorkode", Errors: ticket.FieldErrors{
			ticket.FieldError("kode", "%s", ticket.ErrorMessage(err))}})
	}
	s.logins.Reset(acctKey)
	s.clearCookie(c, codeCookie)
	return s.completeLogin(c, u, how, p.Next, nil)
}

// checkSecondFactor accepts a code from the app (each once) or an unused recovery code, and
// says which it was for the audit trail.
func (s *Server) checkSecondFactor(c *fiber.Ctx, u *ticket.User, code string) (string, error) {
	wrong := ticket.Errorf(ticket.EUNAUTHORIZED, "Feil kode. Skriv de seks sifrene appen viser nå, eller en gjenopprettingskode.")
	code = strings.TrimSpace(code)
	if len(strings.Join(strings.Fields(code), "")) == 6 {
		tf, err := s.Accounts.FindTwoFactor(c.UserContext(), u.ID)
		if err != nil {
			return "", err
		}
		step, ok := matchTOTP(tf.Secret, code, s.Now())
		if !ok {
			return "", wrong
		}
		if err := s.Accounts.UseTOTPStep(c.UserContext(), u.ID, step); err != nil {
			return "", err
		}
		return "innlogget med passord og tofaktorkode", nil
	}
	if _, err := s.Accounts.UseRecoveryCode(c.UserContext(), u.ID, recoveryHash(code)); ticket.ErrorCode(err) == ticket.EUNAUTHORIZED {
		return "", wrong
	} else if err != nil {
		return "", err
	}
	return "innlogget med passord og gjenopprettingskode", nil
}
