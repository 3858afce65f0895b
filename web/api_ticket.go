package web

import (
	"fmt"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
	"github.com/ks-no/digihjelpen/web/report"
)

// apiTicket is the ticket as the JSON API shows it (see DESIGN.md); the shape is stable.
type apiTicket struct {
	Ref             string                `json:"ref"`
	Subject         string                `json:"subject"`
	Status          ticket.Status         `json:"status"`
	Agency          string                `json:"agency"`
	Priority        string                `json:"priority"`
	Channel         string                `json:"channel"`
	Assignee        string                `json:"assignee"`
	Tags            []string              `json:"tags"`
	CreatedAt       time.Time             `json:"created_at"`
	UpdatedAt       time.Time             `json:"updated_at"`
	FirstResponseAt *time.Time            `json:"first_response_at"`
	ResolvedAt      *time.Time            `json:"resolved_at"`
	Requester       apiRequester          `json:"requester"`
	Routing         apiRouting            `json:"routing"`
	Referrals       []report.ReferralJSON `json:"referrals"`
	MessageCount    int                   `json:"message_count"`
	Messages        []apiMessage          `json:"messages,omitempty"`
	// MergedInto is the reference of the ticket this one was merged into (left out when none).
	MergedInto string `json:"merged_into,omitempty"`
}

type apiRequester struct {
	Name         string            `json:"name"`
	Email        string            `json:"email"`
	Municipality report.NumberJSON `json:"municipality"`
	County       report.NumberJSON `json:"county"`
}

// apiRouting is which rule chose the agency and why.
type apiRouting struct {
	Rule   string `json:"rule"`
	Reason string `json:"reason"`
}

type apiMessage struct {
	ID          int             `json:"id"`
	Direction   string          `json:"direction"`
	From        string          `json:"from"`
	To          []string        `json:"to"`
	Subject     string          `json:"subject"`
	Text        string          `json:"text"`
	CreatedAt   time.Time       `json:"created_at"`
	MessageID   string          `json:"message_id"`
	Attachments []apiAttachment `json:"attachments"`
}

type apiAttachment struct {
	Name string `json:"name"`
	Type string `json:"type"`
	Size int64  `json:"size"`
	URL  string `json:"url"`
}

func toAPITicket(t *ticket.Ticket) apiTicket {
	a := apiTicket{
		Ref: t.Ref.String(), Subject: t.Subject, Status: t.Status, Agency: t.Agency, Priority: string(t.Priority),
		Channel: string(t.Channel), Assignee: t.Assignee, Tags: t.Tags, CreatedAt: t.CreatedAt.UTC(), UpdatedAt: t.UpdatedAt.UTC(),
		FirstResponseAt: report.TimeJSON(t.FirstResponseAt), ResolvedAt: report.TimeJSON(t.ResolvedAt),
		Requester: apiRequester{Name: t.Requester.Name, Email: t.Requester.Email,
			Municipality: report.NumberJSON(t.Requester.Municipality), County: report.NumberJSON(t.Requester.County)},
		Routing: apiRouting{Rule: t.Routing.Rule, Reason: t.Routing.Reason}, Referrals: report.ReferralsJSON(t), MessageCount: t.MessageCount,
	}
	if a.Tags == nil {
		a.Tags = []string{}
	}
	return a
}

func toAPIMessage(t *ticket.Ticket, m *ticket.Message) apiMessage {
	a := apiMessage{ID: m.Seq, Direction: string(m.Direction), From: m.From, To: m.To, Subject: m.Subject, Text: m.Text,
		CreatedAt: m.CreatedAt.UTC(), MessageID: m.MessageID, Attachments: []apiAttachment{}}
	if a.To == nil {
		a.To = []string{}
	}
	for i, at := range m.Attachments {
		a.Attachments = append(a.Attachments, apiAttachment{Name: at.Name, Type: at.Type, Size: at.Size,
			URL: "/saker/" + t.Ref.String() + "/vedlegg/" + strconv.Itoa(m.Seq) + "/" + strconv.Itoa(i)})
	}
	return a
}

func (s *Server) handleAPITickets(c *fiber.Ctx) error {
	f := ticket.TicketFilter{Cursor: c.Query("cursor"), Limit: c.QueryInt("limit", ticket.DefaultLimit)}
	if v := c.Query("status"); v != "" {
		st := ticket.Status(v)
		f.Status = &st
	}
	if v := c.Query("agency"); v != "" {
		f.Agency = &v
	}
	if v := c.Query("municipality"); v != "" {
		f.Municipality = &v
	}
	// q is a full-text search; like every query string it is never logged (no access log, and
	// errors log the route pattern only), since it may hold a name or an address.
	f.Query = c.Query("q")
	if f.Query != "" {
		f.Sort = ticket.SortCreatedDesc
	}
	list, _, err := s.Tickets.FindTickets(c.UserContext(), f)
	if err != nil {
		return err
	}
	if len(list) > 0 { // the list carries names and addresses: one line for the page read
		if err := s.Events.AddEvent(c.UserContext(), 0, ticket.EventOpened, fmt.Sprintf("saksliste via API: %d saker", len(list))); err != nil {
			return err
		}
	}
	out := struct {
		Tickets []apiTicket `json:"tickets"`
		Next    string      `json:"next"`
	}{Tickets: []apiTicket{}}
	for _, t := range list {
		a, err := s.apiTicketOf(c.UserContext(), t)
		if err != nil {
			return err
		}
		out.Tickets = append(out.Tickets, a)
	}
	if len(list) > 0 && len(list) == min(max(f.Limit, 1), ticket.MaxLimit) {
		out.Next = list[len(list)-1].Cursor(f.Sort)
	}
	return c.JSON(out)
}

func (s *Server) handleAPITicket(c *fiber.Ctx) error {
	t, err := s.findTicketParam(c)
	if err != nil {
		return err
	}
	if err := s.Events.AddEvent(c.UserContext(), t.ID, ticket.EventOpened, "API"); err != nil {
		return err
	}
	msgs, err := s.Tickets.FindMessages(c.UserContext(), t.ID)
	if err != nil {
		return err
	}
	a, err := s.apiTicketOf(c.UserContext(), t)
	if err != nil {
		return err
	}
	a.Messages = []apiMessage{}
	for _, m := range msgs {
		a.Messages = append(a.Messages, toAPIMessage(t, m))
	}
	return c.JSON(a)
}
