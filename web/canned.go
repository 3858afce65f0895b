package web

import (
	"errors"
	"sort"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
)

// The admin page of the texts staff and requesters get: the acknowledgement of new tickets (in
// versions) and the canned responses (svarmaler) staff insert into replies.

func (s *Server) registerCannedRoutes() {
	r := s.app.Group("/admin/svarmaler", s.requireUser, s.requireAdmin)
	r.Get("/", s.handleCanned)
	r.Post("/kvittering", s.handleAckSave)
	r.Get("/ny", s.handleCannedNew)
	r.Post("/", s.handleCannedCreate)
	r.Get("/:id", s.handleCannedEdit)
	r.Post("/:id", s.handleCannedUpdate)
	r.Post("/:id/slett", s.handleCannedDelete)
}

type placeholderHelp struct{ Name, About string }

func placeholderHelps() []placeholderHelp {
	var list []placeholderHelp
	for k, about := range ticket.Placeholders {
		list = append(list, placeholderHelp{Name: "{" + k + "}", About: about})
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Name < list[j].Name })
	return list
}

type cannedPage struct {
	Ack          *ticket.AckTemplate
	AckText      string
	AckError     string
	Preview      string
	Versions     []*ticket.AckTemplate
	Canned       []*ticket.CannedResponse
	Placeholders []placeholderHelp
}

var cannedNotices = map[string]string{
	"kvittering": "Den nye kvitteringen er lagret og brukes fra nå av.",
	"lagret":     "Svarmalen er lagret.",
	"slettet":    "Svarmalen er slettet.",
}

func (s *Server) handleCanned(c *fiber.Ctx) error {
	return s.renderCanned(c, "", "", fiber.StatusOK)
}

// renderCanned shows the page; draft and problem come back with a refused acknowledgement.
func (s *Server) renderCanned(c *fiber.Ctx, draft, problem string, status int) error {
	ctx := c.UserContext()
	ack, err := s.Templates.FindAckTemplate(ctx)
	if err != nil {
		return err
	}
	d := cannedPage{Ack: ack, AckText: ack.Text, AckError: problem, Placeholders: placeholderHelps()}
	if draft != "" {
		d.AckText = draft
	}
	if d.Versions, err = s.Templates.FindAckTemplates(ctx); err != nil {
		return err
	}
	if d.Canned, err = s.Templates.FindCannedResponses(ctx); err != nil {
		return err
	}
	d.Preview = s.Composer.Values(sampleTicket(s.Now()), "").Render(ack.Text)
	c.Status(status)
	return s.renderAdmin(c, "canned", "svarmaler", pageData{Title: "Svarmaler og kvittering", Data: d, Notice: cannedNotices[c.Query("ok")]})
}

// sampleTicket is what the preview of the acknowledgement shows.
func sampleTicket(now time.Time) *ticket.Ticket {
	return &ticket.Ticket{Ref: ticket.Ref{Year: now.In(ticket.Oslo).Year(), Number: 42}, Subject: "Kurs i BankID for seniorer", StatusToken: "eksempel",
		Requester: ticket.Requester{Name: "Kari Nordmann", Municipality: ticket.Municipality{Name: "Lillehammer"}}}
}

func (s *Server) handleAckSave(c *fiber.Ctx) error {
	text := c.FormValue("text")
	version, _ := strconv.Atoi(c.FormValue("version"))
	saved, err := s.Templates.SaveAckTemplate(c.UserContext(), text, version)
	var e *ticket.Error
	if errors.As(err, &e) && (e.Code == ticket.EINVALID || e.Code == ticket.ECONFLICT) {
		status := fiber.StatusUnprocessableEntity
		if e.Code == ticket.ECONFLICT {
			status = fiber.StatusConflict
		}
		return s.renderCanned(c, text, e.Message, status)
	} else if err != nil {
		return err
	}
	s.Composer.SetAckTemplate(saved)
	s.Logger.Info("acknowledgement template saved", "version", saved.Version)
	return c.Redirect("/admin/svarmaler?ok=kvittering", fiber.StatusSeeOther)
}
