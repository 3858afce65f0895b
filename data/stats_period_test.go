package data_test

import (
	"context"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/data/datagen"
	"github.com/ks-no/digihjelpen/ticket"
)

// periodStore is a generated year of tickets (with topics, tags and article links), answers to
// «Fikk du svar du kunne bruke?» and questions the handbook answered, spread over the year.
func periodStore(t *testing.T) (*data.DB, time.Time) {
	t.Helper()
	ctx := context.Background()
	db, clock := mustOpenDB(t)
	to := time.Date(2026, 11, 23, 0, 0, 0, 0, ticket.Oslo)
	n := 2500
	if testing.Short() {
		n = 800
	}
	if err := datagen.Generate(ctx, db, datagen.Options{N: n, From: to.AddDate(-1, 0, 0), To: to, Seed: 23, Batch: 500}); err != nil {
		t.Fatal(err)
	}
	tickets, _ := allTickets(t, db)
	feedback, handbook := data.NewFeedbackService(db), data.NewHandbookService(db)
	real := clock.Now()
	for i, tk := range tickets {
		if tk.ResolvedAt.IsZero() || !ticket.CanGiveFeedback(tk) {
			continue
		}
		// answers come some hours after the resolution; every seventh ticket answers twice
		clock.Add(tk.ResolvedAt.Add(time.Duration(i%50) * time.Hour).Sub(clock.Now()))
		if err := feedback.SaveFeedback(ctx, &ticket.Feedback{TicketID: tk.ID, Useful: i%4 != 0}); err != nil {
			t.Fatal(err)
		}
		if i%7 == 0 {
			clock.Add(30 * time.Hour)
			if err := feedback.SaveFeedback(ctx, &ticket.Feedback{TicketID: tk.ID, Useful: true}); err != nil {
				t.Fatal(err)
			}
		}
		if i%5 == 0 {
			if err := handbook.RecordSelfHelp(ctx, []string{"kom-i-gang", "bankid"}[i%2]); err != nil {
				t.Fatal(err)
			}
		}
	}
	clock.Add(real.Sub(clock.Now()))
	mustVerify(t, db)
	return db, to
}

// TestPeriodReportMatchesReference compares the report of periods that start and end on any
// day (across a change to summer time, a single day, a quarter) with the slow computation.
func TestPeriodReportMatchesReference(t *testing.T) {
	ctx := context.Background()
	db, _ := periodStore(t)
	tickets, events := allTickets(t, db)
	stats := data.NewStatsService(db)
	for _, p := range [][2]string{{"2026-02-04", "2026-03-17"}, {"2026-03-25", "2026-04-02"}, {"2026-06-10", "2026-06-10"},
		{"2026-04-01", "2026-06-30"}, {"2025-11-20", "2026-11-22"}} {
		f, err := ticket.ParsePeriod(p[0], p[1], "fra", "til")
		if err != nil {
			t.Fatal(err)
		}
		r, err := stats.PeriodReport(ctx, f.From, f.To)
		if err != nil {
			t.Fatal(err)
		}
		if !r.IsPeriod() || !r.From.Equal(f.From) || !r.To.Equal(f.To) {
			t.Errorf("%s–%s: report of %v–%v, period %v", p[0], p[1], r.From, r.To, r.IsPeriod())
		}
		compareReference(t, p[0]+"–"+p[1], r, referencePeriod(f.From, f.To, tickets, events))
	}
	if _, err := stats.PeriodReport(ctx, time.Now().AddDate(1, 0, 0), time.Now().AddDate(1, 0, 7)); ticket.ErrorCode(err) != ticket.EINVALID {
		t.Errorf("a period in the future: got %v, want EINVALID", err)
	}
}

// TestPeriodReportIsSumOfWeeks: the report of eight whole weeks has the counts of its weeks
// added up wherever the definitions add up (each ticket is created once, each referral sent and
// answered once, each first response happens once, each feedback answer and self-help question
// once), its backlog at the ends of the first and last weeks, and medians computed over all the
// times of the period, which are not the median of the weekly medians.
func TestPeriodReportIsSumOfWeeks(t *testing.T) {
	ctx := context.Background()
	db, to := periodStore(t)
	stats := data.NewStatsService(db)
	last := ticket.WeekOf(to).Prev()
	first := last
	for range 7 {
		first = first.Prev()
	}
	p, err := stats.PeriodReport(ctx, first.Start(), last.End())
	if err != nil {
		t.Fatal(err)
	}
	sum := map[string]int{}
	var weeks []*ticket.WeeklyReport
	var medians []float64
	for w := first; !last.Before(w); w = w.Next() {
		r, err := stats.WeeklyReport(ctx, w)
		if err != nil {
			t.Fatal(err)
		}
		weeks = append(weeks, r)
		medians = append(medians, r.FirstResponse.Median)
		for k, v := range additive(r) {
			sum[k] += v
		}
		if r.Resolved > 0 && r.Resolution.Count != r.Resolved {
			t.Errorf("%s: %d resolved, %d measured", w, r.Resolved, r.Resolution.Count)
		}
	}
	got := additive(p)
	for _, k := range sortedIntKeys(sum, got) {
		if got[k] != sum[k] {
			t.Errorf("%s: period %d, sum of weeks %d", k, got[k], sum[k])
		}
	}
	if got["new"] < 200 || got["feedback/useful"] == 0 || got["selfhelp"] == 0 || got["new/tag/nav"] == 0 {
		t.Fatalf("too little to compare: %v", got)
	}
	if p.OpenAtStart != weeks[0].OpenAtStart || p.OpenAtEnd != weeks[len(weeks)-1].OpenAtEnd {
		t.Errorf("backlog %d–%d, weeks %d–%d", p.OpenAtStart, p.OpenAtEnd, weeks[0].OpenAtStart, weeks[len(weeks)-1].OpenAtEnd)
	}
	// Counted once per ticket in the period, once per week in the weeks: never more.
	resolved, reopened := 0, 0
	for _, r := range weeks {
		resolved, reopened = resolved+r.Resolved, reopened+r.Reopened
	}
	if p.Resolved > resolved || p.Reopened > reopened || p.Resolved == 0 {
		t.Errorf("resolved %d (weeks %d), reopened %d (weeks %d)", p.Resolved, resolved, p.Reopened, reopened)
	}
	if mm := ticket.Percentile(medians, 0.5); mm == p.FirstResponse.Median {
		t.Fatalf("the period's median equals the median of the weekly medians (%v): the data cannot tell them apart", mm)
	}
}

// additive are the numbers of a report that add up over weeks.
func additive(r *ticket.WeeklyReport) map[string]int {
	m := map[string]int{"new": r.New, "first_response/count": r.FirstResponse.Count,
		"feedback/useful": r.Feedback.Useful, "feedback/not_useful": r.Feedback.NotUseful, "selfhelp": r.SelfHelp.Total}
	for k, b := range r.ByAgency {
		m["new/"+k], m["first_response/count/"+k] = b.New, b.FirstResponse.Count
	}
	for k, b := range r.ByMunicipality {
		m["new/m"+k] = b.New
	}
	for k, b := range r.ByChannel {
		m["new/ch/"+string(k)] = b.New
	}
	for k, b := range r.ByTopic {
		m["new/topic/"+k] = b.New
	}
	for k, b := range r.ByTag {
		m["new/tag/"+k] = b.New
	}
	for k, s := range r.Referrals {
		m["sent/"+k], m["answered/"+k] = s.Sent, s.Answered
	}
	for k, f := range r.Feedback.ByAgency {
		m["feedback/"+k+"/useful"], m["feedback/"+k+"/not_useful"] = f.Useful, f.NotUseful
	}
	for _, a := range r.SelfHelp.ByArticle {
		m["selfhelp/"+a.Slug] = a.Count
	}
	for k, v := range m {
		if v == 0 {
			delete(m, k)
		}
	}
	return m
}

func sortedIntKeys(ms ...map[string]int) []string {
	var strs []map[string]string
	for _, m := range ms {
		s := map[string]string{}
		for k := range m {
			s[k] = ""
		}
		strs = append(strs, s)
	}
	return sortedKeys(strs...)
}
