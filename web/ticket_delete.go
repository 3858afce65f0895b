package web

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
)

// TicketDeleter deletes tickets for good; data.TicketService implements it.
type TicketDeleter interface {
	DeleteTicket(ctx context.Context, id uint64) error
}

// Deleting a ticket is for administrators only, behind a confirmation page.

func (s *Server) handleTicketDeleteForm(c *fiber.Ctx) error {
	t, err := s.findTicketParam(c)
	if err != nil {
		return err
	}
	return s.render(c, "ticket_delete", pageData{Title: "Slette saken " + t.Ref.String() + "?", Nav: "innboks", Data: t})
}

func (s *Server) handleTicketDelete(c *fiber.Ctx) error {
	t, err := s.findTicketParam(c)
	if err != nil {
		return err
	}
	if c.FormValue("bekreft") != "ja" {
		return ticket.FieldError("bekreft", "Bekreft at saken skal slettes.")
	}
	if err := s.Deleter.DeleteTicket(c.UserContext(), t.ID); err != nil {
		return err
	}
	s.Logger.Info("ticket deleted", "ref", t.Ref.String())
	return c.Redirect("/saker/"+t.Ref.String()+"/slettet", fiber.StatusSeeOther)
}

// handleTicketDeleted confirms a deletion; the reference is all that is left to show.
func (s *Server) handleTicketDeleted(c *fiber.Ctx) error {
	ref, err := ticket.ParseRef(c.Params("ref"))
	if err != nil {
		return ticket.Errorf(ticket.ENOTFOUND, "Fant ikke saken «%s».", c.Params("ref"))
	}
	return s.render(c, "ticket_deleted", pageData{Title: "Saken er slettet", Nav: "innboks", Data: ref})
}
