package data

import (
	"bytes"
	"context"

	"github.com/ks-no/digihjelpen/ticket"
)

// exportBatch is how many tickets one read transaction of an export holds: small enough that
// memory stays flat and no transaction stays open while a slow client reads, large enough that
// the transactions cost nothing.
const exportBatch = 256

// ExportTickets walks the creation index from f.From to f.To in short read transactions and
// calls fn for each ticket outside them.
func (s *StatsService) ExportTickets(ctx context.Context, f ticket.ExportFilter, fn func(*ticket.Ticket) error) error {
	if !f.From.Before(f.To) {
		return ticket.Errorf(ticket.EINVALID, "Perioden må slutte etter at den begynner.")
	}
	seek, end := timeKey(f.From), timeKey(f.To)
	after := false // seek is the last key already exported, not the first to export
	batch := make([]*ticket.Ticket, 0, exportBatch)
	for {
		batch = batch[:0]
		err := s.db.view(ctx, func(tx *Tx) error {
			c := tx.Bucket(idxCreated).Cursor()
			k, _ := c.Seek(seek)
			if after && bytes.Equal(k, seek) {
				k, _ = c.Next()
			}
			for ; k != nil && bytes.Compare(k, end) < 0 && len(batch) < exportBatch; k, _ = c.Next() {
				t, err := tx.findTicket(btou64(k[8:]))
				if err != nil {
					return err
				}
				batch = append(batch, t)
				seek = copyBytes(k)
			}
			return nil
		})
		if err != nil {
			return err
		}
		after = true
		for _, t := range batch {
			if err := fn(t); err != nil {
				return err
			}
		}
		if len(batch) < exportBatch {
			return ctx.Err()
		}
	}
}
