package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
)

const (
	csrfCookie = "dh_csrf"
	csrfField  = "csrf"
	csrfHeader = "X-CSRF-Token"
)

// csrf protects every form with a signed double-submit token: a random cookie, and in the form
// the HMAC of that cookie under the server secret. A forged cross-site form cannot read the
// cookie, so it cannot make the token. Safe methods pass; the bearer-token API has no cookies
// and is exempt.
func (s *Server) csrf(c *fiber.Ctx) error {
	if isAPI(c) {
		return c.Next()
	}
	seed := c.Cookies(csrfCookie)
	if len(seed) < 20 {
		seed = randomToken(24)
		s.setCookie(c, csrfCookie, seed, 0)
	}
	c.Locals(csrfCookie, seed)
	switch c.Method() {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
		return c.Next()
	}
	got := c.FormValue(csrfField)
	if got == "" {
		got = c.Get(csrfHeader)
	}
	if !hmac.Equal([]byte(got), []byte(s.signCSRF(seed))) {
		return ticket.Errorf(ticket.EFORBIDDEN, "Skjemaet er utløpt eller kom fra et annet nettsted. Gå tilbake, last siden på nytt og prøv igjen.")
	}
	return c.Next()
}

// csrfToken returns the token for forms on this page.
func (s *Server) csrfToken(c *fiber.Ctx) string {
	seed, _ := c.Locals(csrfCookie).(string)
	if seed == "" {
		return ""
	}
	return s.signCSRF(seed)
}

func (s *Server) signCSRF(seed string) string {
	mac := hmac.New(sha256.New, s.Secret)
	mac.Write([]byte("csrf:" + seed))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// setCookie sets an HttpOnly, SameSite=Lax cookie for the whole site, Secure under https.
// maxAge 0 makes a browser-session cookie; a negative one removes the cookie (an expiry in
// the past: fasthttp writes no Max-Age that is not positive).
func (s *Server) setCookie(c *fiber.Ctx, name, value string, maxAge time.Duration) {
	cookie := &fiber.Cookie{
		Name: name, Value: value, Path: "/", HTTPOnly: true, Secure: s.secure, SameSite: fiber.CookieSameSiteLaxMode,
		MaxAge: int(maxAge.Seconds()),
	}
	if maxAge < 0 {
		cookie.MaxAge, cookie.Expires = 0, time.Unix(0, 0)
	}
	c.Cookie(cookie)
}

func randomToken(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand failed: " + err.Error()) // the OS has no randomness; nothing is safe
	}
	return base64.RawURLEncoding.EncodeToString(b)
}
