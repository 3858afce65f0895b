package main

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// searchBatch is how many tickets one indexing transaction takes: big enough to amortise the
// bitmap rewrites when a backlog is built (after an upgrade or an import), small enough that
// a transaction stays well under a second.
const searchBatch = 2000

// searchInterval is how far the full-text index may lag behind a change.
const searchInterval = time.Second

// startSearchIndexer keeps the full-text index up to date in the background until ctx ends;
// the returned function waits for it to stop.
func startSearchIndexer(ctx context.Context, a *app, log *slog.Logger) (wait func()) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
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
				return
			case <-ticker.C:
			}
		}
	}()
	return wg.Wait
}
