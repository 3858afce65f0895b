package web

import (
	"context"
	"fmt"
	"strings"

	"github.com/ks-no/digihjelpen/ticket"
	"github.com/ks-no/digihjelpen/ticket/compose"
)

// The reply side of a ticket: one set of service methods, used by the JSON API and by the
// forms on the ticket page, so both check and record the same things. The rules themselves
// (which status a reply sets, who can get one) are ticket's (ticket/reply.go).

// draftFor is a draft written by whoever acts in ctx, with their name when they are staff (an
// API token acts under a name of its own).
func (s *Server) draftFor(ctx context.Context, text string) (compose.Draft, error) {
	a := ticket.ActorFromContext(ctx)
	d := compose.Draft{Text: text, Author: a.Name}
	u, err := s.Users.FindUserByEmail(ctx, a.Name)
	switch {
	case ticket.ErrorCode(err) == ticket.ENOTFOUND:
	case err != nil:
		return d, fmt.Errorf("author of a draft: %w", err)
	default:
		d.AuthorName = u.Name
	}
	return d, nil
}

// threadOf returns the thread of t and the mail already queued or sent for it, which the
// composer needs to thread a new mail.
func (s *Server) threadOf(ctx context.Context, t *ticket.Ticket) ([]*ticket.Message, []*ticket.OutboundMail, error) {
	thread, err := s.Tickets.FindMessages(ctx, t.ID)
	if err != nil {
		return nil, nil, err
	}
	sent, err := s.Outbox.FindOutbox(ctx, ticket.OutboxFilter{TicketID: &t.ID, Limit: ticket.MaxLimit})
	return thread, sent, err
}

// replyInput is a staff reply to the requester.
type replyInput struct {
	Text string
	// Status is what the ticket becomes; nil: waiting on the requester while the ticket is new
	// or open, else unchanged.
	Status *ticket.Status
	// IfVersion guards against sending into a ticket that changed since the page was opened.
	IfVersion *uint64
}

// reply stores a reply on t and queues its mail, in one transaction.
func (s *Server) reply(ctx context.Context, t *ticket.Ticket, in replyInput) (*ticket.Ticket, *ticket.Message, error) {
	status, err := ticket.StatusAfterReply(t.Status, in.Status)
	if err != nil {
		return nil, nil, err
	}
	thread, sent, err := s.threadOf(ctx, t)
	if err != nil {
		return nil, nil, err
	}
	d, err := s.draftFor(ctx, in.Text)
	d.AskFeedback = s.Overview.Feedback != nil && status != nil && *status == ticket.StatusResolved
	if err != nil {
		return nil, nil, err
	}
	m, out, err := s.Composer.Reply(t, thread, sent, d)
	if err != nil {
		return nil, nil, err
	}
	opts := ticket.AppendOptions{Out: []*ticket.OutboundMail{out}, Status: status, IfVersion: in.IfVersion}
	t, err = s.Tickets.AppendMessage(ctx, t.ID, m, opts)
	return t, m, err
}

// note stores an internal note on t; it is never sent.
func (s *Server) note(ctx context.Context, t *ticket.Ticket, text string) (*ticket.Ticket, *ticket.Message, error) {
	d, err := s.draftFor(ctx, text)
	if err != nil {
		return nil, nil, err
	}
	m, err := s.Composer.Note(d)
	if err != nil {
		return nil, nil, err
	}
	t, err = s.Tickets.AppendMessage(ctx, t.ID, m, ticket.AppendOptions{})
	return t, m, err
}

// referralInput is a referral of a ticket to an agency.
type referralInput struct {
	Agency string
	Note   string
	// Notify also tells the requester where the question went.
	Notify    bool
	IfVersion *uint64
}

// refer sends t to an agency's referral address, records the referral (the ticket becomes
// henvist) and, when asked, queues a notice to the requester, in one transaction.
func (s *Server) refer(ctx context.Context, t *ticket.Ticket, in referralInput) (*ticket.Ticket, *ticket.Message, error) {
	a, ok := s.Agencies.Find(strings.TrimSpace(in.Agency))
	if !ok {
		return nil, nil, ticket.FieldError("agency", "Velg en etat fra listen.")
	}
	thread, sent, err := s.threadOf(ctx, t)
	if err != nil {
		return nil, nil, err
	}
	d, err := s.draftFor(ctx, "")
	if err != nil {
		return nil, nil, err
	}
	m, out, ref, err := s.Composer.Referral(t, thread, a, in.Note, d)
	if err != nil {
		return nil, nil, err
	}
	outs := []*ticket.OutboundMail{out}
	if in.Notify {
		notice, err := s.Composer.ReferralNotice(t, thread, sent, a)
		if err != nil {
			return nil, nil, err
		}
		outs = append(outs, notice)
	}
	t, err = s.Tickets.AppendMessage(ctx, t.ID, m, ticket.AppendOptions{Out: outs, Referral: ref, IfVersion: in.IfVersion})
	return t, m, err
}
