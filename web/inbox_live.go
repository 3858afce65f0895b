package web

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
)

// The live inbox: while an inbox is open, its script (static/inbox.js) asks
// /innboks/endringer every ten seconds (Server.PollEvery) whether any ticket changed since the
// page was made, and only then fetches the page again and swaps the list and the counts. The
// question is answered from a counter in memory (Server.Changes), never from the database, so
// fifty open inboxes cost next to nothing while nothing happens. Without JavaScript the page
// has an «Oppdater» link.

// pollEvery is how often an open inbox asks whether anything changed.
func (s *Server) pollEvery() time.Duration {
	if s.PollEvery > 0 {
		return s.PollEvery
	}
	return 10 * time.Second
}

// changeToken names the state of the tickets: the counter, and when this server started, so
// a restart (the counter begins at 0 again) is never taken for "nothing changed".
func (s *Server) changeToken() string {
	return strconv.FormatInt(s.started.UnixNano(), 36) + "-" + strconv.FormatUint(s.Changes(), 36)
}

// pollURL is the address an inbox made now polls.
func (s *Server) pollURL() string { return "/innboks/endringer?siden=" + s.changeToken() }

// handleInboxChanges answers 204 when nothing changed since the token in siden, else 200
// with the new token.
func (s *Server) handleInboxChanges(c *fiber.Ctx) error {
	now := s.changeToken()
	if c.Query("siden") == now {
		return c.SendStatus(fiber.StatusNoContent)
	}
	return c.JSON(fiber.Map{"siden": now, "poll": "/innboks/endringer?siden=" + now})
}
