package datagen

import (
	"context"
	"time"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/ticket"
)

// OpenCached returns the database with opt's tickets under dir (generated the first time, see
// Cached), opened read-only so benchmarks in several packages can share it. Close it after.
func OpenCached(ctx context.Context, dir string, opt Options) (*data.DB, error) {
	path, err := Cached(ctx, dir, opt)
	if err != nil {
		return nil, err
	}
	db := &data.DB{Path: path, Now: time.Now, ReadOnly: true}
	if err := db.Open(); err != nil {
		return nil, err
	}
	return db, nil
}

// YearOf100k is a year of questions (1 November 2025 to 1 November 2026), 100,000 tickets: the
// size the routing and referral benchmarks use.
var YearOf100k = Options{N: 100_000, From: time.Date(2025, 11, 1, 0, 0, 0, 0, ticket.Oslo), To: time.Date(2026, 11, 1, 0, 0, 0, 0, ticket.Oslo), Seed: 1}
