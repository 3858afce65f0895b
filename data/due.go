package data

import (
	"bytes"

	"github.com/RoaringBitmap/roaring/v2"

	"github.com/ks-no/digihjelpen/ticket"
)

// The deadline index holds the tickets whose deadline runs (ticket.DueAt), ordered by deadline
// per agency, once unfiltered and once per facet value, so the overdue list with or without a
// facet filter is a range walk from the most overdue up to now. Its count is a counter of
// entries minus the few whose deadline is still ahead (walked backwards from the end), so it
// costs next to nothing however many tickets are overdue.
var (
	idxDue     = []byte("idx_due")    // facet|0|value|0|agency|0|due|id ("" facet: unfiltered)
	bucketDueN = []byte("due_counts") // facet|0|value|0|agency -> number of entries
)

func init() {
	registerBuckets(idxDue, bucketDueN)
	ticketIndexes = append(ticketIndexes, idxDue)
}

// dueDims are the unfiltered dimension and t's facet values.
func dueDims(t *ticket.Ticket) [][2]string {
	fv := facetValues(t)
	return append([][2]string{{"", ""}}, fv[:]...)
}

func addDueKeys(keys map[string][][]byte, t *ticket.Ticket) {
	due := t.DueAt()
	if due.IsZero() {
		return
	}
	var dk [][]byte
	for _, d := range dueDims(t) {
		dk = append(dk, key(facetPrefix(d[0], d[1]), str0(t.Agency), timeKey(due), u64(t.ID)))
	}
	keys[string(idxDue)] = dk
}

func dueCountKeys(t *ticket.Ticket) [][]byte {
	if t.DueAt().IsZero() {
		return nil
	}
	var out [][]byte
	for _, d := range dueDims(t) {
		out = append(out, key(facetPrefix(d[0], d[1]), []byte(t.Agency)))
	}
	return out
}

// duePrefixes are the index prefixes (one per agency with entries) of a facet value, or of
// the unfiltered dimension when ff is nil, limited to agency when set.
func (tx *Tx) duePrefixes(ff *facetFilter, agency *string) [][]byte {
	base := facetPrefix("", "")
	if ff != nil {
		base = facetPrefix(ff.facet, ff.value)
	}
	var out [][]byte
	c := tx.Bucket(bucketDueN).Cursor()
	for k, _ := c.Seek(base); k != nil && bytes.HasPrefix(k, base); k, _ = c.Next() {
		if agency == nil || string(k[len(base):]) == *agency {
			out = append(out, key(k, []byte{0}))
		}
	}
	return out
}

// dueUntil is the end of the overdue range: every deadline up to now.
func (tx *Tx) dueUntil() []byte { return key(timeKey(tx.now), bytes.Repeat([]byte{0xff}, 8)) }

// dueSources walk the overdue entries of a facet value (or all), most overdue first.
func (tx *Tx) dueSources(ff *facetFilter, agency *string) []*indexSource {
	var src []*indexSource
	for _, p := range tx.duePrefixes(ff, agency) {
		src = append(src, &indexSource{bucket: tx.Bucket(idxDue), prefix: p, until: tx.dueUntil()})
	}
	return src
}

// countDue counts the overdue tickets: the entries, less those still ahead of their deadline.
func (tx *Tx) countDue(ff *facetFilter, agency *string) int {
	n := 0
	until := tx.dueUntil()
	c := tx.Bucket(idxDue).Cursor()
	for _, p := range tx.duePrefixes(ff, agency) {
		n += int(btou64(tx.Bucket(bucketDueN).Get(p[:len(p)-1])))
		walkBack(c, p, nil, func(k, _ []byte) (bool, error) { // never fails
			if bytes.Compare(k[len(p):], until) <= 0 {
				return false, nil
			}
			n--
			return true, nil
		})
	}
	return n
}

// bestDueFacet is the facet condition with the fewest deadline entries (nil: no facets).
func (tx *Tx) bestDueFacet(facets []facetFilter, agency *string) *facetFilter {
	var best *facetFilter
	bestN := -1
	for i := range facets {
		n := 0
		for _, p := range tx.duePrefixes(&facets[i], agency) {
			n += int(btou64(tx.Bucket(bucketDueN).Get(p[:len(p)-1])))
		}
		if bestN < 0 || n < bestN {
			best, bestN = &facets[i], n
		}
	}
	return best
}

// countDueMatching counts overdue tickets under several conditions: it walks the overdue keys
// of the most selective facet and checks the other conditions in the search index's bitmaps
// (which lag the records by up to a second), never reading a record.
func (tx *Tx) countDueMatching(f ticket.TicketFilter) (int, error) {
	best := tx.bestDueFacet(facetsOf(f), f.Agency)
	keep := tx.dueRest(f, best)
	n := 0
	for _, src := range tx.dueSources(best, f.Agency) { // a count needs no order: one source at a time
		for src.start(false, nil); src.cur != nil; src.advance(false) {
			ok, err := keep(src.id())
			if err != nil {
				return 0, err
			}
			if ok {
				n++
			}
		}
	}
	return n, nil
}

// dueRest tests an id from the deadline walk of best against the rest of f (its other facets
// and statuses) on the search index's bitmaps, one block at a time, so the walk reads no record
// to leave a ticket out.
func (tx *Tx) dueRest(f ticket.TicketFilter, best *facetFilter) func(id uint64) (bool, error) {
	rest := f
	rest.Agency, rest.Assignee, rest.Municipality, rest.County, rest.Channel = nil, nil, nil, nil, nil
	for _, ff := range facetsOf(f) {
		if best == nil || ff != *best {
			setFacet(&rest, ff)
		}
	}
	q := facetQueryOf(searchGroups(nil, rest))
	blocks := map[uint32]*roaring.Bitmap{}
	return func(id uint64) (bool, error) {
		if len(q.groups) == 0 {
			return true, nil
		}
		b := uint32(id >> blockBits)
		bm, seen := blocks[b]
		if !seen {
			var err error
			if bm, err = tx.facetBlock(q, b); err != nil {
				return false, err
			}
			blocks[b] = bm
		}
		return bm != nil && bm.Contains(uint32(id)), nil
	}
}

// setFacet puts a facet condition back on a filter.
func setFacet(f *ticket.TicketFilter, ff facetFilter) {
	v := ff.value
	switch ff.facet {
	case facetAssignee:
		f.Assignee = &v
	case facetMunicipality:
		f.Municipality = &v
	case facetCounty:
		f.County = &v
	case facetChannel:
		ch := ticket.Channel(v)
		f.Channel = &ch
	}
}
