package data

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

// OutboxService implements ticket.OutboxService: the durable queue the sender drains.
type OutboxService struct {
	db *DB
}

var _ ticket.OutboxService = (*OutboxService)(nil)

// NewOutboxService returns the outbox of db.
func NewOutboxService(db *DB) *OutboxService { return &OutboxService{db: db} }

// FindDueMail returns queued mail whose next try has come, soonest first, with attachment bytes.
func (s *OutboxService) FindDueMail(ctx context.Context, limit int) ([]*ticket.OutboundMail, error) {
	var list []*ticket.OutboundMail
	err := s.db.view(ctx, func(tx *Tx) error {
		now := timeKey(tx.now)
		c := tx.Bucket(idxOutboxDue).Cursor()
		for k, _ := c.First(); k != nil && len(list) < limit && bytes.Compare(k[:8], now) <= 0; k, _ = c.Next() {
			m, err := tx.findOutbound(btou64(k[8:]))
			if err != nil {
				return err
			}
			if err := tx.loadAttachmentData(m); err != nil {
				return err
			}
			list = append(list, m)
		}
		return nil
	})
	return list, err
}

// MarkMailSent records that the SMTP server took the mail. A mail that is no longer queued is
// left as it is, so a late mark can never undo what staff did meanwhile.
func (s *OutboxService) MarkMailSent(ctx context.Context, id uint64) error {
	return s.db.update(ctx, func(tx *Tx) error {
		m, err := tx.findOutbound(id)
		if err != nil || m.State != ticket.OutboxQueued {
			return err
		}
		if err := tx.Bucket(dueIndexOf(m)).Delete(dueKey(m)); err != nil {
			return fmt.Errorf("unqueue mail %d: %w", id, err)
		}
		m.State, m.SentAt, m.LastError = ticket.OutboxSent, tx.now, ""
		return tx.writeOutbound(m)
	})
}

// MarkMailFailed records a failed try: the mail waits RetryDelay and is tried again, or is
// parked (permanent refusal, or MaxMailAttempts used) with an EventMailFailed on its ticket.
func (s *OutboxService) MarkMailFailed(ctx context.Context, id uint64, f ticket.MailFailure) (*ticket.OutboundMail, error) {
	var m *ticket.OutboundMail
	err := s.db.update(ctx, func(tx *Tx) (err error) {
		if m, err = tx.findOutbound(id); err != nil || m.State != ticket.OutboxQueued {
			return err
		}
		if err := tx.Bucket(dueIndexOf(m)).Delete(dueKey(m)); err != nil {
			return fmt.Errorf("unqueue mail %d: %w", id, err)
		}
		m.Attempts++
		m.LastError = f.Reason
		if !f.Permanent && m.Attempts < ticket.MaxMailAttempts {
			m.NextTry = tx.now.Add(ticket.RetryDelay(m.Attempts))
			if err := tx.writeOutbound(m); err != nil {
				return err
			}
			return tx.Bucket(dueIndexOf(m)).Put(dueKey(m), nil)
		}
		return tx.parkMail(m)
	})
	return m, err
}

// parkMail takes m out of the queue for good (until staff send it again) and says so on its
// ticket, where staff will look.
func (tx *Tx) parkMail(m *ticket.OutboundMail) error {
	if err := tx.putParked(m); err != nil {
		return err
	}
	detail := fmt.Sprintf("%s (e-post %d, %s, etter %d forsøk): %s", m.Kind.Label(), m.ID, firstOf(m.To), m.Attempts, m.LastError)
	return tx.addEvent(m.TicketID, ticket.EventMailFailed, "system", "", firstOf(m.To), detail)
}

// putParked writes m as parked, in the list staff see.
func (tx *Tx) putParked(m *ticket.OutboundMail) error {
	m.State = ticket.OutboxParked
	if err := tx.writeOutbound(m); err != nil {
		return err
	}
	if err := tx.Bucket(idxOutboxParked).Put(u64(m.ID), nil); err != nil {
		return fmt.Errorf("park mail %d: %w", m.ID, err)
	}
	return nil
}

// NoteMailWaiting records on queued mails why they wait (the SMTP server could not be
// reached, which says nothing about the mails themselves), without using up a try or moving
// their turn: the sender backs off per server, and when it answers they go first. Mails that
// say so already are left as they are.
func (s *OutboxService) NoteMailWaiting(ctx context.Context, ids []uint64, reason string) error {
	return s.db.update(ctx, func(tx *Tx) error {
		for _, id := range ids {
			m, err := tx.findOutbound(id)
			if err != nil {
				return err
			}
			if m.State != ticket.OutboxQueued || m.LastError == reason {
				continue
			}
			m.LastError = reason
			if err := tx.writeOutbound(m); err != nil {
				return err
			}
		}
		return nil
	})
}

// RetryMail puts a parked mail back in the queue, due now, with its tries counted from zero.
func (s *OutboxService) RetryMail(ctx context.Context, id uint64) (*ticket.OutboundMail, error) {
	actor := ticket.ActorFromContext(ctx).Name
	var m *ticket.OutboundMail
	err := s.db.update(ctx, func(tx *Tx) (err error) {
		if m, err = tx.findOutbound(id); err != nil {
			return err
		}
		if m.State != ticket.OutboxParked {
			return ticket.Errorf(ticket.ECONFLICT, "E-posten er ikke stoppet, så den kan ikke sendes på nytt (den er %s).", m.State.Label())
		}
		if err := tx.Bucket(idxOutboxParked).Delete(u64(id)); err != nil {
			return fmt.Errorf("unpark mail %d: %w", id, err)
		}
		m.State, m.Attempts, m.NextTry, m.ReturnedAt = ticket.OutboxQueued, 0, tx.now, time.Time{}
		if err := tx.writeOutbound(m); err != nil {
			return err
		}
		if err := tx.Bucket(dueIndexOf(m)).Put(dueKey(m), nil); err != nil {
			return fmt.Errorf("requeue mail %d: %w", id, err)
		}
		if tx.db.MailQueued != nil {
			tx.OnCommit(tx.db.MailQueued)
		}
		return tx.addEvent(m.TicketID, ticket.EventMailRetry, actor, "", firstOf(m.To), fmt.Sprintf("%s (e-post %d) sendes på nytt", m.Kind.Label(), id))
	})
	return m, err
}
