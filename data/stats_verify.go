package data

import (
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
		var r ticketRecord
		if err := decode(v, &r); err != nil {
			return fmt.Errorf("ticket %d: %w", btou64(k), err)
		}
		events, err := tx.ticketEvents(r.ID)
		if err != nil {
			return err
		}
		if err := fn(r.ticket(), events); err != nil {
			return err
		}
	}
	return nil
}

// migrateStats builds the statistics of every stored ticket (schema 1 -> 2), and can run again
// to rebuild them after a change of their format: it starts from empty buckets.
func migrateStats(btx *bolt.Tx) error {
	for _, name := range [][]byte{bucketStatsTickets, idxStatsFacts, bucketStatsCounts} {
		if err := btx.DeleteBucket(name); err != nil {
			return fmt.Errorf("clear %s: %w", name, err)
		}
		if _, err := btx.CreateBucket(name); err != nil {
			return fmt.Errorf("create %s: %w", name, err)
		}
	}
	tx := &Tx{Tx: btx}
	return tx.eachTicketHistory(tx.refreshStats)
}
