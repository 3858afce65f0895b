package data

import (
	"context"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/ks-no/digihjelpen/ticket"
)

// ForEachTicket calls fn with every ticket created at or after from, oldest first, and the
// ticket's first message (nil if it has none). It reads in one transaction, so fn sees one
// consistent state; fn must not use the database. It stops at the first error fn returns, or
// when ctx is done. The routing dry-run replays rules over stored tickets with it.
func (s *TicketService) ForEachTicket(ctx context.Context, from time.Time, fn func(t *ticket.Ticket, first *ticket.Message) error) error {
	return s.db.view(ctx, func(tx *Tx) error {
		c := tx.Bucket(idxCreated).Cursor()
		msgs := tx.Bucket(bucketMessages)
		k, _ := c.First()
		if !from.IsZero() { // the zero time has no unix nanoseconds
			k, _ = c.Seek(timeKey(from))
		}
		for n := 1; k != nil; k, _ = c.Next() {
			if n++; n%1024 == 0 && ctx.Err() != nil {
				return ctx.Err()
			}
			t, err := tx.findTicket(btou64(k[8:]))
			if err != nil {
				return err
			}
			first, err := firstMessage(msgs, t.ID)
			if err != nil {
				return err
			}
			if err := fn(t, first); err != nil {
				return err
			}
		}
		return nil
	})
}

// firstMessage reads the first message of ticket id from the messages bucket; nil when the
// ticket has none.
func firstMessage(msgs *bolt.Bucket, id uint64) (*ticket.Message, error) {
	v := msgs.Get(msgKey(id, 1))
	if v == nil {
		return nil, nil
	}
	var r messageRecord
	if err := decode(v, &r); err != nil {
		return nil, fmt.Errorf("message %d/1: %w", id, err)
	}
	return r.message(), nil
}
