package data

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

// keyAuditPruned, in meta, is the last idx_event_time key the pruning has decided on: events
// are written at the time of their transaction, so nothing new appears behind it, and each run
// reads only what aged past the cutoff since the last.
var keyAuditPruned = []byte("audit/pruned")

// auditPruneBatch is how many index entries one write transaction of the pruning reads.
const auditPruneBatch = 5000

// PruneAudit removes the events before cutoff that are not a ticket's own history
// (ticket.Event.Prunable), in batches, and returns how many.
func (s *AuditService) PruneAudit(ctx context.Context, cutoff time.Time) (int, error) {
	total := 0
	for {
		var n int
		var more bool
		err := s.db.update(ctx, func(tx *Tx) (err error) {
			n, more, err = tx.pruneAuditBatch(cutoff)
			return err
		})
		total += n
		if err != nil {
			return total, fmt.Errorf("prune audit log: %w", err)
		}
		if !more {
			return total, nil
		}
	}
}

func (tx *Tx) pruneAuditBatch(cutoff time.Time) (int, bool, error) {
	meta := tx.Bucket(bucketMeta)
	done := copyBytes(meta.Get(keyAuditPruned))
	end := timeKey(cutoff)
	c := tx.Bucket(idxEventTime).Cursor()
	k, v := c.First()
	if done != nil {
		if k, v = c.Seek(done); k != nil && bytes.Equal(k, done) {
			k, v = c.Next()
		}
	}
	var gone [][2][]byte // index key, event key
	var last []byte
	read := 0
	for ; k != nil && bytes.Compare(k, end) < 0 && read < auditPruneBatch; k, v = c.Next() {
		read++
		last = copyBytes(k)
		e := ticket.Event{TicketID: btou64(v[:8]), Kind: ticket.EventKind(v[8:])}
		if e.Prunable() {
			gone = append(gone, [2][]byte{last, key(v[:8], k[8:16])})
		}
	}
	for _, g := range gone { // delete after iterating, never during
		if err := tx.Bucket(idxEventTime).Delete(g[0]); err != nil {
			return 0, false, err
		}
		if err := tx.Bucket(bucketEvents).Delete(g[1]); err != nil {
			return 0, false, err
		}
	}
	if last == nil {
		return 0, false, nil
	}
	return len(gone), read == auditPruneBatch, meta.Put(keyAuditPruned, last)
}

// deleteEvents removes the events of a ticket with their index entries (a ticket deleted for
// good).
func (tx *Tx) deleteEvents(id uint64) error {
	var keys [][]byte
	err := tx.eachEvent(u64(id), func(_ []byte, r *eventRecord) error {
		keys = append(keys, eventTimeKey(r.At, r.ID))
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range keys {
		if err := tx.Bucket(idxEventTime).Delete(k); err != nil {
			return fmt.Errorf("unindex event: %w", err)
		}
	}
	return deletePrefix(tx, bucketEvents, u64(id))
}
