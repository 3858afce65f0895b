package web_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/data/datagen"
	"github.com/ks-no/digihjelpen/ticket"
)

// benchTickets is the size of the generated database (BENCH_TICKETS overrides, e.g. 100000
// for a quicker run).
func benchTickets() int {
	if n, err := strconv.Atoi(os.Getenv("BENCH_TICKETS")); err == nil && n > 0 {
		return n
	}
	return 1_000_000
}

// benchDB returns a read-only database of generated tickets with its search index built,
// shared between runs under var/bench.
func benchDB(b *testing.B) *data.DB {
	b.Helper()
	ctx := context.Background()
	to := time.Date(2026, 11, 23, 0, 0, 0, 0, ticket.Oslo)
	path, err := datagen.Cached(ctx, filepath.Join("..", "var", "bench"), datagen.Options{N: benchTickets(), From: to.AddDate(-3, 0, 0), To: to, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	if err := buildSearchIndex(ctx, path); err != nil {
		b.Fatal(err)
	}
	db := &data.DB{Path: path, Now: func() time.Time { return to }, ReadOnly: true}
	if err := db.Open(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

// buildSearchIndex drains the search queue of a generated file once (the first run).
func buildSearchIndex(ctx context.Context, path string) error {
	db := data.NewDB(path)
	if err := db.Open(); err != nil {
		return err
	}
	defer db.Close()
	for {
		n, err := db.IndexSearch(ctx, 5000)
		if err != nil || n < 5000 {
			return err
		}
	}
}

// BenchmarkBenchDB only builds the shared file (run it first, alone).
func BenchmarkBenchDB(b *testing.B) {
	start := time.Now()
	benchDB(b)
	b.ReportMetric(time.Since(start).Seconds(), "s-setup")
}
