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

// draftFor is a draft written by whoever acts in ctx, with their name and signature when they
// are staff (an API token acts under a name of its own, and gets neither), and that user.
func (s *Server) draftFor(ctx context.Context, text string) (compose.Draft, *ticket.User, error) {
	a := ticket.ActorFromContext(ctx)
	d := compose.Draft{Text: text, Author: a.Name}
	u, err := s.Users.FindUserByEmail(ctx, a.Name)
	switch {
	case ticket.ErrorCode(err) == ticket.ENOTFOUND:
		return d, nil, nil
	case err != nil:
		return d, nil, fmt.Errorf("author of a draft: %w", err)
	}
	d.AuthorName, d.Signature = u.Name, u.Signature
	return d, u, nil
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
	// Cc are checked extra recipients; they become participants, so their answers thread in.
	Cc []string
	// Attachments go with the reply (new ones with their bytes, a draft's by hash).
	Attachments []ticket.Attachment
	// AssignMe assigns the ticket to the one who answers; a ticket nobody has is assigned to
	// them anyway.
	AssignMe bool
	// FromDraft deletes the author's draft in the reply's transaction.
	FromDraft bool
}

// composeReply writes the reply of in to t without storing it: what reply sends, and what the
// preview shows.
func (s *Server) composeReply(ctx context.Context, t *ticket.Ticket, in replyInput) (*ticket.Message, *ticket.OutboundMail, *ticket.User, error) {
	thread, sent, err := s.threadOf(ctx, t)
	if err != nil {
		return nil, nil, nil, err
	}
	d, u, err := s.draftFor(ctx, in.Text)
	if err != nil {
		return nil, nil, nil, err
	}
	d.Cc, d.Attachments = in.Cc, in.Attachments
	// a reply that resolves asks «Fikk du svar du kunne bruke?»; reply refuses a bad status
	if st, err := ticket.StatusAfterReply(t.Status, in.Status); err == nil && st != nil {
		d.AskFeedback = s.Overview.Feedback != nil && *st == ticket.StatusResolved
	}
	m, out, err := s.Composer.Reply(t, thread, sent, d)
	return m, out, u, err
}

// reply stores a reply on t and queues its mail, in one transaction.
func (s *Server) reply(ctx context.Context, t *ticket.Ticket, in replyInput) (*ticket.Ticket, *ticket.Message, error) {
	status, err := ticket.StatusAfterReply(t.Status, in.Status)
	if err != nil {
		return nil, nil, err
	}
	m, out, u, err := s.composeReply(ctx, t, in)
	if err != nil {
		return nil, nil, err
	}
	opts := ticket.AppendOptions{Out: []*ticket.OutboundMail{out}, Status: status, IfVersion: in.IfVersion, Participants: out.Cc}
	if u != nil && (in.AssignMe || t.Assignee == "") {
		opts.Assignee = &u.Email
	}
	if in.FromDraft {
		opts.DraftOf = ticket.ActorFromContext(ctx).Name
	}
	t, err = s.Tickets.AppendMessage(ctx, t.ID, m, opts)
	return t, m, err
}

// note stores an internal note on t; it is never sent.
func (s *Server) note(ctx context.Context, t *ticket.Ticket, text string) (*ticket.Ticket, *ticket.Message, error) {
	d, _, err := s.draftFor(ctx, text)
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
	as, err := s.agencies(ctx)
	if err != nil {
		return nil, nil, err
	}
	a, ok := as.Find(strings.TrimSpace(in.Agency))
	if !ok {
		return nil, nil, ticket.FieldError("agency", "Velg en etat fra listen.")
	}
	thread, sent, err := s.threadOf(ctx, t)
	if err != nil {
		return nil, nil, err
	}
	d, _, err := s.draftFor(ctx, "")
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
