package web

import "github.com/gofiber/fiber/v2"

// registerMailRoutes adds everything of outgoing mail: the API for replies, notes, referrals
// and ticket changes, the forms on the ticket page, the outbox page and the admin page of the
// acknowledgement and canned responses. They need Composer, Outbox and Templates; a server
// without them (some tests) has none of these routes.
func (s *Server) registerMailRoutes(api fiber.Router) {
	if s.Composer == nil || s.Outbox == nil || s.Templates == nil {
		return
	}
	s.registerAPIReplyRoutes(api)
	s.registerComposeRoutes()
	s.registerOutboxRoutes()
	s.registerCannedRoutes()
}
