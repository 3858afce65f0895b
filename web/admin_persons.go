package web

import (
	"context"
	"io"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
	"github.com/ks-no/digihjelpen/web/personexport"
)

// personErased is what the page after an erasure shows.
type personErased struct {
	Email   string
	Erasure ticket.Erasure
}

func (s *Server) handlePersons(c *fiber.Ctx) error {
	return s.renderAdmin(c, "admin_persons", "personer", pageData{Title: "Innsyn og sletting"})
}

// renderPersonsError shows the form again with what went wrong: a field error beside the
// address, or a sentence (nothing stored about it).
func (s *Server) renderPersonsError(c *fiber.Ctx, email string, err error) error {
	d := pageData{Title: "Innsyn og sletting", Form: map[string]string{"epost": email}}
	switch ticket.ErrorCode(err) {
	case ticket.EINVALID:
		c.Status(fiber.StatusBadRequest)
		d.Errors = ticket.FieldErrorsOf(err)
	case ticket.ENOTFOUND, ticket.ECONFLICT:
		c.Status(statusOf[ticket.ErrorCode(err)])
		d.Message = ticket.ErrorMessage(err)
	default:
		return err
	}
	return s.renderAdmin(c, "admin_persons", "personer", d)
}

// handlePersonExport collects everything stored about the address (written to the audit log
// as it is read) and streams it as a zip.
func (s *Server) handlePersonExport(c *fiber.Ctx) error {
	email := strings.TrimSpace(c.FormValue("epost"))
	d, err := s.Persons.FindPerson(c.UserContext(), email)
	if err != nil {
		return s.renderPersonsError(c, email, err)
	}
	return s.streamPerson(c, d)
}

// streamPerson sends the zip of d (web/personexport).
func (s *Server) streamPerson(c *fiber.Ctx, d *ticket.PersonData) error {
	c.Set(fiber.HeaderContentType, "application/zip")
	c.Set(fiber.HeaderContentDisposition, contentDisposition(personexport.FileName(d.Email, d.CollectedAt)))
	files := s.Tickets
	return s.streamBody(c, "person export", func(ctx context.Context, w io.Writer) error {
		return personexport.Write(ctx, w, d, files)
	})
}

// handlePersonEraseAsk asks before an erasure, which cannot be undone.
func (s *Server) handlePersonEraseAsk(c *fiber.Ctx) error {
	email := strings.TrimSpace(c.FormValue("epost"))
	addr, err := ticket.NormalizeEmail(email)
	if err != nil {
		return s.renderPersonsError(c, email, ticket.FieldError("epost", "«%s» er ikke en gyldig e-postadresse.", email))
	}
	return s.renderAdmin(c, "admin_person_erase", "personer", pageData{Title: "Slette personopplysninger", Data: addr})
}

// handlePersonErase erases, and shows what it did.
func (s *Server) handlePersonErase(c *fiber.Ctx) error {
	email := strings.TrimSpace(c.FormValue("epost"))
	er, err := s.Persons.ErasePerson(c.UserContext(), email)
	if err != nil {
		return s.renderPersonsError(c, email, err)
	}
	s.Logger.Info("person erased", "tickets", er.Tickets, "scrubbed", er.Scrubbed, "other", er.Other, "remaining", er.Remaining)
	addr, _ := ticket.NormalizeEmail(email)
	return s.renderAdmin(c, "admin_person_erased", "personer", pageData{Title: "Personopplysninger slettet",
		Data: personErased{Email: addr, Erasure: er}})
}
