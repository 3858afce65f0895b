package web

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
	"github.com/ks-no/digihjelpen/ticket/compose"
)

// «Glemt passord?»: a link by mail (through the outbox) that sets a new password once, within
// half an hour. The answer is the same whether the address has an account or not.
const (
	// resetsPerHour is how many reset requests one address may send an hour.
	resetsPerHour = 5
	// resetsPerAccount is how many links one account gets an hour, so nobody fills a
	// colleague's inbox.
	resetsPerAccount = 3
)

const forgotSent = "Hvis e-postadressen har en konto her, får den snart en e-post med en lenke for å lage nytt passord. Lenken virker i 30 minutter, én gang."

func (s *Server) handleForgotForm(c *fiber.Ctx) error {
	return s.render(c, "forgot_password", pageData{Title: "Glemt passord"})
}

func (s *Server) handleForgot(c *fiber.Ctx) error {
	email := strings.ToLower(strings.TrimSpace(c.FormValue("email")))
	key := s.clientKey(c)
	if blocked, wait := s.resets.Blocked(key); blocked {
		c.Set(fiber.HeaderRetryAfter, retryAfter(wait))
		c.Status(fiber.StatusTooManyRequests)
		return s.render(c, "forgot_password", pageData{Title: "Glemt passord", Form: map[string]string{"email": email},
			Message: "For mange forespørsler fra denne adressen. Vent " + waitText(wait) + " og prøv igjen."})
	}
	s.resets.Fail(key)
	if _, err := ticket.NormalizeEmail(email); err != nil {
		c.Status(fiber.StatusBadRequest)
		return s.render(c, "forgot_password", pageData{Title: "Glemt passord", Form: map[string]string{"email": email},
			Errors: ticket.FieldErrors{ticket.FieldError("email", "Skriv e-postadressen du logger inn med.")}})
	}
	if err := s.sendResetLink(c, email); err != nil {
		return err
	}
	return s.render(c, "forgot_password", pageData{Title: "Glemt passord", Notice: forgotSent, Data: true})
}

// sendResetLink queues a link for a local account that may sign in with a password; for any
// other address it does nothing, and says nothing different.
func (s *Server) sendResetLink(c *fiber.Ctx, email string) error {
	u, err := s.Users.FindUserByEmail(c.UserContext(), email)
	if ticket.ErrorCode(err) == ticket.ENOTFOUND {
		return nil
	} else if err != nil {
		return err
	}
	if u.Disabled || u.IsSSO() || (s.PasswordLoginOff && !u.IsAdmin()) {
		return nil
	}
	now := s.Now()
	if n, err := s.Accounts.CountRecentPasswordResets(c.UserContext(), u.ID, now.Add(-time.Hour)); err != nil || n >= resetsPerAccount {
		return err
	}
	token := randomToken(32)
	link := strings.TrimSuffix(s.BaseURL, "/") + "/nytt-passord/" + token
	mail := &ticket.OutboundMail{Kind: ticket.MailPasswordReset, To: []string{u.Email}, MessageID: s.messageID(),
		Subject: "Nytt passord til Digihjelpen kontaktpunkt",
		Text: fmt.Sprintf("Hei %s,\n\nnoen (forhåpentligvis du) ba om å lage nytt passord til Digihjelpen kontaktpunkt.\n\n"+
			"Lag nytt passord her innen 30 minutter:\n%s\n\nLenken virker én gang. Ba du ikke om dette, kan du se bort fra "+
			"e-posten: passordet ditt er ikke endret.\n\nHilsen Digihjelpen kontaktpunkt\n", u.Name, link)}
	r := &ticket.PasswordReset{TokenHash: hashSecret(token), UserID: u.ID, ExpiresAt: now.Add(ticket.PasswordResetValidity)}
	ctx := ticket.NewContextWithActor(c.UserContext(), ticket.Actor{Name: u.Email})
	return s.Accounts.CreatePasswordReset(ctx, r, mail)
}

// messageID is a Message-ID on our mail domain (the composer's, or the site's host).
func (s *Server) messageID() string {
	if s.Composer != nil {
		return s.Composer.NewMessageID(ticket.Ref{})
	}
	host := "localhost"
	if u, err := url.Parse(s.BaseURL); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	return compose.NewMessageID(host, ticket.Ref{})
}

// resetLink finds the link of :token, or shows that it is used or expired.
func (s *Server) resetLink(c *fiber.Ctx) (*ticket.PasswordReset, error) {
	c.Set(fiber.HeaderCacheControl, "no-store")
	r, err := s.Accounts.FindPasswordReset(c.UserContext(), hashSecret(c.Params("token")))
	if ticket.ErrorCode(err) == ticket.ENOTFOUND {
		return nil, ticket.Errorf(ticket.ENOTFOUND, "Lenken er brukt eller utløpt. Be om en ny lenke under «Glemt passord?» på innloggingssiden.")
	}
	return r, err
}

func (s *Server) handleResetForm(c *fiber.Ctx) error {
	if _, err := s.resetLink(c); err != nil {
		return err
	}
	return s.render(c, "reset_password", pageData{Title: "Lag nytt passord"})
}

func (s *Server) handleReset(c *fiber.Ctx) error {
	if _, err := s.resetLink(c); err != nil {
		return err
	}
	hash, err := HashPassword(c.FormValue("nytt"))
	var errs ticket.FieldErrors
	if err != nil {
		errs = append(errs, ticket.FieldError("nytt", "%s", ticket.ErrorMessage(err)))
	} else if c.FormValue("nytt") != c.FormValue("gjenta") {
		errs = append(errs, ticket.FieldError("gjenta", "Passordene er ikke like."))
	}
	if len(errs) > 0 {
		c.Status(fiber.StatusBadRequest)
		return s.render(c, "reset_password", pageData{Title: "Lag nytt passord", Errors: errs})
	}
	if _, err := s.Accounts.UsePasswordReset(c.UserContext(), hashSecret(c.Params("token")), hash); err != nil {
		return err
	}
	if err := s.endSession(c); err != nil {
		return err
	}
	return c.Redirect("/logg-inn?ok=passord", fiber.StatusSeeOther)
}
