package web

import (
	"net/url"

	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
)

// personParam reads the address of /api/v1/persons/{email}, percent-encoded or not.
func personParam(c *fiber.Ctx) string {
	v := c.Params("email")
	if s, err := url.PathUnescape(v); err == nil {
		return s
	}
	return v
}

// handleAPIPerson answers GET /api/v1/persons/{email}: the zip of everything stored about the
// address (404 when nothing is), written to the audit log.
func (s *Server) handleAPIPerson(c *fiber.Ctx) error {
	d, err := s.Persons.FindPerson(c.UserContext(), personParam(c))
	if err != nil {
		return err
	}
	return s.streamPerson(c, d)
}

// erasureJSON is the answer of DELETE /api/v1/persons/{email}.
type erasureJSON struct {
	Email     string `json:"email"`
	Tickets   int    `json:"tickets"`
	Scrubbed  int    `json:"scrubbed"`
	Other     int    `json:"other"`
	Remaining int    `json:"remaining"`
}

// handleAPIPersonErase answers DELETE /api/v1/persons/{email}: everything stored about the
// address is anonymised (statistics kept); 404 when nothing is stored.
func (s *Server) handleAPIPersonErase(c *fiber.Ctx) error {
	email := personParam(c)
	er, err := s.Persons.ErasePerson(c.UserContext(), email)
	if err != nil {
		return err
	}
	addr, _ := ticket.NormalizeEmail(email)
	return c.JSON(erasureJSON{Email: addr, Tickets: er.Tickets, Scrubbed: er.Scrubbed, Other: er.Other, Remaining: er.Remaining})
}
