package web

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"
)

// handleHealth answers 200 when storage answers: the process lives (for a restart watchdog).
func (s *Server) handleHealth(c *fiber.Ctx) error {
	ctx, cancel := context.WithTimeout(c.UserContext(), 2*time.Second)
	defer cancel()
	if s.Health != nil {
		if err := s.Health(ctx); err != nil {
			s.Logger.Error("health check failed", "err", err)
			return c.Status(fiber.StatusServiceUnavailable).JSON(fiber.Map{"status": "error"})
		}
	}
	return c.JSON(fiber.Map{"status": "ok"})
}

// Check is one part of /readyz: whether it works, and when not, why (a Norwegian sentence for
// whoever is alarmed) and since when.
type Check struct {
	OK     bool   `json:"ok"`
	Off    bool   `json:"off,omitempty"` // not configured: not checked
	Reason string `json:"reason,omitempty"`
	// Cause is what stands in the way as the mail loop or the database said it (a server's
	// name and its error), and Detail the figures behind the verdict (last read, oldest due
	// age). Both are shown only to a caller with an API token: they name internal servers.
	Cause  string         `json:"cause,omitempty"`
	Detail map[string]any `json:"detail,omitempty"`
}

// Readiness is the verdict of every check, by name (database, mailbox, outbox).
type Readiness map[string]Check

// Ready reports whether every check is OK.
func (r Readiness) Ready() bool {
	for _, c := range r {
		if !c.OK {
			return false
		}
	}
	return true
}

// handleReady answers /readyz: 200 when the database, the mailbox and the outbox work, else 503
// with the reason of each that does not, as JSON, for monitoring to alarm on; with an API token
// (any role) also the cause and the figures. Without Readiness (tests) it is /healthz.
func (s *Server) handleReady(c *fiber.Ctx) error {
	if s.Readiness == nil {
		return s.handleHealth(c)
	}
	ctx, cancel := context.WithTimeout(c.UserContext(), 5*time.Second)
	defer cancel()
	r := s.Readiness(ctx)
	if !s.hasToken(c) {
		public := make(Readiness, len(r))
		for name, check := range r {
			check.Cause, check.Detail = "", nil
			public[name] = check
		}
		r = public
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	status, code := "ok", fiber.StatusOK
	if !r.Ready() {
		status, code = "unavailable", fiber.StatusServiceUnavailable
	}
	return c.Status(code).JSON(fiber.Map{"status": status, "checks": r})
}
