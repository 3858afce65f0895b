package data

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

// sweepMargin is how far back the write transaction looks for changes made while the read-only
// scan ran: a write that began before the scan's snapshot and committed after it is stamped
// with its own start time, which no write transaction holds for anywhere near this long.
const sweepMargin = time.Hour

// sweep is what the read-only scan found: outbox mail of anonymised tickets whose recipients
// must go, and the point from which the write transaction looks again.
type sweep struct {
	outbox    [][]byte  // keys of sent or parked mail of anonymised tickets
	maxOutbox uint64    // the last outbox id the scan saw
	since     time.Time // the scan's time less sweepMargin
}

// scanSweep reads every message and outbox mail once, without holding the write lock (a
// million tickets take seconds): it drops from blobs the hashes still in use and lists the
// outbox mail to scrub.
func (tx *Tx) scanSweep(ids map[uint64]bool, blobs map[string]bool) (sweep, error) {
	sw := sweep{since: tx.now.Add(-sweepMargin)}
	err := tx.Bucket(bucketOutbox).ForEach(func(k, v []byte) error {
		sw.maxOutbox = max(sw.maxOutbox, btou64(k))
		var r outboxRecord
		if err := decode(v, &r); err != nil {
			return fmt.Errorf("outbox mail %d: %w", btou64(k), err)
		}
		for _, a := range r.Attachments {
			delete(blobs, a.SHA256)
		}
		if ids[r.TicketID] && r.State != string(ticket.OutboxQueued) && (r.To != nil || r.Cc != nil) {
			sw.outbox = append(sw.outbox, copyBytes(k))
		}
		return nil
	})
	if err != nil || len(blobs) == 0 {
		return sw, err
	}
	return sw, tx.Bucket(bucketMessages).ForEach(func(k, v []byte) error {
		return dropHashes(k, v, blobs)
	})
}

// dropHashes removes from blobs the attachments of one stored message.
func dropHashes(k, v []byte, blobs map[string]bool) error {
	if !bytes.Contains(v, []byte(`"att":`)) {
		return nil // most messages have none; skip the decode
	}
	var r messageRecord
	if err := decode(v, &r); err != nil {
		return fmt.Errorf("message %x: %w", k, err)
	}
	for _, a := range r.Attachments {
		delete(blobs, a.SHA256)
	}
	return nil
}

// finishSweep, in the write transaction, clears the recipients the scan listed, looks again at
// what changed since the scan (tickets updated since sw.since, outbox mail after sw.maxOutbox),
// and deletes the attachment bytes nothing refers to.
func (tx *Tx) finishSweep(sw sweep, blobs map[string]bool) error {
	if err := tx.scrubOutbox(sw.outbox); err != nil {
		return err
	}
	c := tx.Bucket(bucketOutbox).Cursor()
	for k, v := c.Seek(u64(sw.maxOutbox + 1)); k != nil && len(blobs) > 0; k, v = c.Next() {
		var r outboxRecord
		if err := decode(v, &r); err != nil {
			return fmt.Errorf("outbox mail %d: %w", btou64(k), err)
		}
		for _, a := range r.Attachments {
			delete(blobs, a.SHA256)
		}
	}
	uc := tx.Bucket(idxUpdated).Cursor()
	for k, _ := uc.Seek(timeKey(sw.since)); k != nil && len(blobs) > 0; k, _ = uc.Next() {
		prefix := k[8:16]
		mc := tx.Bucket(bucketMessages).Cursor()
		for mk, mv := mc.Seek(prefix); mk != nil && bytes.HasPrefix(mk, prefix); mk, mv = mc.Next() {
			if err := dropHashes(mk, mv, blobs); err != nil {
				return err
			}
		}
	}
	if err := tx.dropDraftHashes(blobs); err != nil {
		return err
	}
	return tx.deleteBlobs(blobs)
}

// deleteBlobs deletes the attachment bytes of the hashes given (hex SHA-256).
func (tx *Tx) deleteBlobs(blobs map[string]bool) error {
	for h := range blobs {
		sum, err := hex.DecodeString(h)
		if err != nil {
			continue
		}
		if err := tx.Bucket(bucketBlobs).Delete(sum); err != nil {
			return fmt.Errorf("delete attachment %s: %w", h, err)
		}
	}
	return nil
}

// scrubOutbox clears the recipients of the listed sent or parked mail (queued mail still has
// to go out, so it is left alone).
func (tx *Tx) scrubOutbox(keys [][]byte) error {
	b := tx.Bucket(bucketOutbox)
	for _, k := range keys {
		v := b.Get(k)
		if v == nil {
			continue
		}
		var r outboxRecord
		if err := decode(v, &r); err != nil {
			return fmt.Errorf("outbox mail %d: %w", btou64(k), err)
		}
		if r.State == string(ticket.OutboxQueued) {
			continue
		}
		r.To, r.Cc = nil, nil
		buf, err := encode(r)
		if err != nil {
			return err
		}
		if err := b.Put(k, buf); err != nil {
			return fmt.Errorf("put outbox mail: %w", err)
		}
	}
	return nil
}
