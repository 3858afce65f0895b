package main

import (
	"context"
	"errors"
	"log/slog"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestJobRunnerStopsEveryJobWithinASecond runs one job of every shape serve's loops have (a
// ticker, a long timer, one blocked on its context, one busy, one in its back-off after a
// failure, one after a panic) and stops them: all return within a second and no goroutine is
// left.
func TestJobRunnerStopsEveryJobWithinASecond(t *testing.T) {
	before := runtime.NumGoroutine()
	r := newJobRunner(slog.New(slog.DiscardHandler))
	r.minBackoff, r.maxBackoff = time.Hour, time.Hour // the failing jobs wait in their back-off
	started := make(chan string, 10)
	r.Add("ticker", func(ctx context.Context) error {
		started <- "ticker"
		tk := time.NewTicker(10 * time.Millisecond)
		defer tk.Stop()
		for {
			select {
			case <-ctx.Done():
				return nil
			case <-tk.C:
			}
		}
	})
	r.Add("timer", func(ctx context.Context) error {
		started <- "timer"
		tm := time.NewTimer(time.Hour)
		defer tm.Stop()
		select {
		case <-ctx.Done():
		case <-tm.C:
		}
		return nil
	})
	r.Add("blocked", func(ctx context.Context) error { started <- "blocked"; <-ctx.Done(); return ctx.Err() })
	r.Add("busy", func(ctx context.Context) error {
		started <- "busy"
		for ctx.Err() == nil {
			runtime.Gosched()
		}
		return nil
	})
	r.Add("failing", func(ctx context.Context) error { started <- "failing"; return errors.New("smtp: connection refused") })
	r.Add("panicking", func(ctx context.Context) error { started <- "panicking"; panic("nil map") })
	r.Start(context.Background())
	var names []string
	for range 6 {
		select {
		case n := <-started:
			names = append(names, n)
		case <-time.After(5 * time.Second):
			t.Fatalf("only %v started", names)
		}
	}
	time.Sleep(20 * time.Millisecond) // let the failing ones reach their back-off
	if got := r.Running(); len(got) != 6 {
		t.Fatalf("running %v, want all six", got)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	took := within(t, time.Second, "stopping six jobs", func() {
		if err := r.Stop(ctx); err != nil {
			t.Error(err)
		}
	})
	t.Logf("six jobs stopped in %v", took)
	if got := r.Running(); len(got) != 0 {
		t.Errorf("still running after Stop: %v", got)
	}
	for deadline := time.Now().Add(time.Second); runtime.NumGoroutine() > before; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d goroutines after Stop, %d before Start", runtime.NumGoroutine(), before)
		}
	}
}

// TestJobRunnerRestartsAfterPanicOrFailure: a job that panics or gives up is logged with its
// name (and the stack of a panic) and runs again after the back-off, while the other jobs go
// on; the server does not stop.
func TestJobRunnerRestartsAfterPanicOrFailure(t *testing.T) {
	tests := []struct {
		name     string
		fail     func() error
		wantLogs []string
	}{
		{"panic", func() error { var m map[string]int; m["x"]++; return nil },
			[]string{"panic in background job", "job=flaky", "assignment to entry in nil map", "stack=", "jobs_test.go", "starting it again"}},
		{"error", func() error { return errors.New("imap: connection refused") },
			[]string{"background job failed; starting it again", "job=flaky", "imap: connection refused", "retry_in=20ms"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs syncBuffer
			r := newJobRunner(newLogger(&logs, "info"))
			r.minBackoff = 20 * time.Millisecond
			var runs, ticks atomic.Int32
			again := make(chan time.Time, 1)
			var failedAt atomic.Int64
			r.Add("flaky", func(ctx context.Context) error {
				if runs.Add(1) == 1 {
					failedAt.Store(time.Now().UnixNano())
					return tt.fail()
				}
				again <- time.Now()
				<-ctx.Done()
				return nil
			})
			r.Add("steady", func(ctx context.Context) error {
				for ctx.Err() == nil {
					ticks.Add(1)
					time.Sleep(time.Millisecond)
				}
				return nil
			})
			r.Start(context.Background())
			defer r.Stop(context.Background())
			select {
			case at := <-again:
				if wait := at.Sub(time.Unix(0, failedAt.Load())); wait < r.minBackoff {
					t.Errorf("started again after %v, want the back-off of %v first", wait, r.minBackoff)
				}
			case <-time.After(5 * time.Second):
				t.Fatalf("the job did not run again:\n%s", logs.String())
			}
			before := ticks.Load()
			time.Sleep(20 * time.Millisecond)
			if ticks.Load() == before {
				t.Error("the other job stopped when this one failed")
			}
			for _, want := range tt.wantLogs {
				if !strings.Contains(logs.String(), want) {
					t.Errorf("log lacks %q:\n%s", want, logs.String())
				}
			}
			if got := r.Running(); !slices.Equal(got, []string{"flaky", "steady"}) {
				t.Errorf("running %v, want both", got)
			}
		})
	}
}

// TestJobRunnerStartsNothingBeforeStart: Add only registers, so wiring can go on after a loop
// is added and before any runs; Start starts them all; after Stop nothing starts.
func TestJobRunnerStartsNothingBeforeStart(t *testing.T) {
	r := newJobRunner(slog.New(slog.DiscardHandler))
	var ran atomic.Bool
	r.Add("early", func(ctx context.Context) error { ran.Store(true); <-ctx.Done(); return nil })
	time.Sleep(20 * time.Millisecond)
	if ran.Load() || len(r.Running()) != 0 {
		t.Fatal("a job ran before Start")
	}
	r.Start(context.Background())
	for deadline := time.Now().Add(5 * time.Second); !ran.Load(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("Start did not start the job added before it")
		}
	}
	late := make(chan struct{})
	r.Add("late", func(ctx context.Context) error { close(late); <-ctx.Done(); return nil })
	select {
	case <-late:
	case <-time.After(5 * time.Second):
		t.Fatal("a job added after Start did not start")
	}
	if err := r.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	r.Add("after-stop", func(ctx context.Context) error { t.Error("a job added after Stop ran"); return nil })
	r.Start(context.Background())
	time.Sleep(20 * time.Millisecond)
}

// TestJobRunnerStopNamesLateJobs: a job that ignores its context is named when the deadline
// passes, and Stop returns then instead of hanging.
func TestJobRunnerStopNamesLateJobs(t *testing.T) {
	var logs syncBuffer
	r := newJobRunner(newLogger(&logs, "info"))
	release := make(chan struct{})
	defer close(release)
	r.Add("stubborn", func(ctx context.Context) error { <-release; return nil })
	r.Add("polite", func(ctx context.Context) error { <-ctx.Done(); return nil })
	r.Start(context.Background())
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	err := r.Stop(ctx)
	if err == nil || !strings.Contains(err.Error(), "stubborn") || strings.Contains(err.Error(), "polite") {
		t.Fatalf("got %v, want the stubborn job named", err)
	}
	if !strings.Contains(logs.String(), "jobs=stubborn") {
		t.Errorf("log %s", logs.String())
	}
}

// TestJobRunnerStopAfterTheDeadline: jobs that have all returned are not reported late when
// the deadline has passed too (the web server's shutdown may use up the grace period first).
func TestJobRunnerStopAfterTheDeadline(t *testing.T) {
	for range 20 { // select picks at random among ready cases
		r := newJobRunner(slog.New(slog.DiscardHandler))
		ctx, cancel := context.WithCancel(context.Background())
		r.Add("quick", func(ctx context.Context) error { <-ctx.Done(); return nil })
		r.Start(ctx)
		cancel()
		for len(r.Running()) > 0 {
			time.Sleep(time.Millisecond)
		}
		if err := r.Stop(ctx); err != nil {
			t.Fatalf("every job had returned, got %v", err)
		}
	}
}
