package data

import (
	"context"
	"fmt"

	"github.com/ks-no/digihjelpen/ticket"
)

// FindQuarantine returns one page of quarantined mail, newest first, and how many match. It
// reads the page's records only: the reason index orders them, counters give the total.
func (s *IntakeService) FindQuarantine(ctx context.Context, f ticket.QuarantineFilter) ([]*ticket.QuarantinedMail, int, error) {
	if f.Reason != "" && !f.Reason.Valid() {
		return nil, 0, ticket.Errorf(ticket.EINVALID, "Ukjent årsak «%s».", f.Reason)
	}
	if f.Limit <= 0 || f.Limit > ticket.MaxLimit {
		f.Limit = ticket.DefaultLimit
	}
	var list []*ticket.QuarantinedMail
	total := 0
	err := s.db.view(ctx, func(tx *Tx) error {
		total = tx.quarantineCount(f.Reason)
		for _, id := range tx.quarantinePage(f) {
			r, err := tx.findQuarantine(id)
			if err != nil {
				return err
			}
			list = append(list, r.mail())
		}
		return nil
	})
	return list, total, err
}

// quarantineCount is the number of entries with reason ("" for all).
func (tx *Tx) quarantineCount(reason ticket.QuarantineReason) int {
	if reason != "" {
		return int(btou64(tx.Bucket(bucketQuarantineN).Get([]byte(reason))))
	}
	n := 0
	tx.Bucket(bucketQuarantineN).ForEach(func(_, v []byte) error { n += int(btou64(v)); return nil })
	return n
}

// quarantinePage returns the ids of one page, newest first: below f.Before, with f.Reason.
func (tx *Tx) quarantinePage(f ticket.QuarantineFilter) []uint64 {
	var prefix, below []byte
	c := tx.Bucket(bucketQuarantine).Cursor()
	if f.Reason != "" {
		prefix = str0(string(f.Reason))
		c = tx.Bucket(idxQuarantineReason).Cursor()
	}
	if f.Before != 0 {
		below = u64(f.Before)
	}
	var ids []uint64
	walkBack(c, prefix, below, func(k, _ []byte) (bool, error) { // never fails
		if len(ids) >= f.Limit {
			return false, nil
		}
		ids = append(ids, btou64(k[len(prefix):]))
		return true, nil
	})
	return ids
}

// FindQuarantined returns one entry.
func (s *IntakeService) FindQuarantined(ctx context.Context, id uint64) (*ticket.QuarantinedMail, error) {
	var q *ticket.QuarantinedMail
	err := s.db.view(ctx, func(tx *Tx) error {
		r, err := tx.findQuarantine(id)
		if err == nil {
			q = r.mail()
		}
		return err
	})
	return q, err
}

// FindQuarantinedRaw returns the stored source of an entry and records in the audit trail that
// the actor viewed it (it holds personal data).
func (s *IntakeService) FindQuarantinedRaw(ctx context.Context, id uint64) ([]byte, error) {
	actor := ticket.ActorFromContext(ctx).Name
	var raw []byte
	err := s.db.update(ctx, func(tx *Tx) error {
		if _, err := tx.findQuarantine(id); err != nil {
			return err
		}
		raw = copyBytes(tx.Bucket(bucketQuarantineRaw).Get(u64(id)))
		return tx.addEvent(0, ticket.EventViewed, actor, "", "", fmt.Sprintf("kildetekst i karantene %d", id))
	})
	return raw, err
}

// DiscardQuarantined deletes an entry and tombstones its Message-ID, so the same mail is never
// taken in again (from IMAP after a rescan, or by import).
func (s *IntakeService) DiscardQuarantined(ctx context.Context, id uint64) error {
	actor := ticket.ActorFromContext(ctx).Name
	return s.db.update(ctx, func(tx *Tx) error {
		r, err := tx.findQuarantine(id)
		if err != nil {
			return err
		}
		if err := tx.deleteQuarantine(id); err != nil {
			return err
		}
		if err := tx.tombstone(r.MessageID, fmt.Sprintf("forkastet fra karantene %d", id)); err != nil {
			return err
		}
		return tx.addEvent(0, ticket.EventDeleted, actor, r.Reason, "", fmt.Sprintf("e-post i karantene %d forkastet", id))
	})
}

// CountQuarantine returns how many mails wait in the quarantine (a counter, not a walk).
func (s *IntakeService) CountQuarantine(ctx context.Context) (int, error) {
	n := 0
	err := s.db.view(ctx, func(tx *Tx) error {
		n = tx.quarantineCount("")
		return nil
	})
	return n, err
}
