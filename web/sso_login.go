package web

import (
	"errors"
	"net/url"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
	"github.com/ks-no/digihjelpen/web/sso"
)

// Sign-in at the organisation's OpenID provider. The attempt (state, nonce, PKCE verifier, where
// to go after) waits in a sealed cookie for ssoWindow rather than in the database: a visitor who
// is not signed in writes nothing to disk, a restart loses no sign-in under way, and the answer
// is tied to the browser that asked, so a code sent to someone else's browser finds no attempt.
// The cookie is SameSite=Lax: the provider sends the browser back with a top-level GET
// (response_mode=query), which carries it.
const (
	ssoCookie = "dh_sso"
	ssoWindow = 10 * time.Minute
)

// ssoProblem is a sign-in that did not work, with the way to try again.
type ssoProblem struct {
	Retry string // where «Prøv igjen» leads
}

func (s *Server) renderSSOProblem(c *fiber.Ctx, status int, title, message, next string) error {
	c.Status(status)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return s.render(c, "sso_problem", pageData{Title: title, Message: message,
		Data: ssoProblem{Retry: "/logg-inn/sso?neste=" + url.QueryEscape(localPath(next))}})
}

// handleSSOStart sends the browser to the provider.
func (s *Server) handleSSOStart(c *fiber.Ctx) error {
	next := localPath(c.Query("neste"))
	to, attempt, err := s.sso.Begin(c.UserContext(), next, s.Now())
	if err != nil {
		s.Logger.Warn("sso: provider unavailable", "err", err)
		return s.renderSSOProblem(c, fiber.StatusBadGateway, "Innloggingen virker ikke nå",
			"Vi får ikke kontakt med innloggingstjenesten for KS-kontoer. Prøv igjen om litt.", next)
	}
	if err := s.sealCookie(c, ssoCookie, attempt, ssoWindow); err != nil {
		return err
	}
	return c.Redirect(to, fiber.StatusSeeOther)
}

// handleSSOCallback finishes the sign-in the provider sends the browser back from.
func (s *Server) handleSSOCallback(c *fiber.Ctx) error {
	var a sso.Attempt
	opened := s.openCookie(c, ssoCookie, &a)
	s.clearCookie(c, ssoCookie) // one answer per attempt, whatever it is
	if e := c.Query("error"); e != "" {
		s.Logger.Info("sso: provider answered with an error", "error", e, "description", c.Query("error_description"))
		s.auditLogin(c, "ukjent", "mislykket innlogging med KS-konto: "+e)
		msg := "Innloggingstjenesten for KS-kontoer svarte med en feil."
		if e == "access_denied" {
			msg = "Innloggingen ble avbrutt eller avvist hos KS-kontoen."
		}
		return s.renderSSOProblem(c, fiber.StatusBadGateway, "Innloggingen ble ikke fullført", msg, a.Next)
	}
	if opened != nil || s.Now().Sub(a.Started) > ssoWindow {
		return s.renderSSOProblem(c, fiber.StatusBadRequest, "Innloggingen ble ikke fullført",
			"Innloggingen tok for lang tid, eller ble startet i en annen nettleser eller fane.", "")
	}
	if !a.StateMatches(c.Query("state")) {
		s.auditLogin(c, "ukjent", "mislykket innlogging med KS-konto: state stemmer ikke")
		return s.renderSSOProblem(c, fiber.StatusBadRequest, "Innloggingen ble ikke fullført",
			"Svaret fra innloggingstjenesten hørte ikke til innloggingen i denne nettleseren.", a.Next)
	}
	person, err := s.sso.Finish(c.UserContext(), a, c.Query("code"))
	if err != nil {
		return s.ssoFailed(c, err, a.Next)
	}
	if person.Role == "" {
		return s.ssoRefused(c, person)
	}
	u, err := s.Accounts.SignInSSO(c.UserContext(), ticket.SSOIdentity{Subject: person.Subject, Email: person.Email,
		Name: person.Name, Role: person.Role})
	if code := ticket.ErrorCode(err); code == ticket.EFORBIDDEN || code == ticket.ECONFLICT || code == ticket.EINVALID {
		s.auditLogin(c, person.Email, "avvist innlogging med KS-konto: "+ticket.ErrorMessage(err))
		return s.renderSSOProblem(c, statusOf[code], "Ingen tilgang", ticket.ErrorMessage(err), a.Next)
	} else if err != nil {
		return err
	}
	return s.completeLogin(c, u, "innlogget med KS-konto som "+string(u.Role), a.Next, person)
}

// ssoFailed explains a sign-in the provider or its token spoiled; the details go to the log.
func (s *Server) ssoFailed(c *fiber.Ctx, err error, next string) error {
	s.Logger.Warn("sso: sign-in failed", "err", err)
	s.auditLogin(c, "ukjent", "mislykket innlogging med KS-konto")
	switch {
	case errors.Is(err, sso.ErrProvider):
		return s.renderSSOProblem(c, fiber.StatusBadGateway, "Innloggingen virker ikke nå",
			"Vi får ikke fullført innloggingen hos innloggingstjenesten for KS-kontoer. Prøv igjen om litt.", next)
	case errors.Is(err, sso.ErrTooManyGroups):
		return s.renderSSOProblem(c, fiber.StatusForbidden, "Ingen tilgang",
			"Kontoen din er med i så mange grupper at innloggingen ikke sier hvilke. Be IT-avdelingen gi appen bare gruppene som er tildelt den.", next)
	case errors.Is(err, sso.ErrNoEmail):
		return s.renderSSOProblem(c, fiber.StatusForbidden, "Ingen tilgang",
			"Innloggingen sa ikke hvilken e-postadresse kontoen din har. Be IT-avdelingen ta med e-postadressen.", next)
	}
	return s.renderSSOProblem(c, fiber.StatusBadRequest, "Innloggingen ble ikke fullført",
		"Svaret fra innloggingstjenesten kunne ikke godkjennes.", next)
}

// ssoRefused turns away a person whose groups give no role, and ends any session they still
// had: someone taken out of the groups is out at the next sign-in.
func (s *Server) ssoRefused(c *fiber.Ctx, p *sso.Person) error {
	if u, err := s.Users.FindUserByEmail(c.UserContext(), p.Email); err == nil && u.SSOSubject == p.Subject {
		if _, err := s.Sessions.DeleteUserSessions(c.UserContext(), u.ID); err != nil {
			return err
		}
	}
	s.auditLogin(c, p.Email, "avvist innlogging med KS-konto: ikke med i noen gruppe med tilgang")
	c.Status(fiber.StatusForbidden)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return s.render(c, "sso_problem", pageData{Title: "Ingen tilgang",
		Message: "Du har ikke tilgang til Digihjelpen kontaktpunkt. Be IT-avdelingen om å bli lagt til i riktig gruppe hvis du skal ha tilgang.",
		Data:    ssoProblem{}})
}
