package data

import (
	"bytes"
	"context"
	"fmt"
	"sort"
)

// Verify rebuilds, in memory, every ticket index and counter from the records and compares them
// with what is stored, does the same for the statistics (verifyStats), and checks the full-text
// index (verifySearch), merges (verifyMerges), values stored in chunks and the files records name (verifyChunks), the Message-ID index and the quarantine (verifyMessageIndex) against the
// records. It returns the first difference. Tests run it after every operation.
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
		facetCounts := map[string]uint64{}
		dueCounts := map[string]uint64{}
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
			for _, k := range facetCountKeys(t) {
				facetCounts[string(k)]++
			}
			for _, k := range dueCountKeys(t) {
				dueCounts[string(k)]++
			}
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
		if err := compareBucket(tx, string(bucketFacetN), countValues(facetCounts)); err != nil {
			return err
		}
		if err := compareBucket(tx, string(bucketDueN), countValues(dueCounts)); err != nil {
			return err
		}
		if err := compareBucket(tx, string(bucketCounts), countValues(counts)); err != nil {
			return err
		}
		if err := tx.verifySearch(); err != nil {
			return err
		}
		if err := tx.verifyMerges(); err != nil {
			return err
		}
		if err := tx.verifyEventIndex(); err != nil {
			return err
		}
		if err := tx.verifyOverview(); err != nil {
			return err
		}
		if err := tx.verifyChunks(); err != nil {
			return err
		}
		return tx.verifyMessageIndex()
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

func countValues(counts map[string]uint64) map[string][]byte {
	out := map[string][]byte{}
	for k, n := range counts {
		out[k] = u64(n)
	}
	return out
}
