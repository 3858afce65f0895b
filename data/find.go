package data

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/ks-no/digihjelpen/ticket"
)

// FindTickets returns one page of tickets and the number matching in all. It walks the index
// that gives the requested order (status+agency, status, updated or created), merging several
// prefixes when the filter names several statuses, and checks the remaining conditions on the
// records. Counts for status/agency filters come from counters, not from a scan.
func (s *TicketService) FindTickets(ctx context.Context, f ticket.TicketFilter) ([]*ticket.Ticket, int, error) {
	f, err := normalizeFilter(f)
	if err != nil {
		return nil, 0, err
	}
	var list []*ticket.Ticket
	var total int
	err = s.db.view(ctx, func(tx *Tx) error {
		if f.ID != nil {
			t, err := tx.findTicket(*f.ID)
			if ticket.ErrorCode(err) == ticket.ENOTFOUND {
				return nil
			} else if err != nil {
				return err
			}
			if matches(t, f, tx.now) {
				list, total = []*ticket.Ticket{t}, 1
			}
			return nil
		}
		switch {
		case f.Query != "":
			list, total, err = tx.searchTickets(ctx, f)
		case f.Requester != nil:
			list, total, err = tx.findByRequester(f)
		case bitmapFilter(f):
			list, total, err = tx.findByFacets(ctx, f)
		default:
			list, total, err = tx.findTickets(ctx, f)
		}
		return err
	})
	return list, total, err
}

func normalizeFilter(f ticket.TicketFilter) (ticket.TicketFilter, error) {
	if f.Limit <= 0 {
		f.Limit = ticket.DefaultLimit
	} else if f.Limit > ticket.MaxLimit {
		f.Limit = ticket.MaxLimit
	}
	switch f.Sort {
	case "":
		f.Sort = ticket.SortUpdatedDesc
	case ticket.SortUpdatedDesc, ticket.SortUpdatedAsc, ticket.SortCreatedDesc, ticket.SortCreatedAsc, ticket.SortDueAsc:
	default:
		return f, ticket.Errorf(ticket.EINVALID, "Ukjent sortering %q.", f.Sort)
	}
	f.Query = strings.TrimSpace(f.Query)
	switch {
	case f.Query != "":
		f.Sort = ticket.SortCreatedDesc
	case f.Overdue:
		f.Sort = ticket.SortDueAsc
	case f.Sort == ticket.SortDueAsc:
		return f, ticket.Errorf(ticket.EINVALID, "Sortering etter frist gjelder bare forfalte saker.")
	}
	if f.Status != nil {
		f.Statuses = []ticket.Status{*f.Status}
	}
	for _, st := range f.Statuses {
		if !st.Valid() {
			return f, ticket.Errorf(ticket.EINVALID, "Ukjent status %q.", st)
		}
	}
	if f.Requester != nil {
		e := bytes.ToLower([]byte(*f.Requester))
		r := string(e)
		f.Requester = &r
	}
	return f, nil
}

func (tx *Tx) findTickets(ctx context.Context, f ticket.TicketFilter) ([]*ticket.Ticket, int, error) {
	sources := tx.sourcesFor(f)
	desc := descending(f.Sort)
	var after []byte
	if f.Cursor != "" {
		at, id, err := ticket.ParseCursor(f.Cursor)
		if err != nil {
			return nil, 0, err
		}
		after = key(timeKey(at), u64(id))
	}
	m := newMerge(sources, desc, after)
	countFast, fastTotal, err := tx.fastCount(f)
	if err != nil {
		return nil, 0, err
	}
	keep := func(uint64) (bool, error) { return true, nil }
	if f.Overdue && len(facetsOf(f)) > 1 && countFast {
		// the overdue walk goes by one facet's deadlines: the bitmaps leave out the tickets the
		// other facets do not match before their records are read
		keep = tx.dueRest(f, tx.bestDueFacet(facetsOf(f), f.Agency))
	}
	var list []*ticket.Ticket
	total := 0
	for id, ok := m.next(); ok; id, ok = m.next() {
		if len(list) >= f.Limit && countFast {
			break
		}
		if err := ctx.Err(); err != nil {
			return nil, 0, err
		}
		if ok, err := keep(id); err != nil {
			return nil, 0, err
		} else if !ok {
			continue
		}
		t, err := tx.findTicket(id)
		if err != nil {
			return nil, 0, err
		}
		if !matches(t, f, tx.now) {
			continue
		}
		total++
		if len(list) < f.Limit {
			list = append(list, t)
		}
	}
	switch {
	case countFast:
		total = fastTotal
	case after != nil:
		// a slow count after a cursor only saw the rest of the list; count from the start
		var err error
		if total, err = tx.countSlow(ctx, f); err != nil {
			return nil, 0, err
		}
	}
	return list, total, nil
}

// sourcesFor picks the index prefixes that hold the filter's tickets in the requested order:
// the deadline index for overdue tickets, the facet index of the most selective facet, or the
// status and agency indexes.
func (tx *Tx) sourcesFor(f ticket.TicketFilter) []*indexSource {
	byCreated := f.Sort == ticket.SortCreatedAsc || f.Sort == ticket.SortCreatedDesc
	if f.Overdue {
		return tx.dueSources(tx.bestDueFacet(facetsOf(f), f.Agency), f.Agency)
	}
	if byCreated {
		return []*indexSource{{bucket: tx.Bucket(idxCreated)}}
	}
	if facets := facetsOf(f); len(facets) > 0 {
		best, bestN := facets[0], -1
		for _, ff := range facets {
			if n := tx.facetCount(ff, f.Statuses, f.Agency); bestN < 0 || n < bestN {
				best, bestN = ff, n
			}
		}
		return tx.facetSources(best, f.Statuses, f.Agency)
	}
	switch {
	case len(f.Statuses) > 0 && f.Agency != nil:
		var src []*indexSource
		for _, st := range f.Statuses {
			src = append(src, &indexSource{bucket: tx.Bucket(idxStatusAgencyUpdated), prefix: key(str0(string(st)), str0(*f.Agency))})
		}
		return src
	case len(f.Statuses) > 0:
		var src []*indexSource
		for _, st := range f.Statuses {
			src = append(src, &indexSource{bucket: tx.Bucket(idxStatusUpdated), prefix: str0(string(st))})
		}
		return src
	case f.Agency != nil:
		var src []*indexSource
		for _, st := range ticket.Statuses {
			src = append(src, &indexSource{bucket: tx.Bucket(idxStatusAgencyUpdated), prefix: key(str0(string(st)), str0(*f.Agency))})
		}
		return src
	}
	return []*indexSource{{bucket: tx.Bucket(idxUpdated)}}
}

// fastCount answers the total without reading records: from the counters when the filter is
// statuses, agency and at most one facet; from the deadline counters for overdue tickets (and
// the deadline keys with the bitmaps under more conditions); and from the bitmaps of the search
// index for two facets or more (which may lag a second).
func (tx *Tx) fastCount(f ticket.TicketFilter) (bool, int, error) {
	if f.Requester != nil || f.Tag != nil || f.CreatedFrom != nil || f.CreatedTo != nil {
		return false, 0, nil
	}
	facets := facetsOf(f)
	switch {
	case f.Overdue && len(facets) <= 1 && len(f.Statuses) == 0:
		return true, tx.countDue(tx.bestDueFacet(facets, f.Agency), f.Agency), nil
	case f.Overdue:
		n, err := tx.countDueMatching(f)
		return true, n, err
	case len(facets) > 1:
		n, err := tx.bitmapCount(f)
		return true, n, err
	case len(facets) == 1:
		return true, tx.facetCount(facets[0], f.Statuses, f.Agency), nil
	}
	agency := ""
	if f.Agency != nil {
		agency = *f.Agency
		if agency == "" {
			return false, 0, nil
		}
	}
	if len(f.Statuses) == 0 {
		return true, tx.count("", agency), nil
	}
	n := 0
	for _, st := range f.Statuses {
		n += tx.count(st, agency)
	}
	return true, n, nil
}

// countSlow counts the tickets that match f by reading them all. A ticket it cannot read fails
// the count, as it fails the page: a total that silently leaves it out would be wrong.
func (tx *Tx) countSlow(ctx context.Context, f ticket.TicketFilter) (int, error) {
	f.Cursor = ""
	m := newMerge(tx.sourcesFor(f), descending(f.Sort), nil)
	n := 0
	for id, ok := m.next(); ok; id, ok = m.next() {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		t, err := tx.findTicket(id)
		if err != nil {
			return 0, fmt.Errorf("count tickets: %w", err)
		}
		if matches(t, f, tx.now) {
			n++
		}
	}
	return n, nil
}

// matches checks the conditions that no index answers.
func matches(t *ticket.Ticket, f ticket.TicketFilter, now time.Time) bool {
	switch {
	case len(f.Statuses) > 0 && !slices.Contains(f.Statuses, t.Status),
		f.Agency != nil && t.Agency != *f.Agency,
		f.Assignee != nil && t.Assignee != *f.Assignee,
		f.Requester != nil && t.Requester.Email != *f.Requester,
		f.Municipality != nil && t.Requester.Municipality.Number != *f.Municipality,
		f.County != nil && t.Requester.County.Number != *f.County,
		f.Channel != nil && t.Channel != *f.Channel,
		f.Tag != nil && !t.HasTag(*f.Tag),
		f.Overdue && !t.Overdue(now),
		f.CreatedFrom != nil && t.CreatedAt.Before(*f.CreatedFrom),
		f.CreatedTo != nil && !t.CreatedAt.Before(*f.CreatedTo):
		return false
	}
	return true
}

// indexSource walks one prefix of an index whose keys end in time(8)|id(8).
type indexSource struct {
	bucket *bolt.Bucket
	prefix []byte
	until  []byte // for ascending walks: the last time|id suffix to yield (nil: no end)

	c   *bolt.Cursor
	cur []byte // suffix of the current key, nil when done
}

func (s *indexSource) suffix(k []byte) []byte {
	if k == nil || !bytes.HasPrefix(k, s.prefix) {
		return nil
	}
	if s.until != nil && bytes.Compare(k[len(s.prefix):], s.until) > 0 {
		return nil
	}
	return k[len(s.prefix):]
}

// start positions the source on its first entry after `after` (a time|id suffix) in the order.
func (s *indexSource) start(desc bool, after []byte) {
	s.c = s.bucket.Cursor()
	var k []byte
	switch {
	case !desc && after == nil:
		k, _ = s.c.Seek(s.prefix)
	case !desc:
		k, _ = s.c.Seek(key(s.prefix, after))
		if bytes.Equal(s.suffix(k), after) {
			k, _ = s.c.Next()
		}
	default:
		end := after
		if end == nil {
			end = bytes.Repeat([]byte{0xff}, 17) // after every time|id
		}
		k, _ = seekBefore(s.c, key(s.prefix, end))
	}
	s.cur = s.suffix(k)
}

func (s *indexSource) advance(desc bool) {
	var k []byte
	if desc {
		k, _ = s.c.Prev()
	} else {
		k, _ = s.c.Next()
	}
	s.cur = s.suffix(k)
}

func (s *indexSource) id() uint64 { return btou64(s.cur[len(s.cur)-8:]) }

// merge yields ids from several sources in one order (a k-way merge on time|id).
type merge struct {
	sources []*indexSource
	desc    bool
}

func newMerge(sources []*indexSource, desc bool, after []byte) *merge {
	for _, s := range sources {
		s.start(desc, after)
	}
	return &merge{sources: sources, desc: desc}
}

func (m *merge) next() (uint64, bool) {
	var best *indexSource
	for _, s := range m.sources {
		if s.cur == nil {
			continue
		}
		if best == nil || (m.desc && bytes.Compare(s.cur, best.cur) > 0) || (!m.desc && bytes.Compare(s.cur, best.cur) < 0) {
			best = s
		}
	}
	if best == nil {
		return 0, false
	}
	id := best.id()
	best.advance(m.desc)
	return id, true
}

// findByRequester loads a requester's tickets (a handful) and sorts and pages them in memory.
func (tx *Tx) findByRequester(f ticket.TicketFilter) ([]*ticket.Ticket, int, error) {
	prefix := str0(*f.Requester)
	var all []*ticket.Ticket
	c := tx.Bucket(idxRequester).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		t, err := tx.findTicket(btou64(k[len(prefix):]))
		if err != nil {
			return nil, 0, err
		}
		if matches(t, f, tx.now) {
			all = append(all, t)
		}
	}
	return pageInMemory(all, f)
}

func sortTime(t *ticket.Ticket, order ticket.SortOrder) time.Time {
	switch order {
	case ticket.SortCreatedAsc, ticket.SortCreatedDesc:
		return t.CreatedAt
	case ticket.SortDueAsc:
		return t.DueAt()
	}
	return t.UpdatedAt
}

func descending(order ticket.SortOrder) bool {
	return order == ticket.SortUpdatedDesc || order == ticket.SortCreatedDesc
}
