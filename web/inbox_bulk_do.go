package web

import (
	"slices"

	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
)

// bulkPage is the confirmation of a bulk change, and its outcome.
type bulkPage struct {
	Request bulkRequest
	Hidden  [][2]string
	What    string
	Tickets []bulkTicket
	Merge   bool
	Result  *ticket.BulkResult
	Back    string
}

// bulkTicket is a chosen ticket on the confirmation page; Changed says it has changed since
// the inbox showed it (it will be left out).
type bulkTicket struct {
	*ticket.Ticket
	Changed bool
}

// handleBulkAsk shows what a bulk change will do, and to which tickets, for one confirmation.
func (s *Server) handleBulkAsk(c *fiber.Ctx) error {
	r, err := readBulkRequest(c)
	if err != nil {
		return s.refuseBulk(c, r, err)
	}
	if len(r.Items) == 0 {
		return s.refuseBulk(c, r, ticket.Errorf(ticket.EINVALID, "Du har ikke valgt noen saker. Kryss av for sakene i listen først."))
	}
	if len(r.Items) > maxBulk {
		return s.refuseBulk(c, r, ticket.Errorf(ticket.EINVALID, "Velg høyst %d saker om gangen.", maxBulk))
	}
	_, what, err := s.change(c, r)
	if err != nil {
		return s.refuseBulk(c, r, err)
	}
	p := bulkPage{Request: r, What: what, Merge: r.Action == bulkMerge, Back: r.Back}
	for _, it := range r.Items {
		t, err := s.Tickets.FindTicketByID(c.UserContext(), it.TicketID)
		if ticket.ErrorCode(err) == ticket.ENOTFOUND {
			continue
		} else if err != nil {
			return err
		}
		p.Tickets = append(p.Tickets, bulkTicket{Ticket: t, Changed: t.Version != it.Version})
	}
	if p.Merge && r.Into == 0 && len(p.Tickets) > 0 { // the oldest question by default
		oldest := slices.MinFunc(p.Tickets, func(a, b bulkTicket) int { return a.CreatedAt.Compare(b.CreatedAt) })
		p.Request.Into = oldest.ID
	}
	p.Hidden = p.Request.hidden()
	return s.render(c, "inbox_bulk", pageData{Title: "Endre valgte saker", Nav: "innboks", Data: p})
}

// refuseBulk shows why a bulk change cannot be asked for, with the way back.
func (s *Server) refuseBulk(c *fiber.Ctx, r bulkRequest, err error) error {
	if ticket.ErrorCode(err) != ticket.EINVALID {
		return err
	}
	c.Status(fiber.StatusBadRequest)
	return s.render(c, "inbox_bulk", pageData{Title: "Endre valgte saker", Nav: "innboks", Message: ticket.ErrorMessage(err),
		Data: bulkPage{Request: r, Back: r.Back}})
}

// handleBulkDo makes the confirmed change and shows what was done and what was left out.
func (s *Server) handleBulkDo(c *fiber.Ctx) error {
	r, err := readBulkRequest(c)
	if err != nil || len(r.Items) == 0 || len(r.Items) > maxBulk {
		if err == nil {
			err = ticket.Errorf(ticket.EINVALID, "Valget av saker kunne ikke leses. Gå tilbake til innboksen og velg på nytt.")
		}
		return s.refuseBulk(c, r, err)
	}
	ch, what, err := s.change(c, r)
	if err != nil {
		return s.refuseBulk(c, r, err)
	}
	var res ticket.BulkResult
	if r.Action == bulkMerge {
		res, err = s.bulkMerge(c, r)
	} else {
		res, err = s.Tickets.UpdateTickets(c.UserContext(), r.Items, ch)
	}
	if err != nil {
		return err
	}
	return s.render(c, "inbox_bulk_done", pageData{Title: "Endret", Nav: "innboks",
		Data: bulkPage{Request: r, What: what, Result: &res, Back: r.Back}})
}

// bulkMerge merges every chosen ticket but one into that one (r.Into), each in its own
// transaction with its own version check, as a merge from the ticket page.
func (s *Server) bulkMerge(c *fiber.Ctx, r bulkRequest) (ticket.BulkResult, error) {
	var res ticket.BulkResult
	if !slices.ContainsFunc(r.Items, func(it ticket.BulkItem) bool { return it.TicketID == r.Into }) {
		return res, ticket.Errorf(ticket.EINVALID, "Velg hvilken av de valgte sakene de andre skal slås sammen inn i.")
	}
	into, err := s.Tickets.FindTicketByID(c.UserContext(), r.Into)
	if err != nil {
		return res, err
	}
	for _, it := range r.Items {
		if it.TicketID == into.ID {
			continue
		}
		src, err := s.Tickets.FindTicketByID(c.UserContext(), it.TicketID)
		if ticket.ErrorCode(err) == ticket.ENOTFOUND {
			continue
		} else if err != nil {
			return res, err
		}
		version := it.Version
		_, err = s.Tickets.MergeTickets(c.UserContext(), ticket.MergeRequest{SourceID: it.TicketID, Into: into.Ref, IfVersion: &version})
		switch ticket.ErrorCode(err) {
		case "":
			src.MergedInto = into.ID
			res.Changed = append(res.Changed, src)
		case ticket.ECONFLICT:
			res.Refused = append(res.Refused, ticket.BulkRefusal{Ticket: src, Changed: true, Reason: "Endret av noen andre etter at du valgte den."})
		case ticket.EINVALID:
			res.Refused = append(res.Refused, ticket.BulkRefusal{Ticket: src, Reason: ticket.ErrorMessage(err)})
		default:
			return res, err
		}
	}
	return res, nil
}
