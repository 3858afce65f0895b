package data_test

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/data/datagen"
	"github.com/ks-no/digihjelpen/ticket"
)

// referenceReport computes the main numbers of a week the slow way, straight from
// docs/STATISTICS.md: every ticket with its whole event history, no index. It shares only the
// percentile and business-hour arithmetic with the real report (tested on their own in ticket).
func referenceReport(w ticket.Week, tickets []*ticket.Ticket, events map[uint64][]*ticket.Event) map[string]string {
	return referencePeriod(w.Start(), w.End(), tickets, events)
}

// referencePeriod is referenceReport for any period [from, to).
func referencePeriod(from, to time.Time, tickets []*ticket.Ticket, events map[uint64][]*ticket.Event) map[string]string {
	in := func(t time.Time) bool { return !t.Before(from) && t.Before(to) }
	out := map[string]int{}
	var fr, res ticket.DurationSamples
	for _, t := range tickets {
		type tr struct {
			at       time.Time
			resolved bool
		}
		var trs []tr
		active := true
		for _, e := range events[t.ID] {
			if e.Kind != ticket.EventStatus && e.Kind != ticket.EventReopened {
				continue
			}
			f, to := ticket.Status(e.From), ticket.Status(e.To)
			if f.Active() != to.Active() && to.Active() != active {
				trs = append(trs, tr{e.At, !to.Active()})
				active = to.Active()
			}
		}
		activeAt := func(m time.Time) bool {
			if !t.CreatedAt.Before(m) {
				return false
			}
			a := true
			for _, x := range trs {
				if x.at.Before(m) {
					a = !x.resolved
				}
			}
			return a
		}
		topic := t.Category
		if topic == "" {
			topic = ticket.NoTopic
		}
		if in(t.CreatedAt) {
			out["new"]++
			out["new/"+t.Agency]++
			out["new/m"+t.Requester.Municipality.Number]++
			out["new/topic/"+topic]++
			for _, tag := range t.Tags {
				out["new/tag/"+tag]++
			}
			if t.FirstResponseAt.IsZero() || !t.FirstResponseAt.Before(to) {
				out["without_response"]++
			}
		}
		if activeAt(from) {
			out["open_at_start"]++
		}
		if activeAt(to) {
			out["open_at_end"]++
			out["open_at_end/"+t.Agency]++
		}
		if !t.FirstResponseAt.IsZero() && in(t.FirstResponseAt) {
			fr.Add(t.CreatedAt, t.FirstResponseAt)
		}
		var last time.Time
		reopened := false
		for _, x := range trs {
			if in(x.at) && x.resolved {
				last = x.at
			}
			reopened = reopened || (in(x.at) && !x.resolved)
		}
		if !last.IsZero() {
			out["resolved"]++
			out["resolved/"+t.Agency]++
			out["resolved/topic/"+topic]++
			res.Add(t.CreatedAt, last)
			if answered := !t.FirstResponseAt.IsZero() && !t.FirstResponseAt.After(last); answered {
				for _, tag := range t.Tags { // «hull i håndboken», by tag
					out["gap/tag/"+tag+"/answered"]++
					if len(t.Articles) == 0 {
						out["gap/tag/"+tag+"/without"]++
					}
				}
			}
		}
		if reopened {
			out["reopened"]++
		}
		referred := false
		for _, r := range t.Referrals {
			if in(r.SentAt) {
				referred = true
				out["sent/"+r.Agency]++
			}
			if !r.AnsweredAt.IsZero() && in(r.AnsweredAt) {
				out["answered/"+r.Agency]++
			}
		}
		if referred {
			out["referred"]++
		}
	}
	m := map[string]string{"first_response": fmt.Sprint(fr.Stats()), "resolution": fmt.Sprint(res.Stats())}
	for k, v := range out {
		m[k] = fmt.Sprint(v)
	}
	return m
}

// flatten gives the same keys from the real report.
func flatten(r *ticket.WeeklyReport) map[string]string {
	out := map[string]int{"new": r.New, "resolved": r.Resolved, "reopened": r.Reopened, "referred": r.Referred,
		"open_at_start": r.OpenAtStart, "open_at_end": r.OpenAtEnd, "without_response": r.WithoutResponse}
	for k, b := range r.ByAgency {
		out["new/"+k], out["resolved/"+k], out["open_at_end/"+k] = b.New, b.Resolved, b.OpenAtEnd
	}
	for k, b := range r.ByMunicipality {
		out["new/m"+k] = b.New
	}
	for k, b := range r.ByTopic {
		out["new/topic/"+k], out["resolved/topic/"+k] = b.New, b.Resolved
	}
	for k, b := range r.ByTag {
		out["new/tag/"+k] = b.New
	}
	for _, g := range r.HandbookGaps {
		if g.Kind == ticket.GapTag {
			out["gap/tag/"+g.Key+"/answered"], out["gap/tag/"+g.Key+"/without"] = g.Answered, g.WithoutArticle
		}
	}
	for k, s := range r.Referrals {
		out["sent/"+k], out["answered/"+k] = s.Sent, s.Answered
	}
	m := map[string]string{"first_response": fmt.Sprint(r.FirstResponse), "resolution": fmt.Sprint(r.Resolution)}
	for k, v := range out {
		if v != 0 {
			m[k] = fmt.Sprint(v)
		}
	}
	return m
}

// TestWeeklyReportMatchesReference compares the indexed report with the slow computation for
// every week of a generated year (bulk-loaded, so this covers BulkLoad's path as the scenario
// covers the services').
func TestWeeklyReportMatchesReference(t *testing.T) {
	ctx := context.Background()
	db, _ := mustOpenDB(t)
	to := time.Date(2026, 11, 23, 0, 0, 0, 0, ticket.Oslo)
	n := 3000
	if testing.Short() {
		n = 800
	}
	if err := datagen.Generate(ctx, db, datagen.Options{N: n, From: to.AddDate(-1, 0, 0), To: to, Seed: 11, Batch: 500}); err != nil {
		t.Fatal(err)
	}
	mustVerify(t, db)
	tickets, events := allTickets(t, db)
	stats := data.NewStatsService(db)
	weeks := 0
	for w := ticket.WeekOf(to.AddDate(-1, 0, -7)); w.Before(ticket.WeekOf(to)); w = w.Next() {
		r, err := stats.WeeklyReport(ctx, w)
		if err != nil {
			t.Fatal(err)
		}
		compareReference(t, w.String(), r, referenceReport(w, tickets, events))
		weeks++
	}
	if weeks < 52 {
		t.Fatalf("compared %d weeks", weeks)
	}
}

// compareReference compares the report r with the reference numbers want. The gaps in the
// handbook are a top list: a tag the list leaves out must have no more tickets without an
// article than the last one listed.
func compareReference(t *testing.T, label string, r *ticket.WeeklyReport, want map[string]string) {
	t.Helper()
	got := flatten(r)
	least := 0
	if n := len(r.HandbookGaps); n == ticket.HandbookGapCount {
		least = r.HandbookGaps[n-1].WithoutArticle
	}
	for _, k := range sortedKeys(want, got) {
		if _, listed := got[k]; !listed && strings.HasPrefix(k, "gap/") {
			tag := strings.TrimSuffix(strings.TrimSuffix(k, "/answered"), "/without")
			if n, _ := strconv.Atoi(want[tag+"/without"]); n <= least {
				continue
			}
		}
		if got[k] != want[k] {
			t.Errorf("%s %s: got %s, want %s", label, k, got[k], want[k])
		}
	}
}

func allTickets(t *testing.T, db *data.DB) ([]*ticket.Ticket, map[uint64][]*ticket.Event) {
	t.Helper()
	ctx := context.Background()
	var tickets []*ticket.Ticket
	err := data.NewStatsService(db).ExportTickets(ctx, ticket.ExportFilter{From: time.Unix(0, 1), To: time.Now().AddDate(10, 0, 0)},
		func(tk *ticket.Ticket) error { tickets = append(tickets, tk); return nil })
	if err != nil {
		t.Fatal(err)
	}
	events := map[uint64][]*ticket.Event{}
	es := data.NewEventService(db)
	for _, tk := range tickets {
		if events[tk.ID], err = es.FindEvents(ctx, tk.ID); err != nil {
			t.Fatal(err)
		}
	}
	return tickets, events
}

func sortedKeys(ms ...map[string]string) []string {
	var keys []string
	for _, m := range ms {
		for k := range m {
			if !slices.Contains(keys, k) {
				keys = append(keys, k)
			}
		}
	}
	slices.Sort(keys)
	return keys
}

// TestWeeklyTrendMatchesReports checks every point of a year's trend against the week's report.
func TestWeeklyTrendMatchesReports(t *testing.T) {
	ctx := context.Background()
	db, _ := mustOpenDB(t)
	to := time.Date(2026, 11, 23, 0, 0, 0, 0, ticket.Oslo)
	if err := datagen.Generate(ctx, db, datagen.Options{N: 1500, From: to.AddDate(-1, 0, 0), To: to, Seed: 5, Batch: 500}); err != nil {
		t.Fatal(err)
	}
	stats := data.NewStatsService(db)
	last := ticket.WeekOf(to).Prev()
	first := ticket.WeekOf(to.AddDate(-1, 0, -14))
	trend, err := stats.WeeklyTrend(ctx, first, last)
	if err != nil {
		t.Fatal(err)
	}
	if len(trend) < 54 || trend[0].Week != first || trend[len(trend)-1].Week != last {
		t.Fatalf("got %d weeks from %v to %v", len(trend), trend[0].Week, trend[len(trend)-1].Week)
	}
	for _, w := range trend {
		r, err := stats.WeeklyReport(ctx, w.Week)
		if err != nil {
			t.Fatal(err)
		}
		if w.New != r.New || w.FirstResponse != r.FirstResponse || w.Resolution != r.Resolution {
			t.Errorf("%s: trend %d %v %v, report %d %v %v", w.Week, w.New, w.FirstResponse, w.Resolution, r.New, r.FirstResponse, r.Resolution)
		}
		for k, b := range r.ByAgency {
			if w.NewByAgency[k] != b.New {
				t.Errorf("%s %s: trend %d new, report %d", w.Week, k, w.NewByAgency[k], b.New)
			}
		}
	}
	if _, err := stats.WeeklyTrend(ctx, last, first); ticket.ErrorCode(err) != ticket.EINVALID {
		t.Errorf("backwards span: got %v, want EINVALID", err)
	}
}
