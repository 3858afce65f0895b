package data

import (
	"bytes"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/ks-no/digihjelpen/ticket"
)

// Facets are the inbox filters besides status and agency: assignee, municipality, county and
// channel. Every ticket has one entry per facet (the value may be "", as for an unassigned
// ticket), keyed facet|0|value|0|status|0|agency|0|updated|id, so a filtered view is a cursor
// walk in update order like the main views, and a counter per facet|value|status|agency
// answers its count without reading records.
var (
	idxFacetUpdated = []byte("idx_facet_updated") // facet|0|value|0|status|0|agency|0|updated|id
	bucketFacetN    = []byte("facet_counts")      // facet|0|value|0|status|0|agency -> number
)

func init() {
	registerBuckets(idxFacetUpdated, bucketFacetN)
	ticketIndexes = append(ticketIndexes, idxFacetUpdated)
}

// The facet names in keys.
const (
	facetAssignee     = "asg"
	facetMunicipality = "mun"
	facetCounty       = "cty"
	facetChannel      = "ch"
)

// facetValues returns each facet of t with its value.
func facetValues(t *ticket.Ticket) [4][2]string {
	return [4][2]string{
		{facetAssignee, t.Assignee},
		{facetMunicipality, t.Requester.Municipality.Number},
		{facetCounty, t.Requester.County.Number},
		{facetChannel, string(t.Channel)},
	}
}

// facetFilter is one facet condition of a filter.
type facetFilter struct{ facet, value string }

// facetsOf returns the facet conditions of f, in a fixed order.
func facetsOf(f ticket.TicketFilter) []facetFilter {
	var out []facetFilter
	if f.Assignee != nil {
		out = append(out, facetFilter{facetAssignee, *f.Assignee})
	}
	if f.Municipality != nil {
		out = append(out, facetFilter{facetMunicipality, *f.Municipality})
	}
	if f.County != nil {
		out = append(out, facetFilter{facetCounty, *f.County})
	}
	if f.Channel != nil {
		out = append(out, facetFilter{facetChannel, string(*f.Channel)})
	}
	return out
}

func facetPrefix(facet, value string) []byte { return key(str0(facet), str0(value)) }

// addFacetKeys adds t's facet and deadline entries to the index keys of a ticket.
func addFacetKeys(keys map[string][][]byte, t *ticket.Ticket) {
	tail := key(str0(string(t.Status)), str0(t.Agency), timeKey(t.UpdatedAt), u64(t.ID))
	var fk [][]byte
	for _, fv := range facetValues(t) {
		fk = append(fk, key(facetPrefix(fv[0], fv[1]), tail))
	}
	keys[string(idxFacetUpdated)] = fk
	addDueKeys(keys, t)
}

// facetCountKeys are the counters a ticket adds one to.
func facetCountKeys(t *ticket.Ticket) [][]byte {
	var out [][]byte
	for _, fv := range facetValues(t) {
		out = append(out, key(facetPrefix(fv[0], fv[1]), str0(string(t.Status)), []byte(t.Agency)))
	}
	return out
}

// addFacetCounts moves t's facet and deadline counters by delta, in the caller's transaction.
func (tx *Tx) addFacetCounts(t *ticket.Ticket, delta int64) error {
	if err := tx.addCounts(bucketFacetN, facetCountKeys(t), delta); err != nil {
		return err
	}
	return tx.addCounts(bucketDueN, dueCountKeys(t), delta)
}

// addCounts moves each counter of keys in bucket by delta; a counter at zero is deleted.
func (tx *Tx) addCounts(bucket []byte, keys [][]byte, delta int64) error {
	b := tx.Bucket(bucket)
	for _, k := range keys {
		n := int64(btou64(b.Get(k))) + delta
		switch {
		case n < 0:
			return fmt.Errorf("counter %q in %s would be negative", k, bucket)
		case n == 0:
			if err := b.Delete(k); err != nil {
				return err
			}
		default:
			if err := b.Put(k, u64(uint64(n))); err != nil {
				return err
			}
		}
	}
	return nil
}

// facetCount returns how many tickets have the facet value, in any of statuses (all when
// empty) and agency (all when nil).
func (tx *Tx) facetCount(ff facetFilter, statuses []ticket.Status, agency *string) int {
	n := 0
	for _, p := range facetStatusPrefixes(ff, statuses) {
		c := tx.Bucket(bucketFacetN).Cursor()
		for k, v := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, v = c.Next() {
			if agency == nil || string(k[bytes.LastIndexByte(k, 0)+1:]) == *agency {
				n += int(btou64(v))
			}
		}
	}
	return n
}

// facetStatusPrefixes are the key prefixes of a facet value in each of statuses (or the one
// prefix of the value for all statuses).
func facetStatusPrefixes(ff facetFilter, statuses []ticket.Status) [][]byte {
	base := facetPrefix(ff.facet, ff.value)
	if len(statuses) == 0 {
		return [][]byte{base}
	}
	var out [][]byte
	for _, st := range statuses {
		out = append(out, key(base, str0(string(st))))
	}
	return out
}

// facetSources are the index walks of one facet value: one per status and agency, so that
// the merge yields exactly the matching tickets in update order. The agencies present are read
// from the counters.
func (tx *Tx) facetSources(ff facetFilter, statuses []ticket.Status, agency *string) []*indexSource {
	var src []*indexSource
	c := tx.Bucket(bucketFacetN).Cursor()
	for _, p := range facetStatusPrefixes(ff, statuses) {
		for k, _ := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, _ = c.Next() {
			// k is facet|0|value|0|status|0|agency: the index prefix is k with a 0 after it
			if agency != nil && string(k[bytes.LastIndexByte(k, 0)+1:]) != *agency {
				continue
			}
			src = append(src, &indexSource{bucket: tx.Bucket(idxFacetUpdated), prefix: key(k, []byte{0})})
		}
	}
	return src
}

// migrateFacets fills the facet and deadline indexes and the facet counters for the tickets a
// database had before they existed (schema 1 -> 2).
func migrateFacets(btx *bolt.Tx) error {
	tx := &Tx{Tx: btx}
	for _, name := range [][]byte{idxFacetUpdated, bucketFacetN, idxDue, bucketDueN} {
		// from empty, so the migration can run again on a file that has them (a test, a restore)
		if err := btx.DeleteBucket(name); err != nil {
			return fmt.Errorf("clear %s: %w", name, err)
		}
		if _, err := btx.CreateBucket(name); err != nil {
			return fmt.Errorf("create %s: %w", name, err)
		}
	}
	return tx.Bucket(bucketTickets).ForEach(func(k, v []byte) error {
		var r ticketRecord
		if err := decode(v, &r); err != nil {
			return fmt.Errorf("ticket %d: %w", btou64(k), err)
		}
		t := r.ticket()
		keys := map[string][][]byte{}
		addFacetKeys(keys, t)
		for name, list := range keys {
			for _, ik := range list {
				if err := tx.Bucket([]byte(name)).Put(ik, nil); err != nil {
					return err
				}
			}
		}
		return tx.addFacetCounts(t, 1)
	})
}

// agencies returns the agencies that have tickets, from the counters.
func (tx *Tx) agencies() []string {
	seen := map[string]bool{}
	var out []string
	err := tx.Bucket(bucketCounts).ForEach(func(k, _ []byte) error {
		a := string(k[bytes.IndexByte(k, 0)+1:])
		if !seen[a] {
			seen[a] = true
			out = append(out, a)
		}
		return nil
	})
	if err != nil {
		return nil
	}
	return out
}
