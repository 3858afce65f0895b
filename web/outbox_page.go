package web

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
)

// The outbox page (/utboks): what waits to be sent, what was parked and why, and what went
// out lately. Agents see it; admins can send parked mail again.

// outboxTab is one list of the outbox page.
type outboxTab struct {
	Key, Label string
	State      ticket.OutboxState
	Count      int
}

type outboxPage struct {
	Tabs    []outboxTab
	Current outboxTab
	Mails   []outboxRow
	IsAdmin bool
	Notice  string
}

// outboxRow is a mail with the reference of its ticket.
type outboxRow struct {
	mailLine
	Ref string
}

func (s *Server) handleOutbox(c *fiber.Ctx) error {
	ctx := c.UserContext()
	queued, parked, err := s.Outbox.CountOutbox(ctx)
	if err != nil {
		return err
	}
	tabs := []outboxTab{{"stoppet", "Kom ikke fram", ticket.OutboxParked, parked}, {"ko", "I kø", ticket.OutboxQueued, queued},
		{"sendt", "Sendt", ticket.OutboxSent, -1}}
	key := c.Query("vis", "ko")
	if c.Query("vis") == "" && parked > 0 {
		key = "stoppet"
	}
	d := outboxPage{Tabs: tabs, IsAdmin: userFrom(c).IsAdmin(), Notice: sentNotice(c.Query("sendt"), s.mailOff())}
	for _, t := range tabs {
		if t.Key == key {
			d.Current = t
		}
	}
	if d.Current.Key == "" {
		return ticket.Errorf(ticket.ENOTFOUND, "Ukjent visning «%s».", key)
	}
	filter := ticket.OutboxFilter{State: &d.Current.State, Limit: ticket.MaxLimit}
	if d.Current.State == ticket.OutboxSent {
		filter.Limit = ticket.DefaultLimit
	}
	mails, err := s.Outbox.FindOutbox(ctx, filter)
	if err != nil {
		return err
	}
	if d.Mails, err = s.outboxRows(c, mails); err != nil {
		return err
	}
	return s.render(c, "outbox", pageData{Title: "Utboks", Nav: "utboks", Data: d, MailProblems: s.mailProblems()})
}

// outboxRows adds the reference of each mail's ticket (looked up once per ticket).
func (s *Server) outboxRows(c *fiber.Ctx, mails []*ticket.OutboundMail) ([]outboxRow, error) {
	refs := map[uint64]string{}
	rows := make([]outboxRow, 0, len(mails))
	for _, m := range mails {
		if _, ok := refs[m.TicketID]; !ok && m.TicketID != 0 {
			t, err := s.Tickets.FindTicketByID(c.UserContext(), m.TicketID)
			if err != nil && ticket.ErrorCode(err) != ticket.ENOTFOUND {
				return nil, err
			}
			if err == nil {
				refs[m.TicketID] = t.Ref.String()
			}
		}
		rows = append(rows, outboxRow{mailLine: newMailLine(m), Ref: refs[m.TicketID]})
	}
	return rows, nil
}

func (s *Server) handleOutboxRetry(c *fiber.Ctx) error {
	id, err := strconv.ParseUint(c.Params("id"), 10, 64)
	if err != nil {
		return ticket.Errorf(ticket.ENOTFOUND, "Fant ikke e-posten.")
	}
	if _, err := s.Outbox.RetryMail(c.UserContext(), id); err != nil {
		return err
	}
	next := safeNext(c.FormValue("neste"))
	if c.FormValue("neste") == "" {
		next = "/utboks?vis=ko&sendt=igjen"
	}
	return c.Redirect(next, fiber.StatusSeeOther)
}
