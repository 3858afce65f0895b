package web

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
)

const (
	sessionCookie = "dh_session"
	// sessionIdle logs a browser out after a working day without use.
	sessionIdle = 12 * time.Hour
	// sessionLifetime ends a session a day after login however busy it is, so a stolen or
	// forgotten cookie does not live on; staff log in once a working day.
	sessionLifetime = 24 * time.Hour
	// sessionTouchEvery limits writes: the expiry moves at most this often.
	sessionTouchEvery = 5 * time.Minute
	localUser         = "user"
)

func (s *Server) registerAuthRoutes(r fiber.Router) {
	r.Get("/logg-inn", s.handleLoginForm)
	r.Post("/logg-inn", s.handleLogin)
	r.Post("/logg-ut", s.handleLogout)
}

// hashSecret is how cookie and token secrets are stored: never the secret itself.
func hashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// loadSession puts the logged-in user, if any, in the request. A bad or expired cookie, or a
// user who is gone or disabled, just means nobody is logged in. A storage fault fails the
// request: taken as "not logged in", it would send staff to the login page, as if their
// password were the trouble.
func (s *Server) loadSession(c *fiber.Ctx) error {
	secret := c.Cookies(sessionCookie)
	if secret == "" || isAPI(c) {
		return c.Next()
	}
	id := hashSecret(secret)
	sess, err := s.Sessions.FindSession(c.UserContext(), id)
	if ticket.ErrorCode(err) == ticket.ENOTFOUND {
		return c.Next()
	} else if err != nil {
		return fmt.Errorf("load session: %w", err)
	}
	u, err := s.Users.FindUserByID(c.UserContext(), sess.UserID)
	if ticket.ErrorCode(err) == ticket.ENOTFOUND || err == nil && u.Disabled {
		return c.Next()
	} else if err != nil {
		return fmt.Errorf("load session: user %d: %w", sess.UserID, err)
	}
	now := s.Now()
	end := sess.CreatedAt.Add(sessionLifetime)
	if !now.Before(end) {
		if err := s.Sessions.DeleteSession(c.UserContext(), id); err != nil {
			s.Logger.Warn("delete expired session", "err", err)
		}
		return c.Next()
	}
	if now.Sub(sess.LastSeen) > sessionTouchEvery {
		if err := s.Sessions.TouchSession(c.UserContext(), id, now, minTime(now.Add(sessionIdle), end)); err != nil {
			s.Logger.Warn("touch session", "err", err)
		}
	}
	c.Locals(localUser, u)
	c.SetUserContext(ticket.NewContextWithActor(c.UserContext(), ticket.Actor{Name: u.Email, Role: u.Role}))
	return c.Next()
}

func userFrom(c *fiber.Ctx) *ticket.User {
	u, _ := c.Locals(localUser).(*ticket.User)
	return u
}

// requireUser lets only logged-in staff through; others go to the login page.
func (s *Server) requireUser(c *fiber.Ctx) error {
	if userFrom(c) == nil {
		return ticket.Errorf(ticket.EUNAUTHORIZED, "Du må logge inn.")
	}
	c.Set(fiber.HeaderCacheControl, "no-store") // pages with personal data are never cached
	return c.Next()
}

// requireAdmin lets only administrators through.
func (s *Server) requireAdmin(c *fiber.Ctx) error {
	if !userFrom(c).IsAdmin() {
		return ticket.Errorf(ticket.EFORBIDDEN, "Denne siden er bare for administratorer.")
	}
	return c.Next()
}

func (s *Server) handleLoginForm(c *fiber.Ctx) error {
	if userFrom(c) != nil {
		return c.Redirect(safeNext(c.Query("neste")), fiber.StatusSeeOther)
	}
	return s.render(c, "login", pageData{Title: "Logg inn", Form: map[string]string{"neste": safeNext(c.Query("neste"))}})
}

func (s *Server) handleLogin(c *fiber.Ctx) error {
	email := strings.ToLower(strings.TrimSpace(c.FormValue("email")))
	form := map[string]string{"email": email, "neste": safeNext(c.FormValue("neste"))}
	ipKey, userKey := s.clientKey(c), "user:"+email
	for _, k := range []string{ipKey, userKey} {
		if blocked, wait := s.logins.Blocked(k); blocked {
			c.Set(fiber.HeaderRetryAfter, retryAfter(wait))
			c.Status(fiber.StatusTooManyRequests)
			return s.render(c, "login", pageData{Title: "Logg inn", Form: form,
				Message: "For mange mislykkede forsøk. Vent et kvarter og prøv igjen."})
		}
	}
	u, err := s.Users.FindUserByEmail(c.UserContext(), email)
	if err != nil || u.Disabled {
		CheckPassword(dummyHash, c.FormValue("password"))
		return s.loginFailed(c, form, ipKey, userKey)
	}
	if !CheckPassword(u.PasswordHash, c.FormValue("password")) {
		return s.loginFailed(c, form, ipKey, userKey)
	}
	s.logins.Reset(userKey)
	if err := s.endSession(c); err != nil { // whatever this browser had before: never carried over
		return err
	}
	s.setCookie(c, csrfCookie, randomToken(24), 0) // a CSRF seed planted before login is worth nothing after
	if err := s.startSession(c, u); err != nil {
		return err
	}
	s.Logger.Info("login", "user_id", u.ID)
	return c.Redirect(form["neste"], fiber.StatusSeeOther)
}

func (s *Server) loginFailed(c *fiber.Ctx, form map[string]string, keys ...string) error {
	for _, k := range keys {
		s.logins.Fail(k)
	}
	s.Logger.Info("login failed", "ip", s.ipTag(c))
	c.Status(fiber.StatusUnauthorized)
	return s.render(c, "login", pageData{Title: "Logg inn", Form: form,
		Message: "Feil e-postadresse eller passord."})
}

func (s *Server) startSession(c *fiber.Ctx, u *ticket.User) error {
	if err := s.newSession(c, u); err != nil {
		return err
	}
	now := s.Now()
	_, err := s.Users.UpdateUser(c.UserContext(), u.ID, ticket.UserUpdate{LastLoginAt: &now})
	return err
}

// newSession stores a new session for u and gives this browser its cookie.
func (s *Server) newSession(c *fiber.Ctx, u *ticket.User) error {
	secret := randomToken(32)
	sess := &ticket.Session{ID: hashSecret(secret), UserID: u.ID, ExpiresAt: s.Now().Add(sessionIdle)}
	if err := s.Sessions.CreateSession(c.UserContext(), sess); err != nil {
		return err
	}
	s.setCookie(c, sessionCookie, secret, 0)
	return nil
}

func (s *Server) handleLogout(c *fiber.Ctx) error {
	if err := s.endSession(c); err != nil {
		return err
	}
	s.setCookie(c, sessionCookie, "", -time.Second)
	return c.Redirect("/logg-inn", fiber.StatusSeeOther)
}

// endSession deletes the session of this browser's cookie, if it has one, on the server.
func (s *Server) endSession(c *fiber.Ctx) error {
	if secret := c.Cookies(sessionCookie); secret != "" {
		return s.Sessions.DeleteSession(c.UserContext(), hashSecret(secret))
	}
	return nil
}

// safeNext keeps a redirect after login on this site: a path, never another host.
func safeNext(next string) string {
	u, err := url.Parse(next)
	if err != nil || next == "" || u.IsAbs() || u.Host != "" || !strings.HasPrefix(next, "/") ||
		strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") || strings.HasPrefix(next, "/logg-") {
		return "/innboks"
	}
	return next
}

func retryAfter(d time.Duration) string {
	return strconv.Itoa(max(1, int(d.Seconds())+1))
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
