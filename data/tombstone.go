package data

import (
	"fmt"
	"time"
)

// Tombstones remember the Message-IDs of deleted tickets and discarded mail, so that intake
// never takes the same mail in again: not after an IMAP rescan, not from an import.
var bucketTombstones = []byte("tombstones") // Message-ID -> tombstone record

func init() { registerBuckets(bucketTombstones) }

type tombstoneRecord struct {
	At     time.Time `json:"at"`
	Reason string    `json:"why,omitempty"` // "DH-2026-0042 slettet", never personal data
}

// tombstone marks messageID as gone for good ("" is ignored).
func (tx *Tx) tombstone(messageID, reason string) error {
	if messageID == "" {
		return nil
	}
	buf, err := encode(tombstoneRecord{At: tx.now, Reason: reason})
	if err != nil {
		return err
	}
	if err := tx.Bucket(bucketTombstones).Put([]byte(messageID), buf); err != nil {
		return fmt.Errorf("tombstone message id: %w", err)
	}
	return nil
}

func (tx *Tx) isTombstoned(messageID string) bool {
	return messageID != "" && tx.Bucket(bucketTombstones).Get([]byte(messageID)) != nil
}
