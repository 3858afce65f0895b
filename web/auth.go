package web

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
	"github.com/ks-no/digihjelpen/web/sso"
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
	end := sess.CreatedAt.Add(s.sessionLimit(u))
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
	return s.enrolFirst(c, u)
}

// sessionLimit is how long after sign-in a session of u ends however busy it is: a day, and
// for an account of the provider at most sso.max_session, so the groups are read again.
func (s *Server) sessionLimit(u *ticket.User) time.Duration {
	if u.IsSSO() {
		return min(sessionLifetime, s.SSO.maxSession())
	}
	return sessionLifetime
}

func userFrom(c *fiber.Ctx) *ticket.User {
	u, _ := c.Locals(localUser).(*ticket.User)
	return u
}

// loginPage is what the login page offers: the provider's button, the password form, or both.
type loginPage struct {
	SSOLabel, SSOURL string
	// Password shows the password form: always while password_login is on; with it off only
	// at /logg-inn?lokal=1, for local administrators.
	Password bool
	Local    bool
	// Forgot offers «Glemt passord?».
	Forgot bool
}

func (s *Server) loginData(c *fiber.Ctx, form map[string]string) pageData {
	local := c.Query("lokal") == "1" || c.FormValue("lokal") == "1"
	p := loginPage{Password: !s.PasswordLoginOff || local, Local: s.PasswordLoginOff && local, Forgot: s.Accounts != nil}
	if s.sso != nil {
		p.SSOLabel, p.SSOURL = s.SSO.label(), "/logg-inn/sso?neste="+url.QueryEscape(form["neste"])
	}
	return pageData{Title: "Logg inn", Form: form, Data: p, Notice: loginNotices[c.Query("ok")]}
}

// loginNotices are the confirmations shown on the login page after a redirect.
var loginNotices = map[string]string{
	"passord": "Passordet er endret. Logg inn med det nye passordet.",
}

func (s *Server) handleLoginForm(c *fiber.Ctx) error {
	if u := userFrom(c); u != nil {
		return c.Redirect(cmp.Or(localPath(c.Query("neste")), home(u)), fiber.StatusSeeOther)
	}
	return s.render(c, "login", s.loginData(c, map[string]string{"neste": localPath(c.Query("neste"))}))
}

// handleLogin checks a password. With two-factor on, it does not sign in: the browser gets a
// sealed note that the password was right and goes on to the code (login_code.go).
func (s *Server) handleLogin(c *fiber.Ctx) error {
	email := strings.ToLower(strings.TrimSpace(c.FormValue("email")))
	form := map[string]string{"email": email, "neste": localPath(c.FormValue("neste"))}
	addrKey := s.clientKey(c)
	if blocked, err := s.loginBlocked(c, form, addrKey, accountKey(addrKey, email)); blocked {
		return err
	}
	// Every address counts alike, known or not, so the limits tell nobody which accounts exist.
	// An account of the provider counts here too, yet is never kept out: its sign-in at the
	// provider asks no limit of ours.
	u, err := s.Users.FindUserByEmail(c.UserContext(), email)
	if err != nil || u.Disabled || u.IsSSO() {
		CheckPassword(dummyHash, c.FormValue("password")) // as long as for a real account
		actor := ""
		if err == nil {
			actor = u.Email
		}
		return s.loginFailed(c, form, actor, addrKey, accountKey(addrKey, email))
	}
	if !CheckPassword(u.PasswordHash, c.FormValue("password")) {
		return s.loginFailed(c, form, u.Email, addrKey, accountKey(addrKey, email))
	}
	if s.PasswordLoginOff && !u.IsAdmin() {
		s.auditLogin(c, u.Email, "avvist: innlogging med passord er slått av")
		c.Status(fiber.StatusForbidden)
		d := s.loginData(c, form)
		d.Message = "Innlogging med passord er slått av. Bruk «" + s.SSO.label() + "»."
		return s.render(c, "login", d)
	}
	s.logins.Reset(accountKey(addrKey, email))
	if u.TwoFactor && s.Accounts != nil {
		return s.askForCode(c, u, form["neste"])
	}
	return s.completeLogin(c, u, "innlogget med passord", form["neste"], nil)
}

// loginBlocked answers 429 with Retry-After while a limit applies to one of keys.
func (s *Server) loginBlocked(c *fiber.Ctx, form map[string]string, keys ...string) (bool, error) {
	for _, k := range keys {
		if blocked, wait := s.logins.Blocked(k); blocked {
			c.Set(fiber.HeaderRetryAfter, retryAfter(wait))
			c.Status(fiber.StatusTooManyRequests)
			d := s.loginData(c, form)
			d.Message = "For mange mislykkede forsøk. Vent " + waitText(wait) + " og prøv igjen."
			return true, s.render(c, "login", d)
		}
	}
	return false, nil
}

// loginFailed counts a failure against the address and, for a local account, against that
// account from this address; actor is the account ("" for an address we do not know).
func (s *Server) loginFailed(c *fiber.Ctx, form map[string]string, actor, addrKey string, acctKey ...string) error {
	s.logins.Fail(addrKey, addressLimit)
	for _, k := range acctKey {
		s.logins.Fail(k, accountLimit)
	}
	s.Logger.Info("login failed", "ip", s.ipTag(c))
	if actor == "" {
		s.auditLogin(c, "ukjent", "mislykket innlogging med passord: ukjent e-postadresse")
	} else {
		s.auditLogin(c, actor, "mislykket innlogging med passord")
	}
	c.Status(fiber.StatusUnauthorized)
	d := s.loginData(c, form)
	d.Message = "Feil e-postadresse eller passord."
	return s.render(c, "login", d)
}

func (s *Server) startSession(c *fiber.Ctx, u *ticket.User, from *sso.Person) error {
	if err := s.newSession(c, u, from); err != nil {
		return err
	}
	now := s.Now()
	_, err := s.Users.UpdateUser(c.UserContext(), u.ID, ticket.UserUpdate{LastLoginAt: &now})
	return err
}

// newSession stores a new session for u and gives this browser its cookie; from is who the
// provider signed in (nil for a password): its ID token for logging out there, and its session
// for the provider's front-channel logout (sso_logout.go).
func (s *Server) newSession(c *fiber.Ctx, u *ticket.User, from *sso.Person) error {
	secret := randomToken(32)
	sess := &ticket.Session{ID: hashSecret(secret), UserID: u.ID, ExpiresAt: s.Now().Add(min(sessionIdle, s.sessionLimit(u)))}
	if from != nil {
		sess.IDToken, sess.Issuer, sess.ProviderSID = from.IDToken, from.Issuer, from.SessionID
	}
	if err := s.Sessions.CreateSession(c.UserContext(), sess); err != nil {
		return err
	}
	s.setCookie(c, sessionCookie, secret, 0)
	return nil
}

// handleLogout ends this browser's session. A session begun at the provider continues there,
// at its end_session_endpoint, which sends the browser back to the login page.
func (s *Server) handleLogout(c *fiber.Ctx) error {
	var idToken string
	if secret := c.Cookies(sessionCookie); secret != "" && s.sso != nil {
		if sess, err := s.Sessions.FindSession(c.UserContext(), hashSecret(secret)); err == nil {
			idToken = sess.IDToken
		}
	}
	if err := s.endSession(c); err != nil {
		return err
	}
	s.setCookie(c, sessionCookie, "", -time.Second)
	if idToken != "" {
		if to, ok := s.sso.LogoutURL(c.UserContext(), idToken, strings.TrimSuffix(s.BaseURL, "/")+"/logg-inn"); ok {
			return c.Redirect(to, fiber.StatusSeeOther)
		}
	}
	return c.Redirect("/logg-inn", fiber.StatusSeeOther)
}

// endSession deletes the session of this browser's cookie, if it has one, on the server.
func (s *Server) endSession(c *fiber.Ctx) error {
	if secret := c.Cookies(sessionCookie); secret != "" {
		return s.Sessions.DeleteSession(c.UserContext(), hashSecret(secret))
	}
	return nil
}

// safeNext keeps a redirect on this site: a path, never another host; the inbox otherwise.
func safeNext(next string) string { return cmp.Or(localPath(next), "/innboks") }

// localPath returns next when it is a path on this site to return to after login, and ""
// when it is not (another host, //host, /\\host, the login pages), so the caller picks a home.
func localPath(next string) string {
	u, err := url.Parse(next)
	if err != nil || next == "" || u.IsAbs() || u.Host != "" || !strings.HasPrefix(next, "/") ||
		strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") || strings.HasPrefix(next, "/logg-") {
		return ""
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
