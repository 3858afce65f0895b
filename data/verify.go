package data

import (
	"bytes"
	"context"
	"fmt"
	"sort"
)

// Verify rebuilds, in memory, every ticket index and counter from the records and compares them
// with what is stored, and does the same for the statistics (verifyStats). It returns the first
// difference. Tests run it after every operation.
func (db *DB) Verify(ctx context.Context) error {
	if err := db.VerifyOutbox(ctx); err != nil {
		return err
	}
	return db.view(ctx, func(tx *Tx) error {
		if err := tx.verifyStats(); err != nil {
			return err
		}
		want := map[string]map[string][]byte{}
		counts := map[string]uint64{}
		err := tx.Bucket(bucketTickets).ForEach(func(k, v []byte) error {
			var r ticketRecord
			if err := decode(v, &r); err != nil {
				return fmt.Errorf("ticket %d: %w", btou64(k), err)
			}
			t := r.ticket()
			for name, keys := range ticketIndexKeys(t) {
				if want[name] == nil {
					want[name] = map[string][]byte{}
				}
				for _, ik := range keys {
					var val []byte
					if valuedIndexes[name] {
						val = u64(t.ID)
					}
					want[name][string(ik)] = val
				}
			}
			counts[string(countKey(t.Status, t.Agency))]++
			return nil
		})
		if err != nil {
			return err
		}
		for _, name := range ticketIndexes {
			if err := compareBucket(tx, string(name), want[string(name)]); err != nil {
				return err
			}
		}
		wantCounts := map[string][]byte{}
		for k, n := range counts {
			wantCounts[k] = u64(n)
		}
		return compareBucket(tx, string(bucketCounts), wantCounts)
	})
}

func compareBucket(tx *Tx, name string, want map[string][]byte) error {
	got := map[string][]byte{}
	err := tx.Bucket([]byte(name)).ForEach(func(k, v []byte) error {
		got[string(k)] = copyBytes(v)
		return nil
	})
	if err != nil {
		return err
	}
	var diffs []string
	for k, v := range want {
		if g, ok := got[k]; !ok {
			diffs = append(diffs, fmt.Sprintf("missing %x", k))
		} else if !bytes.Equal(g, v) {
			diffs = append(diffs, fmt.Sprintf("value of %x is %x, want %x", k, g, v))
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			diffs = append(diffs, fmt.Sprintf("stale %x", k))
		}
	}
	if len(diffs) > 0 {
		sort.Strings(diffs)
		return fmt.Errorf("index %s: %d differences, first: %s", name, len(diffs), diffs[0])
	}
	return nil
}
