package data

import (
	"bytes"
	"context"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

// StatsService implements ticket.StatsService on the facts index (stats_schema.go).
type StatsService struct {
	db    *DB
	trend trendCache // the weeks of the charts' trend, as computed (stats_trend_cache.go)
}

var _ ticket.StatsService = (*StatsService)(nil)

// NewStatsService returns the statistics of db.
func NewStatsService(db *DB) *StatsService { return &StatsService{db: db} }

// WeeklyReport reads the facts of the week, one range per kind, and the counters up to its end:
// a few tens of thousands of small values at a million tickets, never a ticket record.
func (s *StatsService) WeeklyReport(ctx context.Context, w ticket.Week) (*ticket.WeeklyReport, error) {
	var r *ticket.WeeklyReport
	err := s.db.view(ctx, func(tx *Tx) error {
		if err := notStarted(w, tx); err != nil {
			return err
		}
		b := ticket.NewReportBuilder(w)
		for _, kind := range ticket.FactKinds {
			if err := tx.eachFact(kind, w.Start(), w.End(), b.Add); err != nil {
				return err
			}
		}
		start, end, referrals := tx.backlog(w)
		b.SetBacklog(start, end, referrals)
		r = b.Report()
		r.GeneratedAt = tx.now
		tx.nameBreakdowns(r)
		return nil
	})
	return r, err
}

// notStarted refuses a week that lies wholly in the future.
func notStarted(w ticket.Week, tx *Tx) error {
	if tx.now.Before(w.Start()) {
		return ticket.Errorf(ticket.EINVALID, "Uke %d i %d har ikke begynt ennå.", w.Week, w.Year)
	}
	return nil
}

// eachFact calls fn for every fact of kind in [from, to), in time order.
func (tx *Tx) eachFact(kind ticket.FactKind, from, to time.Time, fn func(ticket.Fact)) error {
	lo, hi := factRangeNanos(kind, from.UnixNano(), to.UnixNano())
	c := tx.Bucket(idxStatsFacts).Cursor()
	var f ticket.Fact
	for k, v := c.Seek(lo); k != nil && bytes.Compare(k, hi) < 0; k, v = c.Next() {
		if err := decodeFact(k, v, &f); err != nil {
			return err
		}
		fn(f)
	}
	return nil
}

// backlog sums the counters up to week w: open tickets at its start and end by agency, and
// unanswered referrals at its end by the agency referred to. Created and reopened facts add a
// ticket to the backlog, resolutions take it out (each ticket alternates, starting open).
func (tx *Tx) backlog(w ticket.Week) (start, end, referrals map[string]int) {
	start, end, referrals = map[string]int{}, map[string]int{}, map[string]int{}
	sum := func(kind ticket.FactKind, sign int, into map[string]int, before map[string]int) {
		c := tx.Bucket(bucketStatsCounts).Cursor()
		prefix := []byte{byte(kind)}
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			_, week, agency := parseStatsCountKey(k)
			if w.Before(week) {
				break
			}
			n := sign * int(btou64(v))
			into[agency] += n
			if before != nil && week.Before(w) {
				before[agency] += n
			}
		}
	}
	sum(ticket.FactCreated, 1, end, start)
	sum(ticket.FactReopened, 1, end, start)
	sum(ticket.FactResolved, -1, end, start)
	sum(ticket.FactReferred, 1, referrals, nil)
	sum(ticket.FactAnswered, -1, referrals, nil)
	return start, end, referrals
}

// nameBreakdowns gives municipalities and counties the names their tickets were stored with.
func (tx *Tx) nameBreakdowns(r *ticket.WeeklyReport) {
	names := tx.Bucket(bucketStatsNames)
	name := func(prefix, key, unknown string) string {
		if key == ticket.UnknownPlace {
			return unknown
		}
		if v := names.Get([]byte(prefix + key)); v != nil {
			return string(v)
		}
		return key
	}
	for k, b := range r.ByMunicipality {
		b.Name = name("m", k, "Ukjent kommune")
	}
	for k, b := range r.ByCounty {
		b.Name = name("c", k, "Ukjent fylke")
	}
}
