package data

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"time"
)

// sweepMargin is how far back the write transaction looks for changes made while the read-only
// scan ran: a write that began before the scan's snapshot and committed after it is stamped
// with its own start time, which no write transaction holds for anywhere near this long.
const sweepMargin = time.Hour

// sweep is the point from which the write transaction looks again after the read-only scan.
type sweep struct {
	maxOutbox uint64    // the last outbox id the scan saw
	since     time.Time // the scan's time less sweepMargin
}

// scanSweep reads every message and outbox mail once, without holding the write lock (a
// million tickets take seconds), and drops from blobs the hashes still in use: the files the
// forgetting dropped are deleted only when nothing else holds them.
func (tx *Tx) scanSweep(blobs map[string]bool) (sweep, error) {
	sw := sweep{since: tx.now.Add(-sweepMargin)}
	if len(blobs) == 0 {
		return sw, nil
	}
	err := tx.Bucket(bucketOutbox).ForEach(func(k, v []byte) error {
		sw.maxOutbox = max(sw.maxOutbox, btou64(k))
		return dropHashes(k, v, blobs)
	})
	if err != nil || len(blobs) == 0 {
		return sw, err
	}
	return sw, tx.Bucket(bucketMessages).ForEach(func(k, v []byte) error {
		return dropHashes(k, v, blobs)
	})
}

// dropHashes removes from blobs the attachments of one stored message or outbox mail.
func dropHashes(k, v []byte, blobs map[string]bool) error {
	if !bytes.Contains(v, []byte(`"att":`)) {
		return nil // most messages have none; skip the decode
	}
	var r struct { // messages and outbox mail keep their files alike
		Attachments []attachmentRecord `json:"att"`
	}
	if err := decode(v, &r); err != nil {
		return fmt.Errorf("record %x: %w", k, err)
	}
	for _, a := range r.Attachments {
		delete(blobs, a.SHA256)
	}
	return nil
}

// finishSweep, in the write transaction, looks again at what changed since the scan (tickets
// updated since sw.since, outbox mail after sw.maxOutbox) and deletes the attachment bytes
// nothing refers to.
func (tx *Tx) finishSweep(sw sweep, blobs map[string]bool) error {
	if len(blobs) == 0 {
		return nil
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

// deleteBlobs deletes the attachment bytes of the hashes given (hex SHA-256), whole or in
// chunks, except bytes intake stored ahead for a mail not yet committed (chunks.go).
func (tx *Tx) deleteBlobs(blobs map[string]bool) error {
	for h := range blobs {
		sum, err := hex.DecodeString(h)
		if err != nil {
			continue
		}
		if tx.Bucket(bucketChunkPending).Get(chunkedKey(chunkFile, sum)) != nil {
			continue
		}
		if err := tx.Bucket(bucketBlobs).Delete(sum); err != nil {
			return fmt.Errorf("delete attachment %s: %w", h, err)
		}
		if err := tx.dropChunks(chunkFile, sum); err != nil {
			return err
		}
	}
	return nil
}
