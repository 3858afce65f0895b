package web

import "github.com/gofiber/fiber/v2"

// contentSecurityPolicy allows nothing inline and nothing from elsewhere: every script and style
// is a file we serve.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

func (s *Server) securityHeaders(c *fiber.Ctx) error {
	csp := s.csp
	if csp == "" {
		csp = contentSecurityPolicy
	}
	c.Set("Content-Security-Policy", csp)
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set("X-Frame-Options", "DENY")
	c.Set("Referrer-Policy", "same-origin")
	c.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
	c.Set("Cross-Origin-Opener-Policy", "same-origin")
	if s.secure {
		c.Set("Strict-Transport-Security", "max-age=31536000")
	}
	return c.Next()
}
