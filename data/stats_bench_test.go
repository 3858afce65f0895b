package data_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/data/datagen"
	"github.com/ks-no/digihjelpen/ticket"
)

// benchTo is the end of the generated span (and "now" for the benchmarks): three years of
// tickets before 23 November 2026.
var benchTo = time.Date(2026, 11, 23, 0, 0, 0, 0, ticket.Oslo)

// openBench opens (generating the first time, about two minutes per million) a read-only store
// of n tickets over three years under the repository's var/bench.
func openBench(b *testing.B, n int) *data.DB {
	b.Helper()
	path, err := datagen.Cached(context.Background(), filepath.Join("..", "var", "bench"),
		datagen.Options{N: n, From: benchTo.AddDate(-3, 0, 0), To: benchTo, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	db := &data.DB{Path: path, Now: func() time.Time { return benchTo }, ReadOnly: true}
	if err := db.Open(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

// BenchmarkWeeklyReport1M is the budget of issue 7: the report of one week over a store of one
// million tickets spread over three years (≤ 500 ms).
func BenchmarkWeeklyReport1M(b *testing.B) {
	stats := data.NewStatsService(openBench(b, 1_000_000))
	w := ticket.WeekOf(benchTo).Prev()
	ctx := context.Background()
	for b.Loop() {
		r, err := stats.WeeklyReport(ctx, w)
		if err != nil || r.New == 0 {
			b.Fatalf("%v %v", r, err)
		}
	}
}

// BenchmarkWeeklyTrend1M is the charts of the statistics page: 52 weeks.
func BenchmarkWeeklyTrend1M(b *testing.B) {
	stats := data.NewStatsService(openBench(b, 1_000_000))
	to := ticket.WeekOf(benchTo).Prev()
	from := to
	for range 51 {
		from = from.Prev()
	}
	ctx := context.Background()
	for b.Loop() {
		if _, err := stats.WeeklyTrend(ctx, from, to); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkExportTickets1M streams every ticket of the store and reports the peak heap in use,
// which must not grow with the number of rows (compare -bench 'ExportTickets').
func BenchmarkExportTickets1M(b *testing.B) {
	benchExport(b, openBench(b, 1_000_000), benchTo.AddDate(-3, 0, 0))
}

// BenchmarkExportTicketsWeek1M streams one week of the same store, for comparison.
func BenchmarkExportTicketsWeek1M(b *testing.B) {
	benchExport(b, openBench(b, 1_000_000), benchTo.AddDate(0, 0, -7))
}

func benchExport(b *testing.B, db *data.DB, from time.Time) {
	stats := data.NewStatsService(db)
	ctx := context.Background()
	for b.Loop() {
		var rows int
		peak := datagen.PeakHeap(func() {
			err := stats.ExportTickets(ctx, ticket.ExportFilter{From: from, To: benchTo}, func(*ticket.Ticket) error {
				rows++
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
		})
		b.ReportMetric(float64(rows), "rows")
		b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
	}
}
