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

// openBench opens the shared store of a million tickets over three years (datagen.OpenBench).
func openBench(b *testing.B) *data.DB {
	b.Helper()
	db, err := datagen.OpenBench(context.Background(), filepath.Join("..", "var", "bench"), 1_000_000)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

// BenchmarkWeeklyReport1M is the budget of issue 7: the report of one week over a store of one
// million tickets spread over three years (≤ 500 ms).
func BenchmarkWeeklyReport1M(b *testing.B) {
	stats := data.NewStatsService(openBench(b))
	w := ticket.WeekOf(datagen.BenchTo).Prev()
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
	stats := data.NewStatsService(openBench(b))
	to := ticket.WeekOf(datagen.BenchTo).Prev()
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
	benchExport(b, openBench(b), datagen.BenchTo.AddDate(-3, 0, 0))
}

// BenchmarkExportTicketsWeek1M streams one week of the same store, for comparison.
func BenchmarkExportTicketsWeek1M(b *testing.B) {
	benchExport(b, openBench(b), datagen.BenchTo.AddDate(0, 0, -7))
}

func benchExport(b *testing.B, db *data.DB, from time.Time) {
	stats := data.NewStatsService(db)
	ctx := context.Background()
	for b.Loop() {
		var rows int
		peak := datagen.PeakHeap(func() {
			err := stats.ExportTickets(ctx, ticket.ExportFilter{From: from, To: datagen.BenchTo}, func(*ticket.Ticket) error {
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
