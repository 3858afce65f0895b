package data

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

// maxTrendWeeks bounds one trend query (two years of weekly points).
const maxTrendWeeks = 106

// WeeklyTrend returns the weekly points of the charts: new tickets by agency from the counters,
// first-response and resolution figures from the facts of the span, measured as in the report.
// Weeks nothing has changed since they were last computed come from the service's cache
// (stats_trend_cache.go).
func (s *StatsService) WeeklyTrend(ctx context.Context, from, to ticket.Week) ([]*ticket.WeekTrend, error) {
	if to.Before(from) {
		return nil, ticket.Errorf(ticket.EINVALID, "Perioden slutter før den begynner.")
	}
	var weeks []*ticket.WeekTrend
	for w := from; !to.Before(w); w = w.Next() {
		if len(weeks) == maxTrendWeeks {
			return nil, ticket.Errorf(ticket.EINVALID, "En periode kan være høyst %d uker.", maxTrendWeeks)
		}
		weeks = append(weeks, &ticket.WeekTrend{Week: w, NewByAgency: map[string]int{}})
	}
	gens := s.db.statsGens.of(weeks) // before the transaction: see stats_trend_cache.go
	missing := s.trend.get(weeks, gens)
	if len(missing) == 0 {
		return weeks, nil
	}
	err := s.db.view(ctx, func(tx *Tx) error {
		for _, i := range missing {
			one := weeks[i : i+1]
			tx.trendNew(one, map[ticket.Week]int{weeks[i].Week: 0})
			if err := tx.trendDurations(one); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, i := range missing {
		s.trend.put(weeks[i], gens[i])
	}
	return weeks, nil
}

// trendNew reads the created counters of the span.
func (tx *Tx) trendNew(weeks []*ticket.WeekTrend, index map[ticket.Week]int) {
	first, last := weeks[0].Week, weeks[len(weeks)-1].Week
	c := tx.Bucket(bucketStatsCounts).Cursor()
	prefix := []byte{byte(ticket.FactCreated)}
	for k, v := c.Seek(statsCountKey(ticket.FactCreated, first, "")); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		_, w, agency := parseStatsCountKey(k)
		if last.Before(w) {
			break
		}
		if i, ok := index[w]; ok {
			n := int(btou64(v))
			weeks[i].New += n
			weeks[i].NewByAgency[agency] += n
		}
	}
}

// trendDurations measures the first responses and resolutions of every week of the span. As in
// the report, a ticket resolved twice in a week is measured at its last resolution. Facts come
// in time order, so each week is finished before the next starts.
func (tx *Tx) trendDurations(weeks []*ticket.WeekTrend) error {
	ends := make([]int64, len(weeks))
	for i, w := range weeks {
		ends[i] = w.Week.End().UnixNano()
	}
	from, to := weeks[0].Week.Start().UnixNano(), ends[len(ends)-1]
	var samples ticket.DurationSamples
	i := 0
	err := tx.scanFactSpans(ticket.FactFirstResponse, from, to, func(at int64, _ uint64, wall, business time.Duration) {
		for at >= ends[i] {
			weeks[i].FirstResponse = samples.Stats()
			samples.Reset()
			i++
		}
		samples.AddMeasured(wall, business)
	})
	if err != nil {
		return err
	}
	weeks[i].FirstResponse = samples.Stats()
	type span struct{ wall, business time.Duration }
	last := map[uint64]span{} // the week's resolutions by ticket; a later one replaces
	flush := func(w *ticket.WeekTrend) {
		samples.Reset()
		for _, x := range last {
			samples.AddMeasured(x.wall, x.business)
		}
		w.Resolution = samples.Stats()
		clear(last)
	}
	i = 0
	err = tx.scanFactSpans(ticket.FactResolved, from, to, func(at int64, id uint64, wall, business time.Duration) {
		for at >= ends[i] {
			flush(weeks[i])
			i++
		}
		last[id] = span{wall, business}
	})
	if err != nil {
		return err
	}
	flush(weeks[i])
	return nil
}

// scanFactSpans calls fn with the time, ticket and measured durations of every fact of kind in
// [from, to), in time order.
func (tx *Tx) scanFactSpans(kind ticket.FactKind, from, to int64, fn func(at int64, id uint64, wall, business time.Duration)) error {
	lo, hi := factRangeNanos(kind, from, to)
	c := tx.Bucket(idxStatsFacts).Cursor()
	for k, v := c.Seek(lo); k != nil && bytes.Compare(k, hi) < 0; k, v = c.Next() {
		at, id, wall, business, ok := factSpan(k, v)
		if !ok {
			return fmt.Errorf("fact %x: bad key or value", k)
		}
		fn(at, id, wall, business)
	}
	return nil
}
