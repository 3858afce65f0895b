package data

import (
	"context"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/ks-no/digihjelpen/ticket"
)

// verifyStats rebuilds the statistics of every ticket from its record and events, as the
// migration does, and compares them with what the writes kept: records, facts and counters.
func (tx *Tx) verifyStats() error {
	records, facts, counts := map[string][]byte{}, map[string][]byte{}, map[string]uint64{}
	err := tx.eachTicketHistory(func(t *ticket.Ticket, events []*ticket.Event) error {
		st := rebuildStats(t, events)
		buf, err := encode(toStatsRecord(st))
		if err != nil {
			return err
		}
		records[string(u64(t.ID))] = buf
		for k, e := range statsEntries(st) {
			facts[k] = e.value
			counts[string(e.count)]++
		}
		return nil
	})
	if err != nil {
		return err
	}
	wantCounts := map[string][]byte{}
	for k, n := range counts {
		wantCounts[k] = u64(n)
	}
	for name, want := range map[string]map[string][]byte{
		string(bucketStatsTickets): records, string(idxStatsFacts): facts, string(bucketStatsCounts): wantCounts,
	} {
		if err := compareBucket(tx, name, want); err != nil {
			return err
		}
	}
	return nil
}

// eachTicketHistory calls fn with every ticket and its events.
func (tx *Tx) eachTicketHistory(fn func(*ticket.Ticket, []*ticket.Event) error) error {
	c := tx.Bucket(bucketTickets).Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		t, events, err := tx.ticketHistory(k, v)
		if err != nil {
			return err
		}
		if err := fn(t, events); err != nil {
			return err
		}
	}
	return nil
}

// ticketHistory decodes the ticket record k, v and reads its events.
func (tx *Tx) ticketHistory(k, v []byte) (*ticket.Ticket, []*ticket.Event, error) {
	var r ticketRecord
	if err := decode(v, &r); err != nil {
		return nil, nil, fmt.Errorf("ticket %d: %w", btou64(k), err)
	}
	events, err := tx.ticketEvents(r.ID)
	if err != nil {
		return nil, nil, err
	}
	return r.ticket(), events, nil
}

// keyStatsRebuild, in meta, marks statistics being rebuilt: its value is the id of the last
// ticket done. Open finishes the rebuild before it returns, and a crash midway resumes there.
var keyStatsRebuild = []byte("stats_rebuild_after")

// statsRebuildBatch is how many tickets one transaction of the rebuild takes: memory stays small
// at a million tickets, and each commit lets bbolt split its nodes.
var statsRebuildBatch = 5000

// migrateStats starts building the statistics of every stored ticket (schema 2 -> 3), and can
// run again to rebuild them after a change of their format: it empties their buckets and leaves
// the work to finishStatsRebuild, in transactions of their own (one transaction over a million
// tickets would hold gigabytes).
func migrateStats(btx *bolt.Tx) error {
	for _, name := range [][]byte{bucketStatsTickets, idxStatsFacts, bucketStatsCounts} {
		if err := btx.DeleteBucket(name); err != nil {
			return fmt.Errorf("clear %s: %w", name, err)
		}
		if _, err := btx.CreateBucket(name); err != nil {
			return fmt.Errorf("create %s: %w", name, err)
		}
	}
	return btx.Bucket(bucketMeta).Put(keyStatsRebuild, u64(0))
}

// finishStatsRebuild builds the statistics of the tickets after the marked one, a batch per
// transaction, and removes the mark when all are done. Rebuilding a ticket twice (a resume after
// a crash) changes nothing.
func (db *DB) finishStatsRebuild() error {
	for done := false; !done; {
		err := db.update(context.Background(), func(tx *Tx) error {
			mark := tx.Bucket(bucketMeta).Get(keyStatsRebuild)
			if mark == nil {
				done = true
				return nil
			}
			c := tx.Bucket(bucketTickets).Cursor()
			n, last := 0, btou64(mark)
			for k, v := c.Seek(u64(last + 1)); k != nil; k, v = c.Next() {
				if n == statsRebuildBatch {
					return tx.Bucket(bucketMeta).Put(keyStatsRebuild, u64(last))
				}
				if err := tx.rebuildTicketStats(k, v); err != nil {
					return err
				}
				n, last = n+1, btou64(k)
			}
			done = true
			return tx.Bucket(bucketMeta).Delete(keyStatsRebuild)
		})
		if err != nil {
			return fmt.Errorf("build the statistics: %w", err)
		}
	}
	return nil
}

func (tx *Tx) rebuildTicketStats(k, v []byte) error {
	t, events, err := tx.ticketHistory(k, v)
	if err != nil {
		return err
	}
	return tx.refreshStats(t, events)
}

// checkStatsComplete refuses a read-only open of a file whose statistics are half built.
func (db *DB) checkStatsComplete() error {
	return db.bolt.View(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketMeta).Get(keyStatsRebuild) != nil {
			return fmt.Errorf("open %s read-only: its statistics are being built; open it once read-write to finish", db.Path)
		}
		return nil
	})
}
