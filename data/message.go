package data

import (
	"bytes"
	"context"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"

	"github.com/ks-no/digihjelpen/ticket"
)

// AppendMessage adds m to a ticket with the changes in opts, in one transaction.
func (s *TicketService) AppendMessage(ctx context.Context, ticketID uint64, m *ticket.Message, opts ticket.AppendOptions) (*ticket.Ticket, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	actor := ticket.ActorFromContext(ctx).Name
	var t *ticket.Ticket
	err := s.db.update(ctx, func(tx *Tx) (err error) {
		t, err = tx.appendToTicket(ticketID, m, opts, actor)
		return err
	})
	return t, err
}

func (tx *Tx) appendToTicket(ticketID uint64, m *ticket.Message, opts ticket.AppendOptions, actor string) (*ticket.Ticket, error) {
	t, err := tx.findTicket(ticketID)
	if err != nil {
		return nil, err
	}
	if t.ChangedSince(opts.IfVersion) {
		return nil, ticket.Errorf(ticket.ECONFLICT, "Saken er endret siden du åpnet den. Se gjennom endringene; teksten din er tatt vare på.")
	}
	if m.MessageID != "" && tx.Bucket(idxMessageID).Get([]byte(m.MessageID)) != nil {
		return nil, ticket.Errorf(ticket.ECONFLICT, "Meldingen %s er allerede lagret.", m.MessageID)
	}
	old := *t
	ch := changes{tx: tx, id: t.ID, actor: actor}
	if err := tx.storeMessage(t, m, tx.now); err != nil {
		return nil, err
	}
	if err := tx.applyMessageEffects(t, m, opts, &ch); err != nil {
		return nil, err
	}
	if err := tx.putTicket(&old, t); err != nil {
		return nil, err
	}
	if err := ch.write(); err != nil {
		return nil, err
	}
	if opts.DraftOf != "" {
		if err := tx.deleteDraft(t.ID, opts.DraftOf); err != nil {
			return nil, err
		}
	}
	return t, tx.enqueueMails(t, opts.Out)
}

// applyMessageEffects changes t for what the new message means: a first response, a reopen on
// the requester's reply, a referral sent or answered, a status the agent chose.
func (tx *Tx) applyMessageEffects(t *ticket.Ticket, m *ticket.Message, opts ticket.AppendOptions, ch *changes) error {
	switch m.Direction {
	case ticket.DirectionOut:
		if t.FirstResponseAt.IsZero() {
			t.FirstResponseAt = tx.now
		}
		if opts.Referral == nil { // a referral is recorded as one (EventReferred), not as a reply
			t.LinkArticles(m.Text) // a referral's link answers nobody
			ch.add(ticket.EventReplied, "", firstOf(m.To), fmt.Sprintf("melding %d", m.Seq))
		}
	case ticket.DirectionNote:
		ch.add(ticket.EventNote, "", "", fmt.Sprintf("melding %d", m.Seq))
	case ticket.DirectionIn:
		// an automatic mail (out-of-office) says so in From, so it notifies nobody
		ch.add(ticket.EventMessage, string(m.Auto), m.From, fmt.Sprintf("melding %d", m.Seq))
		if to, ok := ticket.ReopenOnReply(t.Status); ok && m.Auto == "" && t.IsParticipant(m.From) && opts.Status == nil {
			// A reply to a resolved ticket reopens it (and counts as a reopen in the statistics);
			// a reply to a waiting ticket just puts the ball back with KS.
			from, kind := t.Status, ticket.EventStatus
			if !from.Active() {
				kind = ticket.EventReopened
			}
			tx.setStatus(t, to)
			ch.add(kind, string(from), string(to), m.From)
		}
	}
	addParticipants(t, opts.Participants)
	if opts.AnsweredBy != "" {
		// A copy, so the caller's old version keeps the referral as it was: the open-referral
		// index entry of the old version must be the one that is deleted.
		t.Referrals = slices.Clone(t.Referrals)
		for i := range t.Referrals {
			r := &t.Referrals[i]
			if r.Agency == opts.AnsweredBy && r.Status == ticket.ReferralSent {
				r.Status, r.AnsweredAt = ticket.ReferralAnswered, tx.now
				ch.add(ticket.EventAnswered, "", r.Agency, fmt.Sprintf("melding %d", m.Seq))
			}
		}
		clearOverdueTag(t, ch)
	}
	if opts.Referral != nil {
		r := *opts.Referral
		r.SentAt, r.Status, r.MessageID = tx.now, ticket.ReferralSent, m.MessageID
		t.Referrals = append(t.Referrals, r)
		ch.add(ticket.EventReferred, firstOf(m.To), r.Agency, r.Note)
		for _, to := range m.To { // the agency's answer from this address threads in by reference
			if !t.IsParticipant(to) {
				t.Participants = append(t.Participants, strings.ToLower(to))
			}
		}
		if opts.Status == nil && t.Status != ticket.StatusReferred {
			st := ticket.StatusReferred
			opts.Status = &st
		}
	}
	for _, out := range opts.Out {
		if out.Kind == ticket.MailNotice {
			ch.add(ticket.EventNotice, "", firstOf(out.To), fmt.Sprintf("melding %d", m.Seq))
		}
	}
	if opts.Status != nil && *opts.Status != t.Status {
		if err := t.CheckStatusChange(*opts.Status); err != nil {
			return err
		}
		from := t.Status
		tx.setStatus(t, *opts.Status)
		ch.add(ticket.EventStatus, string(from), string(t.Status), "")
	}
	if opts.Assignee != nil && !strings.EqualFold(*opts.Assignee, t.Assignee) {
		from := t.Assignee
		t.Assignee = strings.ToLower(*opts.Assignee)
		ch.add(ticket.EventAssigned, from, t.Assignee, "")
	}
	return nil
}

func firstOf(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

// FindMessages returns the thread of a ticket, oldest first.
func (s *TicketService) FindMessages(ctx context.Context, ticketID uint64) ([]*ticket.Message, error) {
	var list []*ticket.Message
	err := s.db.view(ctx, func(tx *Tx) (err error) {
		list, err = tx.findMessages(ticketID)
		return err
	})
	return list, err
}

func (tx *Tx) findMessages(ticketID uint64) ([]*ticket.Message, error) {
	records, err := tx.messageRecords(ticketID)
	if err != nil {
		return nil, err
	}
	list := make([]*ticket.Message, 0, len(records))
	for i := range records {
		list = append(list, records[i].message())
	}
	return list, nil
}

// messageRecords reads the stored thread of a ticket, oldest first: for the pages, and for the
// merge, the deletion and the anonymisation, which rewrite it.
func (tx *Tx) messageRecords(ticketID uint64) ([]messageRecord, error) {
	var list []messageRecord
	prefix := u64(ticketID)
	c := tx.Bucket(bucketMessages).Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		var r messageRecord
		if err := decode(v, &r); err != nil {
			return nil, fmt.Errorf("message %x: %w", k, err)
		}
		list = append(list, r)
	}
	return list, nil
}

// FindAttachment returns attachment n of a message with its bytes.
func (s *TicketService) FindAttachment(ctx context.Context, ticketID uint64, seq, n int) (*ticket.Attachment, error) {
	var a *ticket.Attachment
	err := s.db.view(ctx, func(tx *Tx) error {
		v := tx.Bucket(bucketMessages).Get(msgKey(ticketID, seq))
		if v == nil {
			return notFound("meldingen")
		}
		var r messageRecord
		if err := decode(v, &r); err != nil {
			return err
		}
		m := r.message()
		if n < 0 || n >= len(m.Attachments) {
			return notFound("vedlegget")
		}
		a = &m.Attachments[n]
		sum, err := hex.DecodeString(a.SHA256)
		if err != nil {
			return fmt.Errorf("attachment hash %q: %w", a.SHA256, err)
		}
		if a.Data, err = tx.blob(sum); err != nil {
			return fmt.Errorf("attachment %s of %d/%d: %w", a.SHA256, ticketID, seq, err)
		}
		if a.Data == nil && a.Size > 0 {
			return fmt.Errorf("attachment %s of %d/%d: bytes missing", a.SHA256, ticketID, seq)
		}
		return nil
	})
	return a, err
}

// FindRawMessage returns the stored source of a message.
func (s *TicketService) FindRawMessage(ctx context.Context, ticketID uint64, seq int) ([]byte, error) {
	var raw []byte
	err := s.db.view(ctx, func(tx *Tx) error {
		var err error
		if raw, err = tx.rawSource(msgKey(ticketID, seq)); err != nil {
			return err
		}
		if raw == nil {
			return notFound("kildeteksten til meldingen")
		}
		return nil
	})
	return raw, err
}
