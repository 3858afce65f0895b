package data_test

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/data/datagen"
)

// BenchmarkRetentionOn100k anonymises, in a copy of the 100k-ticket year (datagen.YearOf100k),
// every ticket closed in its first half, as the daily job would on its first run with a period of
// half a year, and then overwrites the pages that freed. It reports the tickets and seconds of
// each part and the bytes overwritten. One run is enough: go test -run '^$' -bench RetentionOn100k
// -benchtime 1x ./data/
func BenchmarkRetentionOn100k(b *testing.B) {
	if testing.Short() {
		b.Skip("generates (once) and copies a 600 MB file")
	}
	ctx := context.Background()
	src, err := datagen.Cached(ctx, filepath.Join("..", "var", "bench"), datagen.YearOf100k)
	if err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	for range b.N { // each run needs a fresh copy, made with the timer stopped (b.Loop cannot)
		path := filepath.Join(b.TempDir(), "year.db")
		copyFile(b, src, path)
		db := data.NewDB(path)
		db.Now = func() time.Time { return datagen.YearOf100k.To }
		if err := db.Open(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		run, err := data.NewRetentionService(db).AnonymiseClosedBefore(ctx, datagen.YearOf100k.From.AddDate(0, 6, 0))
		if err != nil {
			b.Fatal(err)
		}
		total := time.Since(start)
		start = time.Now()
		again, err := db.ScrubFreePages(ctx)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(run.Anonymised), "tickets")
		b.ReportMetric(total.Seconds(), "s-anonymise+scrub")
		b.ReportMetric(float64(run.Overwritten)/(1<<20), "MB-overwritten")
		b.ReportMetric(time.Since(start).Seconds(), "s-scrub-alone")
		b.ReportMetric(float64(again)/(1<<20), "MB-scrub-alone")
		b.StopTimer()
		db.Close()
	}
}

func copyFile(b *testing.B, from, to string) {
	in, err := os.Open(from)
	if err != nil {
		b.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		b.Fatal(err)
	}
	if err := out.Close(); err != nil {
		b.Fatal(err)
	}
}
