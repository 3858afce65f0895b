package main

import (
	"context"
	"log/slog"
	"testing"
	"time"
)

// startJobs wires jobs as serve does (wire calls the add functions) and starts them. The
// returned stop cancels them and waits until every one has returned; calling it more than once
// is fine.
func startJobs(t *testing.T, wire func(jobs *jobRunner) error) (stop func()) {
	t.Helper()
	jobs := newJobRunner(slog.New(slog.DiscardHandler))
	if err := wire(jobs); err != nil {
		t.Fatal(err)
	}
	jobs.Start(context.Background())
	stop = func() {
		ctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
		defer cancel()
		if err := jobs.Stop(ctx); err != nil {
			t.Error(err)
		}
	}
	t.Cleanup(stop)
	return stop
}

// within fails the test when f takes longer than limit, and reports how long it took.
func within(t *testing.T, limit time.Duration, what string, f func()) time.Duration {
	t.Helper()
	began := time.Now()
	f()
	took := time.Since(began)
	if took > limit {
		t.Errorf("%s took %v, want at most %v", what, took, limit)
	}
	return took
}
