package web

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
)

// apiChange is what the API answers to a new reply, note or referral: the ticket as it is now
// and the message that was added.
type apiChange struct {
	Ticket  apiTicket  `json:"ticket"`
	Message apiMessage `json:"message"`
}

// parseJSON reads the request body into v, with a Norwegian error for bad JSON.
func parseJSON(c *fiber.Ctx, v any) error {
	if !strings.HasPrefix(c.Get(fiber.HeaderContentType), fiber.MIMEApplicationJSON) {
		return ticket.Errorf(ticket.EINVALID, "Send JSON (Content-Type: application/json).")
	}
	dec := json.NewDecoder(bytes.NewReader(c.Body()))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return ticket.Errorf(ticket.EINVALID, "Ugyldig JSON: %s.", strings.TrimPrefix(err.Error(), "json: "))
	}
	return nil
}

// apiTicketChange reads the JSON body into in, runs do on the ticket of the route, and answers
// with status, the ticket as it is now and the message do added.
func (s *Server) apiTicketChange(c *fiber.Ctx, in any, status int, do func(context.Context, *ticket.Ticket) (*ticket.Ticket, *ticket.Message, error)) error {
	if err := parseJSON(c, in); err != nil {
		return err
	}
	t, err := s.findTicketParam(c)
	if err != nil {
		return err
	}
	t, m, err := do(c.UserContext(), t)
	if err != nil {
		return err
	}
	return c.Status(status).JSON(apiChange{Ticket: toAPITicket(t), Message: toAPIMessage(t, m)})
}

func (s *Server) handleAPIReply(c *fiber.Ctx) error {
	var in struct {
		Text   string         `json:"text"`
		Status *ticket.Status `json:"status"`
	}
	return s.apiTicketChange(c, &in, fiber.StatusAccepted, func(ctx context.Context, t *ticket.Ticket) (*ticket.Ticket, *ticket.Message, error) {
		return s.reply(ctx, t, replyInput{Text: in.Text, Status: in.Status})
	})
}

func (s *Server) handleAPINote(c *fiber.Ctx) error {
	var in struct {
		Text string `json:"text"`
	}
	return s.apiTicketChange(c, &in, fiber.StatusCreated, func(ctx context.Context, t *ticket.Ticket) (*ticket.Ticket, *ticket.Message, error) {
		return s.note(ctx, t, in.Text)
	})
}

func (s *Server) handleAPIReferral(c *fiber.Ctx) error {
	var in struct {
		Agency string `json:"agency"`
		Note   string `json:"note"`
		Notify bool   `json:"notify_requester"`
	}
	return s.apiTicketChange(c, &in, fiber.StatusAccepted, func(ctx context.Context, t *ticket.Ticket) (*ticket.Ticket, *ticket.Message, error) {
		return s.refer(ctx, t, referralInput{Agency: in.Agency, Note: in.Note, Notify: in.Notify})
	})
}

// handleAPIPatchTicket changes status, assignee, agency or priority; fields left out stay.
func (s *Server) handleAPIPatchTicket(c *fiber.Ctx) error {
	var in struct {
		Status   *ticket.Status   `json:"status"`
		Assignee *string          `json:"assignee"`
		Agency   *string          `json:"agency"`
		Priority *ticket.Priority `json:"priority"`
	}
	if err := parseJSON(c, &in); err != nil {
		return err
	}
	t, err := s.findTicketParam(c)
	if err != nil {
		return err
	}
	upd := ticket.TicketUpdate{Status: in.Status, Priority: in.Priority}
	if in.Agency != nil {
		if _, ok := s.Agencies.Find(*in.Agency); !ok {
			return ticket.FieldError("agency", "Ukjent etat «%s».", *in.Agency)
		}
		upd.Agency = in.Agency
		upd.Routing = &ticket.Routing{Rule: ticket.RuleManual, Reason: "endret av " + ticket.ActorFromContext(c.UserContext()).Name}
	}
	if in.Assignee != nil {
		if err := s.checkAssignee(c, *in.Assignee); err != nil {
			return err
		}
		upd.Assignee = in.Assignee
	}
	if in.Priority != nil && !in.Priority.Valid() {
		return ticket.FieldError("priority", "Ukjent prioritet «%s».", *in.Priority)
	}
	t, err = s.Tickets.UpdateTicket(c.UserContext(), t.ID, upd)
	if err != nil {
		return err
	}
	a, err := s.apiTicketOf(c.UserContext(), t)
	if err != nil {
		return err
	}
	return c.JSON(a)
}

// checkAssignee accepts "" (nobody) or an active staff member.
func (s *Server) checkAssignee(c *fiber.Ctx, email string) error {
	if email == "" {
		return nil
	}
	u, err := s.Users.FindUserByEmail(c.UserContext(), email)
	if ticket.ErrorCode(err) == ticket.ENOTFOUND || (err == nil && u.Disabled) {
		return ticket.FieldError("assignee", "«%s» er ingen aktiv saksbehandler.", email)
	}
	return err
}
