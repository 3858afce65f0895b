package data

import (
	"bytes"
	"context"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

var _ ticket.TicketCloser = (*TicketService)(nil)

// closeBatch is how many tickets one transaction closes, so a first run on an old store (many
// thousands resolved long ago) never holds the write lock for long.
const closeBatch = 500

// CloseResolvedBefore closes the tickets resolved before cutoff, a batch per transaction.
func (s *TicketService) CloseResolvedBefore(ctx context.Context, cutoff time.Time, reason string) (int, error) {
	total := 0
	for {
		n := 0
		err := s.db.update(ctx, func(tx *Tx) (err error) {
			n, err = tx.closeResolved(cutoff, reason)
			return err
		})
		total += n
		if err != nil || n < closeBatch {
			return total, err
		}
		if err := ctx.Err(); err != nil {
			return total, err
		}
	}
}

// closeResolved closes up to closeBatch tickets resolved before cutoff. It walks the resolved
// tickets in update order: one not changed since cutoff was resolved before it (its update
// time is at least its resolution time); of the few changed since (a tag, a note) the record
// says when it was resolved.
func (tx *Tx) closeResolved(cutoff time.Time, reason string) (int, error) {
	prefix := str0(string(ticket.StatusResolved))
	var ids []uint64
	c := tx.Bucket(idxStatusUpdated).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix) && len(ids) < closeBatch; k, _ = c.Next() {
		id := btou64(k[len(k)-8:])
		if time.Unix(0, int64(btou64(k[len(prefix):len(prefix)+8]))).Before(cutoff) {
			ids = append(ids, id)
			continue
		}
		t, err := tx.findTicket(id)
		if err != nil {
			return 0, err
		}
		if !t.ResolvedAt.IsZero() && t.ResolvedAt.Before(cutoff) {
			ids = append(ids, id)
		}
	}
	for _, id := range ids { // after the walk: closing moves the index entries
		if err := tx.closeTicket(id, reason); err != nil {
			return 0, err
		}
	}
	return len(ids), nil
}

// closeTicket moves one resolved ticket to closed as the system.
func (tx *Tx) closeTicket(id uint64, reason string) error {
	t, err := tx.findTicket(id)
	if err != nil {
		return err
	}
	old := *t
	tx.setStatus(t, ticket.StatusClosed)
	t.UpdatedAt = tx.now
	if err := tx.putTicket(&old, t); err != nil {
		return err
	}
	return tx.addEvent(id, ticket.EventStatus, "system", string(ticket.StatusResolved), string(ticket.StatusClosed), reason)
}
