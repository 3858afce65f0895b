package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
)

func (s *Server) registerTicketRoutes(r fiber.Router) {
	r.Get("/:ref", s.handleTicketView)
}

type ticketPage struct {
	Ticket   *ticket.Ticket
	Messages []*ticket.Message
	Events   []*ticket.Event
	Agency   string
	Compose  *composeView // reply, note and referral forms, and the ticket's outgoing mail
}

// findTicketParam loads the ticket named by the :ref route parameter.
func (s *Server) findTicketParam(c *fiber.Ctx) (*ticket.Ticket, error) {
	ref, err := ticket.ParseRef(c.Params("ref"))
	if err != nil {
		return nil, ticket.Errorf(ticket.ENOTFOUND, "Fant ikke saken «%s».", c.Params("ref"))
	}
	return s.Tickets.FindTicketByRef(c.UserContext(), ref)
}

func (s *Server) handleTicketView(c *fiber.Ctx) error {
	t, err := s.findTicketParam(c)
	if err != nil {
		return err
	}
	msgs, err := s.Tickets.FindMessages(c.UserContext(), t.ID)
	if err != nil {
		return err
	}
	events, err := s.Events.FindEvents(c.UserContext(), t.ID)
	if err != nil {
		return err
	}
	compose, err := s.composeView(c, t)
	if err != nil {
		return err
	}
	d := ticketPage{Ticket: t, Messages: msgs, Events: events, Agency: s.Agencies.Name(t.Agency), Compose: compose}
	return s.render(c, "ticket", pageData{Title: t.Ref.String() + " " + t.Subject, Nav: "innboks", Data: d})
}
