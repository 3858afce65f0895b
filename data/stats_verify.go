package data

import (
	"bytes"
	"fmt"
	"maps"
	"slices"

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

// migrateStats builds the statistics of every stored ticket (schema 2 -> 3), and can run again
// to rebuild them after a change of their format: it starts from empty buckets. It runs in the
// one transaction of the schema migration, where bbolt splits no node until the commit: facts put
// in key order only ever append, so the facts are collected, sorted and put last (put ticket by
// ticket, their kinds interleave and every put would move the rest of one huge node).
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
	var facts [][2][]byte
	counts := map[string]uint64{}
	err := tx.eachTicketHistory(func(t *ticket.Ticket, events []*ticket.Event) error {
		st := rebuildStats(t, events)
		buf, err := encode(toStatsRecord(st))
		if err != nil {
			return err
		}
		if err := tx.Bucket(bucketStatsTickets).Put(u64(t.ID), buf); err != nil { // ids ascend: appends
			return err
		}
		for k, e := range statsEntries(st) {
			facts = append(facts, [2][]byte{[]byte(k), e.value})
			counts[string(e.count)]++
		}
		return tx.putStatsNames(t)
	})
	if err != nil {
		return err
	}
	slices.SortFunc(facts, func(a, b [2][]byte) int { return bytes.Compare(a[0], b[0]) })
	for _, f := range facts {
		if err := tx.Bucket(idxStatsFacts).Put(f[0], f[1]); err != nil {
			return fmt.Errorf("put fact: %w", err)
		}
	}
	keys := slices.Sorted(maps.Keys(counts))
	for _, k := range keys {
		if err := tx.Bucket(bucketStatsCounts).Put([]byte(k), u64(counts[k])); err != nil {
			return fmt.Errorf("put statistics counter: %w", err)
		}
	}
	return nil
}
