package data

import (
	"context"
	"math"
	"slices"

	"github.com/RoaringBitmap/roaring/v2"

	"github.com/ks-no/digihjelpen/ticket"
)

// searchTickets answers FindTickets with a Query: the query terms, the statuses, the agency and
// the facets are each a group of terms; a ticket matches when it has a term of every group.
// Matches come newest first (by id). Conditions the index does not hold (requester, tag,
// creation time, overdue) are checked on the records, which costs a read per candidate.
func (tx *Tx) searchTickets(ctx context.Context, f ticket.TicketFilter) ([]*ticket.Ticket, int, error) {
	q, err := parseQuery(f.Query)
	if err != nil {
		return nil, 0, err
	}
	groups := searchGroups(q.terms, f)
	before := uint64(math.MaxUint64)
	if f.Cursor != "" {
		_, id, err := ticket.ParseCursor(f.Cursor)
		if err != nil {
			return nil, 0, err
		}
		before = id
	}
	post := f.Requester != nil || f.Tag != nil || f.CreatedFrom != nil || f.CreatedTo != nil || f.Overdue
	var list []*ticket.Ticket
	total := 0
	for b := int64(tx.lastBlock()); b >= 0; b-- {
		if err := ctx.Err(); err != nil {
			return nil, 0, err
		}
		bm, err := tx.evalBlock(groups, uint32(b))
		if err == nil && bm != nil && len(q.exclude) > 0 {
			bm, err = tx.excludeBlock(bm, q.exclude, uint32(b))
		}
		if err != nil {
			return nil, 0, err
		}
		if bm == nil {
			continue
		}
		if !post {
			total += int(bm.GetCardinality())
			if len(list) >= f.Limit {
				continue
			}
		}
		for it := bm.ReverseIterator(); it.HasNext(); {
			id := uint64(it.Next())
			if !post && (len(list) >= f.Limit || id >= before) {
				if len(list) >= f.Limit {
					break
				}
				continue
			}
			t, err := tx.findTicket(id)
			if ticket.ErrorCode(err) == ticket.ENOTFOUND {
				continue // deleted; the indexer has not caught up yet
			} else if err != nil {
				return nil, 0, err
			}
			if !matches(t, f, tx.now) {
				continue
			}
			if post {
				total++
			}
			if id < before && len(list) < f.Limit {
				list = append(list, t)
			}
		}
	}
	return list, total, nil
}

// searchGroups are the term groups of a search: every query term alone, then one group per
// filter the index holds.
func searchGroups(terms []string, f ticket.TicketFilter) [][]string {
	var groups [][]string
	for _, t := range terms {
		groups = append(groups, []string{t})
	}
	if len(f.Statuses) > 0 {
		var g []string
		for _, st := range f.Statuses {
			g = append(g, facetTerm("st", string(st)))
		}
		groups = append(groups, g)
	}
	if f.Agency != nil {
		groups = append(groups, []string{facetTerm("ag", *f.Agency)})
	}
	for _, ff := range facetsOf(f) {
		groups = append(groups, []string{facetTerm(ff.facet, ff.value)})
	}
	return groups
}

// evalBlock intersects the groups in one block; nil when nothing matches.
func (tx *Tx) evalBlock(groups [][]string, block uint32) (*roaring.Bitmap, error) {
	var sets []*roaring.Bitmap
	for _, g := range groups {
		var any []*roaring.Bitmap
		for _, term := range g {
			p, err := tx.postings(term, block)
			if err != nil {
				return nil, err
			}
			if p != nil {
				any = append(any, p)
			}
		}
		switch len(any) {
		case 0:
			return nil, nil
		case 1:
			sets = append(sets, any[0])
		default:
			sets = append(sets, roaring.FastOr(any...))
		}
	}
	slices.SortFunc(sets, func(a, b *roaring.Bitmap) int { return int(a.GetCardinality()) - int(b.GetCardinality()) })
	out := sets[0].Clone()
	for _, s := range sets[1:] {
		out.And(s)
		if out.IsEmpty() {
			return nil, nil
		}
	}
	return out, nil
}

// excludeBlock takes out of bm the tickets of the block that have every term of one of the
// exclusions; nil when nothing is left.
func (tx *Tx) excludeBlock(bm *roaring.Bitmap, exclude [][]string, block uint32) (*roaring.Bitmap, error) {
	for _, terms := range exclude {
		groups := make([][]string, len(terms))
		for i, t := range terms {
			groups[i] = []string{t}
		}
		out, err := tx.evalBlock(groups, block)
		if err != nil {
			return nil, err
		}
		if out != nil {
			bm.AndNot(out)
		}
	}
	if bm.IsEmpty() {
		return nil, nil
	}
	return bm, nil
}

// bitmapCount counts the tickets that match the statuses, agency and facets of f from the
// search index's facet bitmaps: microseconds where walking an index would read many records.
// The index lags the records by up to a second.
func (tx *Tx) bitmapCount(f ticket.TicketFilter) (int, error) {
	groups := searchGroups(nil, f)
	n := 0
	for b := int64(tx.lastBlock()); b >= 0; b-- {
		bm, err := tx.evalBlock(groups, uint32(b))
		if err != nil {
			return 0, err
		}
		if bm != nil {
			n += int(bm.GetCardinality())
		}
	}
	return n, nil
}
