package web

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"
)

// handleHealth answers 200 when storage answers, for load balancers and monitoring.
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
