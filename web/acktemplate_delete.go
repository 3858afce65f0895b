package web

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
)

// ackDeletePage asks before an acknowledgement template goes, naming the rules in force that
// pick it (their tickets get the default acknowledgement after).
type ackDeletePage struct {
	Template *ticket.AckTemplate
	Rules    []ticket.TemplateRef
}

func (s *Server) renderAckDelete(c *fiber.Ctx, a *ticket.AckTemplate, message string) error {
	d := ackDeletePage{Template: a, Rules: refsTo(s.templateRefs(), a.Name)}
	return s.renderAdmin(c, "acktemplate_delete", "svarmaler", pageData{Title: "Slette kvitteringsmalen «" + a.Title + "»?", Data: d, Message: message})
}

func (s *Server) handleAckDeleteConfirm(c *fiber.Ctx) error {
	a, err := s.ackParam(c)
	if err != nil {
		return err
	}
	if a.IsDefault() {
		return ticket.ErrDeleteDefaultAck
	}
	return s.renderAckDelete(c, a, "")
}

func (s *Server) handleAckDelete(c *fiber.Ctx) error {
	a, err := s.ackParam(c)
	if err != nil {
		return err
	}
	version, _ := strconv.Atoi(c.FormValue("version"))
	gone, err := s.Templates.DeleteAckTemplate(c.UserContext(), a.Name, version)
	if ticket.ErrorCode(err) == ticket.ECONFLICT {
		c.Status(fiber.StatusConflict)
		return s.renderAckDelete(c, a, ticket.ErrorMessage(err))
	} else if err != nil {
		return err
	}
	s.Composer.SetAckTemplate(gone)
	s.Logger.Info("acknowledgement template deleted", "template", gone.Name, "version", gone.Version, "user_id", userFrom(c).ID)
	return c.Redirect("/admin/svarmaler?ok=kvittering-slettet#kvitteringer", fiber.StatusSeeOther)
}
