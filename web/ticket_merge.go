package web

import (
	"context"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
)

// Merging a ticket into another: a box on the ticket page takes the other reference, a page
// shows both tickets and what will happen, and its POST merges and goes to the target. Staff
// who may change a ticket (both roles) may merge it.

// mergePage is the confirmation: the ticket merged away and the one it joins.
type mergePage struct {
	Source, Target *ticket.Ticket
	Messages       int // messages that will be copied
	OpenReferrals  int
}

// handleMergeAsk checks the reference typed on the ticket page and asks for a confirmation.
// A bad reference shows the ticket page again with the message beside the box.
func (s *Server) handleMergeAsk(c *fiber.Ctx) error {
	src, err := s.findTicketParam(c)
	if err != nil {
		return err
	}
	in := strings.TrimSpace(c.FormValue(ticket.MergeField))
	dst, err := s.mergeTarget(c.UserContext(), src, in)
	if fe := ticket.FieldErrorsOf(err); fe != nil {
		c.Status(fiber.StatusBadRequest)
		return s.renderTicket(c, src, ticketView{errs: mergeErrors(src, fe), form: map[string]string{ticket.MergeField: in}})
	} else if err != nil {
		return err
	}
	d := mergePage{Source: src, Target: dst, Messages: src.MessageCount}
	for _, r := range src.Referrals {
		if r.Status == ticket.ReferralSent {
			d.OpenReferrals++
		}
	}
	return s.render(c, "ticket_merge", pageData{Title: "Slå sammen " + src.Ref.String() + " med " + dst.Ref.String() + "?", Nav: "innboks", Data: d})
}

// mergeErrors are the refusals of a merge as the ticket page shows them: beside the box, or at
// the top of a ticket that was merged already and so has no box.
func mergeErrors(src *ticket.Ticket, fe ticket.FieldErrors) ticket.FieldErrors {
	if !src.Merged() {
		return fe
	}
	return ticket.FieldErrors{ticket.FieldError("", "%s", ticket.ErrorMessage(fe))}
}

// mergeTarget reads the reference typed for a merge and finds its ticket, with the refusals the
// merge itself would give on the merge field.
func (s *Server) mergeTarget(ctx context.Context, src *ticket.Ticket, in string) (*ticket.Ticket, error) {
	if in == "" {
		return nil, ticket.FieldError(ticket.MergeField, "Skriv referansen til saken denne skal slås sammen med, for eksempel %s.", src.Ref)
	}
	ref, err := ticket.ParseRef(in)
	if err != nil {
		return nil, ticket.FieldError(ticket.MergeField, "«%s» er ikke en saksreferanse. Skriv den som DH-%d-0042.", in, src.Ref.Year)
	}
	return s.Tickets.FindMergeTarget(ctx, src.ID, ref)
}

// handleMerge merges after the confirmation and goes to the target with a notice. A refusal
// (the source changed, or something about either ticket changed since) shows the ticket page.
func (s *Server) handleMerge(c *fiber.Ctx) error {
	src, err := s.findTicketParam(c)
	if err != nil {
		return err
	}
	in := strings.TrimSpace(c.FormValue(ticket.MergeField))
	ref, err := ticket.ParseRef(in)
	if err != nil {
		c.Status(fiber.StatusBadRequest)
		return s.renderTicket(c, src, ticketView{errs: mergeErrors(src, ticket.FieldErrors{ticket.FieldError(ticket.MergeField, "«%s» er ikke en saksreferanse.", in)}), form: map[string]string{ticket.MergeField: in}})
	}
	dst, err := s.Tickets.MergeTickets(c.UserContext(), ticket.MergeRequest{SourceID: src.ID, Into: ref, IfVersion: formVersion(c, "versjon")})
	switch ticket.ErrorCode(err) {
	case "":
		s.Logger.Info("tickets merged", "ref", src.Ref.String(), "into", dst.Ref.String())
		return c.Redirect("/saker/"+dst.Ref.String()+"?ok=sammenslatt", fiber.StatusSeeOther)
	case ticket.EINVALID:
		c.Status(fiber.StatusBadRequest)
		return s.renderTicket(c, src, ticketView{errs: mergeErrors(src, ticket.FieldErrorsOf(err)), form: map[string]string{ticket.MergeField: in}})
	case ticket.ECONFLICT:
		if src, err = s.findTicketParam(c); err != nil {
			return err
		}
		c.Status(fiber.StatusConflict)
		return s.renderTicket(c, src, ticketView{errs: ticket.FieldErrors{ticket.FieldError("", "%s", ticket.ErrorMessage(err))}})
	}
	return err
}

// handleAPIMerge is POST /api/v1/tickets/{ref}/merge {"into":"DH-2026-0042"}: the ticket of the
// route is merged into the one named, which the answer shows as it is after the merge.
func (s *Server) handleAPIMerge(c *fiber.Ctx) error {
	var in struct {
		Into string `json:"into"`
	}
	if err := parseJSON(c, &in); err != nil {
		return err
	}
	src, err := s.findTicketParam(c)
	if err != nil {
		return err
	}
	ref, err := ticket.ParseRef(strings.TrimSpace(in.Into))
	if err != nil {
		return ticket.FieldError("into", "«%s» er ikke en saksreferanse (DH-%d-0042).", in.Into, src.Ref.Year)
	}
	dst, err := s.Tickets.MergeTickets(c.UserContext(), ticket.MergeRequest{SourceID: src.ID, Into: ref})
	if err != nil {
		return err
	}
	s.Logger.Info("tickets merged", "ref", src.Ref.String(), "into", dst.Ref.String())
	a, err := s.apiTicketOf(c.UserContext(), dst)
	if err != nil {
		return err
	}
	return c.JSON(a)
}

// apiTicketOf is toAPITicket with the reference of the ticket t was merged into.
func (s *Server) apiTicketOf(ctx context.Context, t *ticket.Ticket) (apiTicket, error) {
	a := toAPITicket(t)
	into, err := s.mergedInto(ctx, t)
	if into != nil {
		a.MergedInto = into.Ref.String()
	}
	return a, err
}

// mergedInto is the ticket t was merged into (nil when it was not, or when that ticket was
// deleted since).
func (s *Server) mergedInto(ctx context.Context, t *ticket.Ticket) (*ticket.Ticket, error) {
	if !t.Merged() {
		return nil, nil
	}
	dst, err := s.Tickets.FindTicketByID(ctx, t.MergedInto)
	if ticket.ErrorCode(err) == ticket.ENOTFOUND {
		return nil, nil
	}
	return dst, err
}

// mergedFrom are the tickets merged into t, for its page (those deleted since are left out).
func (s *Server) mergedFrom(ctx context.Context, t *ticket.Ticket) ([]*ticket.Ticket, error) {
	var out []*ticket.Ticket
	for _, id := range t.MergedFrom {
		src, err := s.Tickets.FindTicketByID(ctx, id)
		if ticket.ErrorCode(err) == ticket.ENOTFOUND {
			continue
		} else if err != nil {
			return nil, err
		}
		out = append(out, src)
	}
	return out, nil
}
