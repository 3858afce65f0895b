package data

import (
	"bytes"
	"context"
	"slices"

	"github.com/RoaringBitmap/roaring/v2"

	"github.com/ks-no/digihjelpen/ticket"
)

// Inbox filters on two facets or more (county and channel, a municipality and «unassigned»)
// are answered from the search index's bitmaps, where every facet, status and agency is a term:
// their intersection says which tickets match, without reading a record. A small result is
// read and sorted in memory; a large one is taken in update order from the most selective
// facet's index, skipping what the intersection leaves out, so only the rows shown are read
// (readAllHits weighs the two). Walking that index and reading every record to test the other facets took 6-11 ms for county
// and channel at a million tickets, and far more for rarer combinations. The bitmaps lag the
// records by up to a second (the indexer runs every second): each row is still checked on its
// record, so a ticket changed a moment ago may be missing for that second, never wrong.

// keysPerRecord is about how many index keys a cursor steps over in the time one ticket record
// is read and decoded: what the choice between reading every match and walking in order weighs.
const keysPerRecord = 20

// bitmapFilter reports whether f is answered from the bitmaps: two facets or more, and nothing
// the index does not hold.
func bitmapFilter(f ticket.TicketFilter) bool {
	return len(facetsOf(f)) > 1 && !f.Overdue && f.Query == "" && f.Requester == nil && f.Tag == nil &&
		f.CreatedFrom == nil && f.CreatedTo == nil && (f.Sort == ticket.SortUpdatedDesc || f.Sort == ticket.SortUpdatedAsc)
}

// facetHits intersects the filter's groups (statuses, agency, facets) block by block.
func (tx *Tx) facetHits(f ticket.TicketFilter) ([]*roaring.Bitmap, int, error) {
	q := facetQueryOf(searchGroups(nil, f))
	hits := make([]*roaring.Bitmap, tx.lastBlock()+1)
	n := 0
	for b := range hits {
		bm, err := tx.facetBlock(q, uint32(b))
		if err != nil {
			return nil, 0, err
		}
		if bm != nil {
			hits[b], n = bm, n+int(bm.GetCardinality())
		}
	}
	return hits, n, nil
}

func (tx *Tx) findByFacets(ctx context.Context, f ticket.TicketFilter) ([]*ticket.Ticket, int, error) {
	hits, total, err := tx.facetHits(f)
	if err != nil {
		return nil, 0, err
	}
	if tx.readAllHits(f, total) {
		var all []*ticket.Ticket
		for _, bm := range hits {
			if bm == nil {
				continue
			}
			for it := bm.Iterator(); it.HasNext(); {
				t, err := tx.findTicket(uint64(it.Next()))
				if ticket.ErrorCode(err) == ticket.ENOTFOUND {
					continue // deleted; the indexer has not caught up yet
				} else if err != nil {
					return nil, 0, err
				}
				if matches(t, f, tx.now) {
					all = append(all, t)
				}
			}
		}
		page, _, err := pageInMemory(all, f)
		return page, total, err
	}
	var after []byte
	if f.Cursor != "" {
		at, id, err := ticket.ParseCursor(f.Cursor)
		if err != nil {
			return nil, 0, err
		}
		after = key(timeKey(at), u64(id))
	}
	m := newMerge(tx.sourcesFor(f), descending(f.Sort), after)
	var list []*ticket.Ticket
	for id, ok := m.next(); ok && len(list) < f.Limit; id, ok = m.next() {
		if b := id >> blockBits; b >= uint64(len(hits)) || hits[b] == nil || !hits[b].Contains(uint32(id)) {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, 0, err
		}
		t, err := tx.findTicket(id)
		if err != nil {
			return nil, 0, err
		}
		if matches(t, f, tx.now) {
			list = append(list, t)
		}
	}
	return list, total, nil
}

// readAllHits chooses between reading every match and walking the most selective facet's
// index in order: the walk steps over about Limit/total of that index before a page is full
// (all of it when the matches are few and spread out) and then reads a page of records.
func (tx *Tx) readAllHits(f ticket.TicketFilter, total int) bool {
	best := -1
	for _, ff := range facetsOf(f) {
		if n := tx.facetCount(ff, f.Statuses, f.Agency); best < 0 || n < best {
			best = n
		}
	}
	walk := best
	if total > f.Limit {
		walk = best * f.Limit / total
	}
	return total*keysPerRecord <= walk+f.Limit*keysPerRecord
}

// pageInMemory sorts tickets in f's order and returns the page after f's cursor, with how many
// there were in all.
func pageInMemory(all []*ticket.Ticket, f ticket.TicketFilter) ([]*ticket.Ticket, int, error) {
	sortKey := func(t *ticket.Ticket) []byte { return key(timeKey(sortTime(t, f.Sort)), u64(t.ID)) }
	desc := descending(f.Sort)
	slices.SortFunc(all, func(a, b *ticket.Ticket) int {
		if desc {
			return bytes.Compare(sortKey(b), sortKey(a))
		}
		return bytes.Compare(sortKey(a), sortKey(b))
	})
	page := all
	if f.Cursor != "" {
		at, id, err := ticket.ParseCursor(f.Cursor)
		if err != nil {
			return nil, 0, err
		}
		after := key(timeKey(at), u64(id))
		i := slices.IndexFunc(all, func(t *ticket.Ticket) bool {
			c := bytes.Compare(sortKey(t), after)
			return (desc && c < 0) || (!desc && c > 0)
		})
		if i < 0 {
			i = len(all)
		}
		page = all[i:]
	}
	if len(page) > f.Limit {
		page = page[:f.Limit]
	}
	return page, len(all), nil
}

// CountByStatus counts the tickets that match f (its statuses left aside) in each status, in
// one read: what the inbox's tabs show. Two facets or more are counted on the bitmaps, one
// facet or none on the counters.
func (s *TicketService) CountByStatus(ctx context.Context, f ticket.TicketFilter) (map[ticket.Status]int, error) {
	f.Statuses, f.Status = nil, nil
	out := map[ticket.Status]int{}
	err := s.db.view(ctx, func(tx *Tx) error {
		facets := facetsOf(f)
		switch {
		case len(facets) > 1:
			return tx.countStatusBitmaps(f, out)
		case len(facets) == 1:
			for _, st := range ticket.Statuses {
				out[st] = tx.facetCount(facets[0], []ticket.Status{st}, f.Agency)
			}
		default:
			agency := ""
			if f.Agency != nil {
				agency = *f.Agency
			}
			for _, st := range ticket.Statuses {
				out[st] = tx.count(st, agency)
			}
		}
		return nil
	})
	return out, err
}

// countStatusBitmaps intersects the facets (and agency) once per block and counts each
// status's share of it.
func (tx *Tx) countStatusBitmaps(f ticket.TicketFilter, out map[ticket.Status]int) error {
	q := facetQueryOf(searchGroups(nil, f))
	for b := uint32(0); b <= tx.lastBlock(); b++ {
		bm, err := tx.facetBlock(q, b)
		if err != nil {
			return err
		}
		if bm == nil {
			continue
		}
		// every indexed ticket has one status, so the closed ones, most of them and the most
		// costly to intersect, are what the others leave
		rest := int(bm.GetCardinality())
		for _, st := range ticket.Statuses {
			if st == ticket.StatusClosed {
				continue
			}
			p, err := tx.postings(facetTerm("st", string(st)), b)
			if err != nil {
				return err
			}
			if p != nil {
				n := int(bm.AndCardinality(p))
				out[st] += n
				rest -= n
			}
		}
		out[ticket.StatusClosed] += rest
	}
	return nil
}
