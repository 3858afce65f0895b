package data

import (
	"bytes"
	"context"

	"github.com/ks-no/digihjelpen/ticket"
)

// maxTrendWeeks bounds one trend query (two years of weekly points).
const maxTrendWeeks = 106

// WeeklyTrend returns the weekly points of the charts: new tickets by agency from the counters,
// first-response and resolution figures from the facts of the span, measured as in the report.
func (s *StatsService) WeeklyTrend(ctx context.Context, from, to ticket.Week) ([]*ticket.WeekTrend, error) {
	if to.Before(from) {
		return nil, ticket.Errorf(ticket.EINVALID, "Perioden slutter før den begynner.")
	}
	var weeks []*ticket.WeekTrend
	index := map[ticket.Week]int{}
	for w := from; !to.Before(w); w = w.Next() {
		if len(weeks) == maxTrendWeeks {
			return nil, ticket.Errorf(ticket.EINVALID, "En periode kan være høyst %d uker.", maxTrendWeeks)
		}
		index[w] = len(weeks)
		weeks = append(weeks, &ticket.WeekTrend{Week: w, NewByAgency: map[string]int{}})
	}
	err := s.db.view(ctx, func(tx *Tx) error {
		tx.trendNew(weeks, index)
		return tx.trendDurations(weeks, index, from, to)
	})
	return weeks, err
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
// the report, a ticket resolved twice in a week is measured at its last resolution.
func (tx *Tx) trendDurations(weeks []*ticket.WeekTrend, index map[ticket.Week]int, from, to ticket.Week) error {
	fr := make([]ticket.DurationSamples, len(weeks))
	err := tx.eachFact(ticket.FactFirstResponse, from.Start(), to.End(), func(f ticket.Fact) {
		if i, ok := index[ticket.WeekOf(f.At)]; ok {
			fr[i].Add(f.Start, f.At)
		}
	})
	if err != nil {
		return err
	}
	resolved := make([]map[uint64]ticket.Fact, len(weeks))
	err = tx.eachFact(ticket.FactResolved, from.Start(), to.End(), func(f ticket.Fact) {
		i, ok := index[ticket.WeekOf(f.At)]
		if !ok {
			return
		}
		if resolved[i] == nil {
			resolved[i] = map[uint64]ticket.Fact{}
		}
		resolved[i][f.TicketID] = f // time order: the last one wins
	})
	if err != nil {
		return err
	}
	for i, w := range weeks {
		var res ticket.DurationSamples
		for _, f := range resolved[i] {
			res.Add(f.Start, f.At)
		}
		w.FirstResponse, w.Resolution = fr[i].Stats(), res.Stats()
	}
	return nil
}
