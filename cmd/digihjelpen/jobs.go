package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"time"
)

// jobFunc is a background loop of serve: it runs until ctx ends and then returns nil. An error
// returned before that means it gave up; the runner logs it and starts it again.
type jobFunc func(ctx context.Context) error

// Restarts after a panic or a failure wait this long, doubling up to the maximum; a run that
// lasted longer than the maximum starts the wait over.
const (
	jobMinBackoff = time.Second
	jobMaxBackoff = time.Minute
)

// jobRunner runs serve's background loops one way. Wiring adds every job (Add) while nothing
// runs yet; Start starts them all at once, so each job sees the app fully wired (hooks such as
// DB.MailQueued set before any goroutine can read them). Stop cancels them and waits. A job
// that panics or fails is logged with its name and started again after a back-off: one broken
// loop neither stops the server nor silently stops working.
type jobRunner struct {
	log                    *slog.Logger
	minBackoff, maxBackoff time.Duration

	mu      sync.Mutex
	stopped bool
	pending []namedJob
	running map[string]int // jobs started and not yet returned for good, by name
	ctx     context.Context
	cancel  context.CancelFunc
	wg      sync.WaitGroup
}

type namedJob struct {
	name string
	run  jobFunc
}

func newJobRunner(log *slog.Logger) *jobRunner {
	return &jobRunner{log: log, minBackoff: jobMinBackoff, maxBackoff: jobMaxBackoff, running: map[string]int{}}
}

// Add registers run under name (a short kebab-case name; it is the "job" key of every log
// line about it). Before Start it only registers; after Start it starts run at once, but serve
// adds every job before Start so that everything a job reads is wired first.
func (r *jobRunner) Add(name string, run jobFunc) {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch {
	case r.stopped:
		r.log.Warn("background job added after stop; not started", "job", name)
	case r.ctx == nil:
		r.pending = append(r.pending, namedJob{name, run})
	default:
		r.goLocked(namedJob{name, run})
	}
}

// Start starts every job added so far, each in a goroutine of its own, with a context that
// ends when ctx ends or Stop is called. Start runs once; later calls do nothing.
func (r *jobRunner) Start(ctx context.Context) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.ctx != nil || r.stopped {
		return
	}
	r.ctx, r.cancel = context.WithCancel(ctx)
	for _, j := range r.pending {
		r.goLocked(j)
	}
	r.pending = nil
}

func (r *jobRunner) goLocked(j namedJob) {
	r.running[j.name]++
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		r.keepRunning(r.ctx, j)
		r.mu.Lock()
		r.running[j.name]--
		if r.running[j.name] == 0 {
			delete(r.running, j.name)
		}
		r.mu.Unlock()
	}()
}

// Stop cancels every job and waits until all have returned or ctx ends. Then it returns an
// error naming the jobs still running (they are left to the process exit). Stop before Start
// drops the jobs added; Add and Start after Stop start nothing.
func (r *jobRunner) Stop(ctx context.Context) error {
	r.mu.Lock()
	r.stopped = true
	r.pending = nil
	if r.cancel != nil {
		r.cancel()
	}
	r.mu.Unlock()
	done := make(chan struct{})
	go func() {
		r.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
	}
	late := r.Running()
	if len(late) == 0 { // all returned as the deadline passed
		return nil
	}
	r.log.Error("background jobs did not stop in time", "jobs", strings.Join(late, ","))
	return fmt.Errorf("background jobs did not stop in time: %s", strings.Join(late, ", "))
}

// Running returns the names of the jobs that have started and not yet returned for good.
func (r *jobRunner) Running() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	names := make([]string, 0, len(r.running))
	for name := range r.running {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// keepRunning runs j until ctx ends, starting it again after a panic or an error.
func (r *jobRunner) keepRunning(ctx context.Context, j namedJob) {
	backoff := r.minBackoff
	for {
		began := time.Now()
		err := r.runOnce(ctx, j)
		if ctx.Err() != nil {
			if err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, errJobPanicked) {
				r.log.Warn("background job stopped with an error", "job", j.name, "err", err)
			}
			return
		}
		if err == nil {
			r.log.Info("background job finished", "job", j.name)
			return
		}
		if time.Since(began) > r.maxBackoff {
			backoff = r.minBackoff
		}
		r.log.Error("background job failed; starting it again", "job", j.name, "err", err, "retry_in", backoff)
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, r.maxBackoff)
	}
}

// errJobPanicked marks a run that ended in a panic (logged where it was recovered).
var errJobPanicked = errors.New("panic")

// runOnce runs j once and turns a panic into errJobPanicked, logged with the job's name and
// the stack of the panic.
func (r *jobRunner) runOnce(ctx context.Context, j namedJob) (err error) {
	defer func() {
		if p := recover(); p != nil {
			r.log.Error("panic in background job", "job", j.name, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			err = errJobPanicked
		}
	}()
	return j.run(ctx)
}
