package data_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/data/datagen"
	"github.com/ks-no/digihjelpen/ticket"
)

// The answers below were worked out by hand from docs/STATISTICS.md for the tickets of
// datagen.Scenario (T0 … T12, see its comments); times are Oslo time.

func scenarioReport(t *testing.T, w ticket.Week) *ticket.WeeklyReport {
	t.Helper()
	db, _ := mustOpenDB(t)
	ctx := context.Background()
	if err := datagen.Scenario(ctx, db); err != nil {
		t.Fatal(err)
	}
	mustVerify(t, db)
	db.Now = func() time.Time { return time.Date(2026, 4, 20, 12, 0, 0, 0, ticket.Oslo) }
	r, err := data.NewStatsService(db).WeeklyReport(ctx, w)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

type checker struct{ t *testing.T }

func (c checker) eq(name string, got, want any) {
	c.t.Helper()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		c.t.Errorf("%s: got %v, want %v", name, got, want)
	}
}

// counts compares New, Resolved, Referred, Reopened of every breakdown in m with want, which
// must name every key of m.
func (c checker) counts(name string, m map[string]*ticket.Breakdown, want map[string][4]int) {
	c.t.Helper()
	for k, w := range want {
		b := m[k]
		if b == nil {
			c.t.Errorf("%s[%s]: missing", name, k)
			continue
		}
		c.eq(name+"["+k+"] new,resolved,referred,reopened", [4]int{b.New, b.Resolved, b.Referred, b.Reopened}, w)
	}
	for k := range m {
		if _, ok := want[k]; !ok {
			c.t.Errorf("%s[%s]: unexpected", name, k)
		}
	}
}

func (c checker) hours(name string, got ticket.DurationStats, count int, median, p90, bMedian, bP90 float64) {
	c.t.Helper()
	c.eq(name, got, ticket.DurationStats{Count: count, Median: median, P90: p90, BusinessMedian: bMedian, BusinessP90: bP90})
}

func TestScenarioWeekReport(t *testing.T) {
	r := scenarioReport(t, datagen.ScenarioWeek)
	c := checker{t}
	c.eq("from", r.From.Format(time.RFC3339), "2026-03-23T00:00:00+01:00")
	c.eq("to", r.To.Format(time.RFC3339), "2026-03-30T00:00:00+02:00")
	// new: T2 T3 T4 T5 T6 T7 T11 (T8 at Monday 00:00 is the next week)
	c.eq("new", r.New, 7)
	// resolved: T1, T2 (twice, once counted), T3, T6 (spam), T10; T10's løst→lukket is no resolution
	c.eq("resolved", r.Resolved, 5)
	c.eq("referred", r.Referred, 2)                                 // T3, T4
	c.eq("reopened", r.Reopened, 3)                                 // T2 (requester), T9 (requester), T10 (staff)
	c.eq("open at start", r.OpenAtStart, 3)                         // T0, T1, T12
	c.eq("open at end", r.OpenAtEnd, 7)                             // T0 T4 T5 T7 T9 T11 T12
	c.eq("without response", r.WithoutResponse, 4)                  // T5, T6, T7 (answered Monday after), T11
	c.eq("resolved without response", r.ResolvedWithoutResponse, 1) // T6

	// first responses in the week: T1 66 h/2 h, T2 1.5/1.5, T3 2/2 (the referral), T4 13/1
	c.hours("first response", r.FirstResponse, 4, 7.5, 50.1, 1.75, 2)
	// resolutions: T1 69/5, T2 77.5/29.5 (the last one), T3 68/20, T6 1.5/0 (over the DST
	// change: 2.5 h on the wall clock, 1.5 h elapsed), T10 145/33
	c.hours("resolution", r.Resolution, 5, 69, 118, 20, 31.6)

	c.counts("by agency", r.ByAgency, map[string][4]int{
		"ks":           {5, 2, 0, 2}, // new T2 T4 T5 T6 T11; resolved T2 T6; reopened T2 T9
		"nav":          {1, 2, 1, 1}, // new T7; resolved T1 T10 (re-routed); referred T4 (a KS ticket); reopened T10
		"skatteetaten": {1, 1, 1, 0}, // T3
	})
	c.eq("open at end by agency", [3]int{r.ByAgency["ks"].OpenAtEnd, r.ByAgency["nav"].OpenAtEnd, r.ByAgency["skatteetaten"].OpenAtEnd}, [3]int{5, 1, 1})
	c.hours("nav first response", r.ByAgency["nav"].FirstResponse, 1, 66, 66, 2, 2)
	c.hours("ks first response", r.ByAgency["ks"].FirstResponse, 2, 7.25, 11.85, 1.25, 1.45)
	c.hours("skatteetaten first response", r.ByAgency["skatteetaten"].FirstResponse, 1, 2, 2, 2, 2)
	c.hours("ks resolution", r.ByAgency["ks"].Resolution, 2, 39.5, 69.9, 14.75, 26.55)
	c.hours("nav resolution", r.ByAgency["nav"].Resolution, 2, 107, 137.4, 19, 30.2)
	c.hours("skatteetaten resolution", r.ByAgency["skatteetaten"].Resolution, 1, 68, 68, 20, 20)

	channels := map[string]*ticket.Breakdown{}
	for k, b := range r.ByChannel {
		channels[string(k)] = b
	}
	c.counts("by channel", channels, map[string][4]int{
		"email": {5, 2, 1, 3}, // new T2 T4 T5 T7 T11; resolved T2 T10; referred T4; reopened T2 T9 T10
		"web":   {2, 3, 1, 0}, // new T3 T6; resolved T1 T3 T6; referred T3
	})
	c.counts("by municipality", r.ByMunicipality, map[string][4]int{
		"3405":   {3, 3, 0, 2}, // new T2 T6 T11 (corrected); resolved T2 T6 T10; reopened T2 T10
		"4601":   {2, 1, 1, 0}, // new T3 T7; resolved T3; referred T3
		"0301":   {1, 1, 1, 1}, // new T4; resolved T1; referred T4; reopened T9
		"ukjent": {1, 0, 0, 0}, // T5
	})
	c.counts("by county", r.ByCounty, map[string][4]int{
		"34": {3, 3, 0, 2}, "46": {2, 1, 1, 0}, "03": {1, 1, 1, 1}, "ukjent": {1, 0, 0, 0},
	})
	c.eq("names", []string{r.ByMunicipality["3405"].Name, r.ByMunicipality["ukjent"].Name, r.ByCounty["46"].Name},
		[]string{"Lillehammer", "Ukjent kommune", "Vestland"})
	var top []string
	for _, b := range r.TopMunicipalities {
		top = append(top, fmt.Sprintf("%s:%d", b.Key, b.New))
	}
	c.eq("top municipalities", top, []string{"3405:3", "4601:2", "0301:1"})

	if len(r.Referrals) != 2 {
		t.Errorf("referral agencies: got %d, want 2", len(r.Referrals))
	}
	sk, nav := r.Referrals["skatteetaten"], r.Referrals["nav"]
	if sk == nil || nav == nil {
		t.Fatalf("referrals: %v", r.Referrals)
	}
	// skatteetaten: sent T3; answered T3 (43 h/11 h) and T12 (sent the week before, 167 h/39 h)
	c.eq("skatteetaten referrals sent,answered,of sent,open", [4]int{sk.Sent, sk.Answered, sk.AnsweredOfSent, sk.OpenAtEnd}, [4]int{1, 2, 1, 0})
	c.hours("skatteetaten answers", sk.AnswerHours, 2, 105, 154.6, 25, 36.2)
	// nav: T4 sent on Thursday, answered the week after
	c.eq("nav referrals sent,answered,of sent,open", [4]int{nav.Sent, nav.Answered, nav.AnsweredOfSent, nav.OpenAtEnd}, [4]int{1, 0, 0, 1})
	c.eq("nav answers", nav.AnswerHours.Count, 0)
}

// TestScenarioEasterWeek checks the week after: Easter holidays and times that started before
// the clocks went forward.
func TestScenarioEasterWeek(t *testing.T) {
	r := scenarioReport(t, datagen.ScenarioWeek.Next())
	c := checker{t}
	c.eq("week", r.Week.String(), "2026-W14")
	c.eq("new", r.New, 1) // T8, created on the stroke of Monday 00:00
	c.eq("resolved, referred, reopened", [3]int{r.Resolved, r.Referred, r.Reopened}, [3]int{0, 0, 0})
	c.eq("open at start, end", [2]int{r.OpenAtStart, r.OpenAtEnd}, [2]int{7, 8})
	c.eq("without response", r.WithoutResponse, 1) // T8
	// T7 Sunday 23:30 → Monday 08:15: 8.75 h, 0.25 business hours; T5 Saturday 22:00 CET →
	// Wednesday 15:00 CEST: 88 h elapsed, 23 business hours (Monday, Tuesday, Wednesday to 15)
	c.hours("first response", r.FirstResponse, 2, 48.38, 80.08, 11.63, 20.73)
	// T4's referral to NAV, Thursday 09:00 → Tuesday 10:00 over the DST change: 120 h, 25 h
	nav := r.Referrals["nav"]
	if nav == nil {
		t.Fatal("no NAV referral figures")
	}
	c.eq("nav referrals sent,answered,of sent,open", [4]int{nav.Sent, nav.Answered, nav.AnsweredOfSent, nav.OpenAtEnd}, [4]int{0, 1, 0, 0})
	c.hours("nav answers", nav.AnswerHours, 1, 120, 120, 25, 25)
}

func TestWeeklyReportFutureWeek(t *testing.T) {
	db, _ := mustOpenDB(t) // the clock says 2026-11-23
	_, err := data.NewStatsService(db).WeeklyReport(context.Background(), ticket.Week{Year: 2026, Week: 49})
	if ticket.ErrorCode(err) != ticket.EINVALID {
		t.Fatalf("got %v, want EINVALID", err)
	}
}
