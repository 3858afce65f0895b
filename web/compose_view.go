package web

import (
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
)

// composeView is what templates/_compose.html shows on the ticket page: the reply, note and
// referral forms and the ticket's outgoing mail.
type composeView struct {
	composeState
	Ref      string
	CSRF     string
	Version  uint64
	Seen     uint64 // the newest event when the page was made; a conflict lists those after it
	CanReply bool
	Statuses []statusOption
	Agencies []agencyOption
	Canned   []cannedOption
	// Articles are the handbook's links the reply can insert (issue 16).
	Articles []cannedOption
	Mails    []mailLine
	Parked   int
	IsAdmin  bool
	Sent     string // what the last form did, after its redirect
}

type statusOption struct {
	Value, Label string
	Checked      bool
}

type agencyOption struct {
	Key, Name string
	Disabled  bool
	Selected  bool
}

type cannedOption struct {
	ID          uint64
	Title, Text string
	// Key is the option's value when it is not a canned response's ID (a handbook article).
	Key string
}

// mailLine is one outgoing mail as staff see it. Returned is parked mail a bounce reported.
type mailLine struct {
	*ticket.OutboundMail
	Kind, State            string
	Parked, Sent, Returned bool
}

func newMailLine(m *ticket.OutboundMail) mailLine {
	parked := m.State == ticket.OutboxParked
	return mailLine{OutboundMail: m, Kind: m.Kind.Label(), State: m.StateLabel(),
		Parked: parked, Sent: m.State == ticket.OutboxSent, Returned: parked && !m.ReturnedAt.IsZero()}
}

var sentNotices = map[string]string{
	"svar":       "Svaret er lagret og lagt i utboksen. Det sendes nå.",
	"notat":      "Notatet er lagret. Det er bare synlig for saksbehandlere.",
	"henvisning": "Saken er henvist, og e-posten til etaten er lagt i utboksen.",
	"igjen":      "E-posten er lagt i køen igjen og sendes nå.",
}

// composeView builds the forms for t, with what a refused form brought back; nil when the
// server has no outgoing mail (Composer unset).
func (s *Server) composeView(c *fiber.Ctx, t *ticket.Ticket) (*composeView, error) {
	if s.Composer == nil || s.Outbox == nil || s.Templates == nil {
		return nil, nil
	}
	ctx := c.UserContext()
	v := &composeView{Ref: t.Ref.String(), CSRF: s.csrfToken(c), Version: t.Version, IsAdmin: userFrom(c).IsAdmin(),
		CanReply: t.CanReply(), Sent: sentNotices[c.Query("sendt")]}
	if st, ok := c.Locals(localCompose).(*composeState); ok {
		v.composeState = *st
	}
	if v.ReplyStatus == "" {
		v.ReplyStatus = string(ticket.DefaultReplyStatus(t.Status))
	}
	for _, st := range ticket.ReplyStatuses {
		v.Statuses = append(v.Statuses, statusOption{Value: string(st), Label: ticket.ReplyStatusLabel(st), Checked: string(st) == v.ReplyStatus})
	}
	for _, a := range s.Agencies {
		if a.Key != ticket.AgencyKS {
			v.Agencies = append(v.Agencies, agencyOption{Key: a.Key, Name: a.Name, Disabled: a.Email == "", Selected: a.Key == v.Agency})
		}
	}
	events, err := s.Events.FindEvents(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	if n := len(events); n > 0 {
		v.Seen = events[n-1].ID
	}
	canned, err := s.Templates.FindCannedResponses(ctx)
	if err != nil {
		return nil, err
	}
	values := s.Composer.Values(t, userFrom(c).Name)
	for _, r := range canned {
		v.Canned = append(v.Canned, cannedOption{ID: r.ID, Title: r.Title, Text: values.Render(r.Text)})
	}
	mails, err := s.Outbox.FindOutbox(ctx, ticket.OutboxFilter{TicketID: &t.ID, Limit: ticket.MaxLimit})
	if err != nil {
		return nil, err
	}
	for _, m := range mails {
		v.Mails = append(v.Mails, newMailLine(m))
		if m.State == ticket.OutboxParked {
			v.Parked++
		}
	}
	return v, nil
}

// FieldError returns the error of a field of this form, for the template.
func (v *composeView) FieldError(form, field string) string {
	if v.Form != form {
		return ""
	}
	return v.Errors.ByField(field)
}

// errorView is a field error as the templates show it: beside the field with the id it names.
type errorView struct{ ID, Text string }

// changeLine is one change someone else made while a form was open.
type changeLine struct {
	At          time.Time
	Actor, Text string
}

// changesSince describes the events after the one with id seen.
func changesSince(events []*ticket.Event, seen uint64) []changeLine {
	var lines []changeLine
	for _, e := range events {
		if e.ID > seen {
			lines = append(lines, changeLine{At: e.At, Actor: e.Actor, Text: describeChange(e)})
		}
	}
	return lines
}

var changeLabels = map[ticket.EventKind]string{
	ticket.EventStatus: "Status endret", ticket.EventAssigned: "Saksbehandler endret", ticket.EventAgency: "Etat endret",
	ticket.EventPriority: "Prioritet endret", ticket.EventMessage: "Ny melding fra", ticket.EventReplied: "Svar sendt til",
	ticket.EventNote: "Notat skrevet", ticket.EventReferred: "Henvist til", ticket.EventAnswered: "Svar fra etat",
	ticket.EventReopened: "Gjenåpnet", ticket.EventSubject: "Emne endret", ticket.EventTags: "Stikkord endret",
}

func describeChange(e *ticket.Event) string {
	label, ok := changeLabels[e.Kind]
	if !ok {
		label = string(e.Kind)
	}
	switch {
	case e.From != "" && e.To != "":
		return fmt.Sprintf("%s: %s → %s", label, e.From, e.To)
	case e.To != "":
		return label + " " + e.To
	}
	return label
}
