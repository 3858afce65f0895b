package main

import (
	"context"
	"log/slog"
	"time"
)

// searchBatch is how many tickets one indexing transaction takes: big enough to amortise the
// bitmap rewrites when a backlog is built (after an upgrade or an import), small enough that
// a transaction stays well under a second.
const searchBatch = 2000

// searchInterval is how far the full-text index may lag behind a change.
const searchInterval = time.Second

// addSearchIndexer adds to jobs the loop that keeps the full-text index up to date.
func addSearchIndexer(jobs *jobRunner, a *app, log *slog.Logger) {
	jobs.Add("search-index", func(ctx context.Context) error {
		ticker := time.NewTicker(searchInterval)
		defer ticker.Stop()
		for {
			n, err := a.db.IndexSearch(ctx, searchBatch)
			if err != nil && ctx.Err() == nil {
				log.Error("search index", "err", err)
			}
			if n == searchBatch && err == nil {
				continue // more waiting: go on at once
			}
			select {
			case <-ctx.Done():
				return nil
			case <-ticker.C:
			}
		}
	})
}
