package data

import (
	"bytes"
	"context"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/ks-no/digihjelpen/ticket"
)

// Schema 11 -> 12 adds two indexes for the records stored before them: idx_person (every
// address of a ticket, for a person's export and erasure) and idx_event_time (the audit log by
// time). The migration empties them and marks where building starts; Open builds them in
// transactions of their own after the migrations (one transaction over a million tickets and
// their events would hold gigabytes), and a crash midway resumes at the mark.
var privacyIndexes = []struct {
	mark, index, records []byte
	add                  func(tx *Tx, k, v []byte) error
}{
	{[]byte("privacy/persons_after"), idxPerson, bucketTickets, indexTicketPersons},
	{[]byte("privacy/events_after"), idxEventTime, bucketEvents, indexEventTime},
}

// privacyBatch is how many records one transaction of the building reads.
var privacyBatch = 20000

func migratePrivacy(btx *bolt.Tx) error {
	for _, p := range privacyIndexes {
		if err := btx.DeleteBucket(p.index); err != nil {
			return fmt.Errorf("clear %s: %w", p.index, err)
		}
		if _, err := btx.CreateBucket(p.index); err != nil {
			return fmt.Errorf("create %s: %w", p.index, err)
		}
		if err := btx.Bucket(bucketMeta).Put(p.mark, []byte{}); err != nil {
			return err
		}
	}
	return nil
}

func indexTicketPersons(tx *Tx, k, v []byte) error {
	var r ticketRecord
	if err := decode(v, &r); err != nil {
		return fmt.Errorf("ticket %d: %w", btou64(k), err)
	}
	for _, ik := range personIndexKeys(r.ticket()) {
		if err := tx.Bucket(idxPerson).Put(ik, nil); err != nil {
			return err
		}
	}
	return nil
}

func indexEventTime(tx *Tx, k, v []byte) error {
	var r eventRecord
	if err := decode(v, &r); err != nil {
		return fmt.Errorf("event %x: %w", k, err)
	}
	return tx.Bucket(idxEventTime).Put(eventTimeKey(r.At, r.ID), eventTimeValue(r.TicketID, ticket.EventKind(r.Kind)))
}

// finishPrivacyIndexes builds what migratePrivacy marked, a batch per transaction.
func (db *DB) finishPrivacyIndexes() error {
	for _, p := range privacyIndexes {
		for done := false; !done; {
			err := db.update(context.Background(), func(tx *Tx) error {
				mark := tx.Bucket(bucketMeta).Get(p.mark)
				if mark == nil {
					done = true
					return nil
				}
				c := tx.Bucket(p.records).Cursor()
				k, v := c.Seek(mark)
				if k != nil && len(mark) > 0 && bytes.Equal(k, mark) {
					k, v = c.Next()
				}
				var last []byte
				for n := 0; k != nil; k, v = c.Next() {
					if n == privacyBatch {
						return tx.Bucket(bucketMeta).Put(p.mark, last)
					}
					if err := p.add(tx, k, v); err != nil {
						return err
					}
					n, last = n+1, copyBytes(k)
				}
				done = true
				return tx.Bucket(bucketMeta).Delete(p.mark)
			})
			if err != nil {
				return fmt.Errorf("build %s: %w", p.index, err)
			}
		}
	}
	return nil
}

// checkPrivacyIndexes refuses a read-only open of a file whose indexes are half built.
func (db *DB) checkPrivacyIndexes() error {
	return db.bolt.View(func(tx *bolt.Tx) error {
		for _, p := range privacyIndexes {
			if tx.Bucket(bucketMeta).Get(p.mark) != nil {
				return fmt.Errorf("open %s read-only: its %s index is being built; open it once read-write to finish", db.Path, p.index)
			}
		}
		return nil
	})
}
