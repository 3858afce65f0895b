package web

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
)

// cannedEditPage is the form of one canned response.
type cannedEditPage struct {
	Canned       *ticket.CannedResponse
	New          bool
	Errors       ticket.FieldErrors
	Placeholders []placeholderHelp
	// Articles are the handbook's links to copy into the text (issue 16).
	Articles []cannedOption
}

func (s *Server) renderCannedEdit(c *fiber.Ctx, r *ticket.CannedResponse, errs ticket.FieldErrors) error {
	title := "Endre svarmal"
	if r.ID == 0 {
		title = "Ny svarmal"
	}
	d := cannedEditPage{Canned: r, New: r.ID == 0, Errors: errs, Placeholders: placeholderHelps(), Articles: s.articleOptions(c, nil)}
	return s.renderAdmin(c, "canned_edit", "svarmaler", pageData{Title: title, Data: d, Errors: errs})
}

func (s *Server) cannedParam(c *fiber.Ctx) (*ticket.CannedResponse, error) {
	id, err := strconv.ParseUint(c.Params("id"), 10, 64)
	if err != nil {
		return nil, ticket.Errorf(ticket.ENOTFOUND, "Fant ikke svarmalen.")
	}
	return s.Templates.FindCannedResponse(c.UserContext(), id)
}

func (s *Server) handleCannedNew(c *fiber.Ctx) error {
	return s.renderCannedEdit(c, &ticket.CannedResponse{}, nil)
}

func (s *Server) handleCannedEdit(c *fiber.Ctx) error {
	r, err := s.cannedParam(c)
	if err != nil {
		return err
	}
	return s.renderCannedEdit(c, r, nil)
}

func (s *Server) handleCannedCreate(c *fiber.Ctx) error {
	return s.saveCanned(c, &ticket.CannedResponse{})
}

func (s *Server) handleCannedUpdate(c *fiber.Ctx) error {
	r, err := s.cannedParam(c)
	if err != nil {
		return err
	}
	return s.saveCanned(c, r)
}

// saveCanned stores r with the posted title and text, or shows the form with the errors.
func (s *Server) saveCanned(c *fiber.Ctx, r *ticket.CannedResponse) error {
	r.Title, r.Text = c.FormValue("title"), c.FormValue("text")
	err := s.Templates.SaveCannedResponse(c.UserContext(), r)
	if fe := ticket.FieldErrorsOf(err); fe != nil {
		c.Status(fiber.StatusUnprocessableEntity)
		return s.renderCannedEdit(c, r, fe)
	} else if err != nil {
		return err
	}
	return c.Redirect("/admin/svarmaler?ok=lagret#svarmaler", fiber.StatusSeeOther)
}

func (s *Server) handleCannedDelete(c *fiber.Ctx) error {
	r, err := s.cannedParam(c)
	if err != nil {
		return err
	}
	if err := s.Templates.DeleteCannedResponse(c.UserContext(), r.ID); err != nil {
		return err
	}
	return c.Redirect("/admin/svarmaler?ok=slettet#svarmaler", fiber.StatusSeeOther)
}
