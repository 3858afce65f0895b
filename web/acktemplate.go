package web

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
)

// The acknowledgement templates: create, edit (with a preview), delete. Every change goes to
// the composer at once, so the next new ticket gets it without a restart.

// ackEditPage is the form of one acknowledgement template, new or saved.
type ackEditPage struct {
	// Saved is the version in storage (nil for a new one); Form is what the form shows.
	Saved *ticket.AckTemplate
	Form  *ticket.AckTemplate
	New   bool
	// Preview is Form's text rendered for a sample ticket; Draft says it is not saved yet.
	Preview      string
	Draft        bool
	Errors       ticket.FieldErrors
	Versions     []*ticket.AckTemplate
	Rules        []ticket.TemplateRef
	Placeholders []placeholderHelp
}

func (s *Server) renderAckEdit(c *fiber.Ctx, d *ackEditPage, message string) error {
	title := "Ny kvitteringsmal"
	if !d.New {
		title = "Kvitteringsmal: " + d.Saved.Title
	}
	d.Placeholders = placeholderHelps()
	d.Preview = s.Composer.Values(sampleTicket(s.Now()), "").Render(d.Form.Text)
	d.Rules = refsTo(s.templateRefs(), d.Form.Name)
	return s.renderAdmin(c, "acktemplate_edit", "svarmaler", pageData{Title: title, Data: d, Errors: d.Errors, Message: message})
}

// ackParam returns the saved template the URL names.
func (s *Server) ackParam(c *fiber.Ctx) (*ticket.AckTemplate, error) {
	name := strings.Clone(c.Params("name"))
	if !ticket.ValidAckTemplateName(name) {
		return nil, ticket.Errorf(ticket.ENOTFOUND, "Fant ikke kvitteringsmalen.")
	}
	return s.Templates.FindAckTemplate(c.UserContext(), name)
}

func (s *Server) handleAckNew(c *fiber.Ctx) error {
	start := &ticket.AckTemplate{Text: ticket.DefaultAckText}
	return s.renderAckEdit(c, &ackEditPage{Form: start, New: true}, "")
}

func (s *Server) handleAckEdit(c *fiber.Ctx) error {
	a, err := s.ackParam(c)
	if err != nil {
		return err
	}
	d := &ackEditPage{Saved: a, Form: a}
	if d.Versions, err = s.Templates.FindAckTemplateVersions(c.UserContext(), a.Name); err != nil {
		return err
	}
	return s.renderAckEdit(c, d, "")
}

// ackForm reads the posted template; previewing asks to see it, not to save it. The values are
// copies: a saved template lives on in the composer, and fiber reuses its buffers.
func ackForm(c *fiber.Ctx, name string) (a *ticket.AckTemplate, previewing bool) {
	a = &ticket.AckTemplate{Name: strings.Clone(name), Title: strings.Clone(c.FormValue("title")), Text: strings.Clone(c.FormValue("text"))}
	a.Normalize()
	return a, c.FormValue("handling") == "forhandsvis"
}

func (s *Server) handleAckCreate(c *fiber.Ctx) error {
	a, previewing := ackForm(c, c.FormValue("name"))
	d := &ackEditPage{Form: a, New: true, Draft: true}
	if previewing {
		d.Errors = ticket.FieldErrorsOf(a.Validate())
		return s.renderAckEdit(c, d, "")
	}
	err := s.Templates.CreateAckTemplate(c.UserContext(), a)
	if d.Errors = ticket.FieldErrorsOf(err); d.Errors != nil {
		c.Status(fiber.StatusUnprocessableEntity)
		return s.renderAckEdit(c, d, "")
	} else if err != nil {
		return err
	}
	return s.ackSaved(c, a, "created")
}

func (s *Server) handleAckSave(c *fiber.Ctx) error {
	saved, err := s.ackParam(c)
	if err != nil {
		return err
	}
	a, previewing := ackForm(c, saved.Name)
	d := &ackEditPage{Saved: saved, Form: a, Draft: true}
	if d.Versions, err = s.Templates.FindAckTemplateVersions(c.UserContext(), saved.Name); err != nil {
		return err
	}
	if previewing {
		d.Errors = ticket.FieldErrorsOf(a.Validate())
		return s.renderAckEdit(c, d, "")
	}
	version, _ := strconv.Atoi(c.FormValue("version"))
	err = s.Templates.SaveAckTemplate(c.UserContext(), a, version)
	if d.Errors = ticket.FieldErrorsOf(err); d.Errors != nil {
		c.Status(fiber.StatusUnprocessableEntity)
		return s.renderAckEdit(c, d, "")
	} else if ticket.ErrorCode(err) == ticket.ECONFLICT {
		c.Status(fiber.StatusConflict)
		return s.renderAckEdit(c, d, ticket.ErrorMessage(err))
	} else if err != nil {
		return err
	}
	return s.ackSaved(c, a, "saved")
}

// ackSaved puts a saved version into use and goes back to the list.
func (s *Server) ackSaved(c *fiber.Ctx, a *ticket.AckTemplate, what string) error {
	s.Composer.SetAckTemplate(a)
	s.Logger.Info("acknowledgement template "+what, "template", a.Name, "version", a.Version, "user_id", userFrom(c).ID)
	return c.Redirect("/admin/svarmaler?ok=kvittering#kvitteringer", fiber.StatusSeeOther)
}

// Row is the template with the rules that pick it, for the "_ackrules" sentence.
func (d *ackEditPage) Row() ackRow { return ackRow{AckTemplate: d.Form, Rules: d.Rules} }

// ackHistoryText is the history line of ticket.EventAcknowledged: which template the
// requester's acknowledgement was made with, and why when it was not the one the rules chose.
func ackHistoryText(e *ticket.Event) string {
	if e.From == "" {
		return "Kvittering sendt til innsender med malen " + e.Detail + "."
	}
	return "Kvittering sendt til innsender med standardmalen " + e.Detail + ", fordi kvitteringsmalen «" + e.From + "» som rutingsregelen valgte, ikke finnes."
}
