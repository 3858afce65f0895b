package datagen

import (
	"context"
	"time"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/ticket"
)

// BenchTo is the end of the benchmarks' generated span, and their "now": 23 November 2026.
var BenchTo = time.Date(2026, 11, 23, 0, 0, 0, 0, ticket.Oslo)

// OpenBench opens, read-only, a store of n tickets spread over the three years before BenchTo
// under dir (the repository's var/bench), generating it the first time (Cached). Several
// benchmarks, in several packages, share the one file.
func OpenBench(ctx context.Context, dir string, n int) (*data.DB, error) {
	path, err := Cached(ctx, dir, Options{N: n, From: BenchTo.AddDate(-3, 0, 0), To: BenchTo, Seed: 1})
	if err != nil {
		return nil, err
	}
	db := &data.DB{Path: path, Now: func() time.Time { return BenchTo }, ReadOnly: true}
	if err := db.Open(); err != nil {
		return nil, err
	}
	return db, nil
}
