package data

import (
	"bytes"
	"context"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/ks-no/digihjelpen/ticket"
)

// Schema 14 -> 15 stores the inbox's preview of the latest message, and when someone outside
// last wrote, on the tickets stored before schema 11 kept them: until then every inbox row of
// such a ticket read its thread backwards (FillPreviews), a sixth of what an inbox page cost
// on a store upgraded from before previews. Like the privacy indexes, the migration marks where
// to start and Open fills the tickets in transactions of their own, resuming at the mark after
// a crash. Only the record changes: no index holds the preview, and neither the version nor
// the update time moves, since nobody changed the ticket.
var (
	previewsMark  = []byte("previews/after")
	previewsBatch = 5000
)

func migratePreviews(btx *bolt.Tx) error { return btx.Bucket(bucketMeta).Put(previewsMark, []byte{}) }

// finishPreviews fills what migratePreviews marked, a batch of tickets per transaction.
func (db *DB) finishPreviews() error {
	for done := false; !done; {
		err := db.update(context.Background(), func(tx *Tx) error {
			mark := tx.Bucket(bucketMeta).Get(previewsMark)
			if mark == nil {
				done = true
				return nil
			}
			var todo []*ticket.Ticket
			c := tx.Bucket(bucketTickets).Cursor()
			k, v := c.Seek(mark)
			if k != nil && len(mark) > 0 && bytes.Equal(k, mark) {
				k, v = c.Next()
			}
			var last []byte
			for n := 0; k != nil && n < previewsBatch; k, v = c.Next() {
				var r ticketRecord
				if err := decode(v, &r); err != nil {
					return fmt.Errorf("ticket %d: %w", btou64(k), err)
				}
				if t := r.ticket(); t.Latest.Empty() && t.MessageCount > 0 {
					todo = append(todo, t)
				}
				n, last = n+1, copyBytes(k)
			}
			for _, t := range todo { // the cursor is done: the bucket may change now
				if err := tx.fillThreadEnd(t); err != nil {
					return err
				}
				if err := tx.putTicketRecord(t); err != nil {
					return err
				}
			}
			if k == nil {
				done = true
				return tx.Bucket(bucketMeta).Delete(previewsMark)
			}
			return tx.Bucket(bucketMeta).Put(previewsMark, last)
		})
		if err != nil {
			return fmt.Errorf("store previews: %w", err)
		}
	}
	return nil
}

// fillThreadEnd gives t the preview of its latest message and, when it has none, the time of
// the last message from outside, read from the thread backwards.
func (tx *Tx) fillThreadEnd(t *ticket.Ticket) error {
	return walkBack(tx.Bucket(bucketMessages).Cursor(), u64(t.ID), nil, func(k, v []byte) (bool, error) {
		var r messageRecord
		if err := decode(v, &r); err != nil {
			return false, fmt.Errorf("message %x: %w", k, err)
		}
		m := r.message()
		if p, ok := previewOf(m); ok && t.Latest.Empty() {
			t.Latest = p
		}
		if m.Direction == ticket.DirectionIn && m.Auto == "" && t.LastInboundAt.IsZero() {
			t.LastInboundAt = m.CreatedAt
		}
		return t.Latest.Empty() || t.LastInboundAt.IsZero(), nil
	})
}
