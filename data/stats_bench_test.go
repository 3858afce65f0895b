package data_test

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

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

// BenchmarkPeriodReport1M is the period report (issue 16) over the same store: a quarter that
// starts and ends mid-week, and a whole year, each with the period before it as the page and
// the API read them.
func BenchmarkPeriodReport1M(b *testing.B) {
	stats := data.NewStatsService(openBench(b))
	ctx := context.Background()
	for _, p := range []struct {
		name     string
		from, to string
	}{{"quarter", "2026-05-13", "2026-08-11"}, {"year", "2025-11-01", "2026-10-31"}} {
		f, err := ticket.ParsePeriod(p.from, p.to, "fra", "til")
		if err != nil {
			b.Fatal(err)
		}
		before := f.Previous()
		b.Run(p.name, func(b *testing.B) {
			for b.Loop() {
				r, err := stats.PeriodReport(ctx, f.From, f.To)
				if err != nil || r.New == 0 {
					b.Fatalf("%v %v", r, err)
				}
				if _, err := stats.PeriodReport(ctx, before.From, before.To); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkWeeklyTrend1M is the charts of the statistics page: 52 weeks.
func BenchmarkWeeklyTrend1M(b *testing.B) {
	db := openBench(b)
	to := ticket.WeekOf(datagen.BenchTo).Prev()
	from := to
	for range 51 {
		from = from.Prev()
	}
	ctx := context.Background()
	// cold: a service that has computed nothing yet (the first page after a start)
	b.Run("cold", func(b *testing.B) {
		for b.Loop() {
			if _, err := data.NewStatsService(db).WeeklyTrend(ctx, from, to); err != nil {
				b.Fatal(err)
			}
		}
	})
	// one week new: 51 weeks cached and one to compute, as after a change in the current week
	// (here the window moves back a week each time, so one week is always new)
	b.Run("one-week", func(b *testing.B) {
		stats := data.NewStatsService(db)
		f, t := from, to
		if _, err := stats.WeeklyTrend(ctx, f, t); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			f, t = f.Prev(), t.Prev()
			if _, err := stats.WeeklyTrend(ctx, f, t); err != nil {
				b.Fatal(err)
			}
		}
	})
	// warm: nothing changed since the last page
	b.Run("warm", func(b *testing.B) {
		stats := data.NewStatsService(db)
		if _, err := stats.WeeklyTrend(ctx, from, to); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			if _, err := stats.WeeklyTrend(ctx, from, to); err != nil {
				b.Fatal(err)
			}
		}
	})
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

// BenchmarkMigrateStats1M measures the migration that builds the statistics of an existing file
// (schema 2 → 3) at a million tickets: a copy of the shared store, stripped of them, is opened
// read-write. It reports the peak heap of the one migration transaction.
func BenchmarkMigrateStats1M(b *testing.B) {
	src := openBench(b)
	src.Close()
	for b.Loop() {
		b.StopTimer()
		path := filepath.Join(filepath.Dir(src.Path), "migrate-1M.db")
		if err := stripStats(src.Path, path); err != nil {
			b.Fatal(err)
		}
		db := data.NewDB(path)
		b.StartTimer()
		peak := datagen.PeakHeap(func() {
			if err := db.Open(); err != nil {
				b.Fatal(err)
			}
		})
		b.StopTimer()
		b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
		r, err := data.NewStatsService(db).WeeklyReport(context.Background(), ticket.WeekOf(datagen.BenchTo).Prev())
		if err != nil || r.New == 0 {
			b.Fatalf("report after migration: %v %v", r, err)
		}
		db.Close()
		os.Remove(path)
		b.StartTimer()
	}
}

// stripStats copies the file at src to dst as a schema-2 file without statistics.
func stripStats(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	raw, err := bolt.Open(dst, 0o600, nil)
	if err != nil {
		return err
	}
	defer raw.Close()
	return raw.Update(func(tx *bolt.Tx) error {
		for _, name := range []string{"stats_tickets", "idx_stats_facts", "stats_counts", "stats_names", "stats_mail"} {
			if err := tx.DeleteBucket([]byte(name)); err != nil {
				return err
			}
		}
		return tx.Bucket([]byte("meta")).Put([]byte("schema_version"), []byte{0, 0, 0, 0, 0, 0, 0, 2}) // before the statistics (2 -> 3)
	})
}
