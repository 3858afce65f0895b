package data

import (
	"bytes"
	"fmt"
	"time"
)

// The sender limit keeps, for a short window, which address opened which ticket when: once by
// address (to count) and once by time (to forget entries as they expire, in the same
// transactions that write new ones).
var (
	bucketSenders     = []byte("intake_senders")      // email | 0 | time | ticket id
	bucketSenderTimes = []byte("intake_sender_times") // time | ticket id | email
)

func init() { registerBuckets(bucketSenders, bucketSenderTimes) }

func (s *IntakeService) window() time.Duration {
	if s.SenderWindow <= 0 {
		return time.Hour
	}
	return s.SenderWindow
}

// overSenderLimit reports whether email has opened SenderLimit tickets or more in the window.
func (s *IntakeService) overSenderLimit(tx *Tx, email string) bool {
	if s.SenderLimit <= 0 || email == "" {
		return false
	}
	prefix := str0(email)
	c := tx.Bucket(bucketSenders).Cursor()
	n := 0
	for k, _ := c.Seek(key(prefix, timeKey(tx.now.Add(-s.window())))); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		n++
	}
	return n >= s.SenderLimit
}

// countSender records that email opened ticket id now, and forgets entries that have expired.
func (s *IntakeService) countSender(tx *Tx, email string, id uint64) error {
	if err := s.expireSenders(tx); err != nil {
		return err
	}
	if s.SenderLimit <= 0 || email == "" {
		return nil
	}
	at := timeKey(tx.now)
	if err := tx.Bucket(bucketSenders).Put(key(str0(email), at, u64(id)), nil); err != nil {
		return fmt.Errorf("count sender: %w", err)
	}
	return tx.Bucket(bucketSenderTimes).Put(key(at, u64(id), []byte(email)), nil)
}

func (s *IntakeService) expireSenders(tx *Tx) error {
	limit := timeKey(tx.now.Add(-s.window()))
	c := tx.Bucket(bucketSenderTimes).Cursor()
	var old [][]byte
	for k, _ := c.First(); k != nil && bytes.Compare(k[:8], limit) < 0; k, _ = c.Next() {
		old = append(old, copyBytes(k))
	}
	for _, k := range old {
		if err := tx.forgetSender(k); err != nil {
			return err
		}
	}
	return nil
}

// forgetSender removes one entry, given by its time-first key.
func (tx *Tx) forgetSender(timeFirst []byte) error {
	if len(timeFirst) < 16 {
		return tx.Bucket(bucketSenderTimes).Delete(timeFirst)
	}
	email := timeFirst[16:]
	if err := tx.Bucket(bucketSenders).Delete(key(str0(string(email)), timeFirst[:8], timeFirst[8:16])); err != nil {
		return fmt.Errorf("forget sender: %w", err)
	}
	return tx.Bucket(bucketSenderTimes).Delete(timeFirst)
}

// forgetTicketSender removes the limit entries of a ticket (when it is deleted).
func (tx *Tx) forgetTicketSender(id uint64) error {
	c := tx.Bucket(bucketSenderTimes).Cursor()
	var hits [][]byte
	idk := u64(id)
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		if len(k) >= 16 && bytes.Equal(k[8:16], idk) {
			hits = append(hits, copyBytes(k))
		}
	}
	for _, k := range hits {
		if err := tx.forgetSender(k); err != nil {
			return err
		}
	}
	return nil
}
