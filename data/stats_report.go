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
	err := s.db.view(ctx, func(tx *Tx) (err error) {
		if tx.now.Before(w.Start()) {
			return ticket.Errorf(ticket.EINVALID, "Uke %d i %d har ikke begynt ennå.", w.Week, w.Year)
		}
		r, err = tx.report(ticket.NewReportBuilder(w), w.Start(), w.End())
		return err
	})
	return r, err
}

// PeriodReport is WeeklyReport for any period [from, to): the same facts and counters, and for
// a period that does not start or end on a Monday the facts of the part week before each end.
func (s *StatsService) PeriodReport(ctx context.Context, from, to time.Time) (*ticket.WeeklyReport, error) {
	if to.Before(from) {
		return nil, ticket.Errorf(ticket.EINVALID, "Perioden kan ikke slutte før den begynner.")
	}
	var r *ticket.WeeklyReport
	err := s.db.view(ctx, func(tx *Tx) (err error) {
		if tx.now.Before(from) {
			return ticket.Errorf(ticket.EINVALID, "Perioden har ikke begynt ennå.")
		}
		r, err = tx.report(ticket.NewPeriodReportBuilder(from, to), from, to)
		return err
	})
	return r, err
}

// report fills b with what happened in [from, to): the facts, the backlog at both ends, the
// requesters' feedback and the questions the handbook answered.
func (tx *Tx) report(b *ticket.ReportBuilder, from, to time.Time) (*ticket.WeeklyReport, error) {
	for _, kind := range ticket.FactKinds {
		if err := tx.eachFact(kind, from, to, b.Add); err != nil {
			return nil, err
		}
	}
	start, _, err := tx.backlogAt(from)
	if err != nil {
		return nil, err
	}
	end, referrals, err := tx.backlogAt(to)
	if err != nil {
		return nil, err
	}
	b.SetBacklog(start, end, referrals)
	if err := tx.reportFeedback(b, from, to); err != nil {
		return nil, err
	}
	if err := tx.reportSelfHelp(b, from, to); err != nil {
		return nil, err
	}
	r := b.Report()
	r.GeneratedAt = tx.now
	tx.nameBreakdowns(r)
	return r, nil
}

// eachFact calls fn for every fact of kind in [from, to), in time order.
func (tx *Tx) eachFact(kind ticket.FactKind, from, to time.Time, fn func(ticket.Fact)) error {
	lo, hi := factRangeNanos(kind, from.UnixNano(), to.UnixNano())
	c := tx.Bucket(idxStatsFacts).Cursor()
	var f ticket.Fact
	names := newFactNames()
	for k, v := c.Seek(lo); k != nil && bytes.Compare(k, hi) < 0; k, v = c.Next() {
		if err := decodeFact(k, v, &f, names); err != nil {
			return err
		}
		fn(f)
	}
	return nil
}

// backlogAt is the backlog at the moment at: the open tickets by agency and the unanswered
// referrals by the agency referred to. Created and reopened facts add a ticket, resolutions
// take it out (each ticket alternates, starting open). The counters sum whole weeks, up to the
// week of at; the facts of that week before at are added one by one, so a moment that is a
// Monday 00:00 reads counters only.
func (tx *Tx) backlogAt(at time.Time) (open, referrals map[string]int, err error) {
	open, referrals = map[string]int{}, map[string]int{}
	w := ticket.WeekOf(at)
	c := tx.Bucket(bucketStatsCounts).Cursor()
	signs := []struct {
		kind ticket.FactKind
		sign int
		into map[string]int
	}{
		{ticket.FactCreated, 1, open}, {ticket.FactReopened, 1, open}, {ticket.FactResolved, -1, open},
		{ticket.FactReferred, 1, referrals}, {ticket.FactAnswered, -1, referrals},
	}
	for _, x := range signs {
		prefix := []byte{byte(x.kind)}
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			_, week, agency := parseStatsCountKey(k)
			if !week.Before(w) {
				break
			}
			x.into[agency] += x.sign * int(btou64(v))
		}
		err := tx.eachFact(x.kind, w.Start(), at, func(f ticket.Fact) { x.into[f.Agency] += x.sign })
		if err != nil {
			return nil, nil, err
		}
	}
	return open, referrals, nil
}

// reportFeedback counts the requesters' answers given in [from, to), by the agency stored with
// each (the ticket's when it was given).
func (tx *Tx) reportFeedback(b *ticket.ReportBuilder, from, to time.Time) error {
	c := tx.Bucket(idxFeedbackAt).Cursor()
	hi := timeKey(to)
	for k, _ := c.Seek(timeKey(from)); k != nil && bytes.Compare(k[:8], hi) < 0; k, _ = c.Next() {
		f, err := tx.findFeedback(btou64(k[8:]))
		if err != nil {
			return err
		}
		if f != nil {
			b.AddFeedback(f.At, f.Agency, f.Useful)
		}
	}
	return nil
}

// reportSelfHelp counts the questions articles answered in [from, to), each article by its
// current title (its slug when it was deleted since).
func (tx *Tx) reportSelfHelp(b *ticket.ReportBuilder, from, to time.Time) error {
	titles := map[string]string{}
	c := tx.Bucket(bucketHandbookSelfHelp).Cursor()
	hi := timeKey(to)
	for k, v := c.Seek(timeKey(from)); k != nil && bytes.Compare(k[:8], hi) < 0; k, v = c.Next() {
		slug := string(v)
		title, ok := titles[slug]
		if !ok {
			a, err := tx.latestArticle(slug)
			if err != nil {
				return err
			}
			title = slug
			if a != nil && !a.Deleted {
				title = a.Title
			}
			titles[slug] = title
		}
		b.AddSelfHelp(fromNanos(int64(btou64(k[:8]))), slug, title)
	}
	return nil
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
