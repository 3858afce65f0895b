package web

import (
	"context"
	"sync"
)

// lifecycle is what the server runs besides requests: the sweeps of the rate limits and the
// streamed downloads, which fasthttp runs in goroutines of their own after the handler has
// returned. Shutdown ends them all (ctx) and waits for them, so none is left writing to a
// database that is about to close.
type lifecycle struct {
	ctx    context.Context // ends when Shutdown begins
	cancel context.CancelFunc

	mu      sync.Mutex
	closing bool
	wg      sync.WaitGroup
}

func newLifecycle() *lifecycle {
	ctx, cancel := context.WithCancel(context.Background())
	return &lifecycle{ctx: ctx, cancel: cancel}
}

// add counts one more goroutine to wait for, unless shutdown has begun (then it returns
// false and the caller starts nothing). Its done must be called exactly once.
func (l *lifecycle) add() (done func(), ok bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closing {
		return nil, false
	}
	l.wg.Add(1)
	return l.wg.Done, true
}

// goUntilShutdown runs f(ctx) in a goroutine that Shutdown waits for.
func (l *lifecycle) goUntilShutdown(f func(ctx context.Context)) {
	if done, ok := l.add(); ok {
		go func() {
			defer done()
			f(l.ctx)
		}()
	}
}

// close ends ctx and refuses more goroutines; wait then waits for those running.
func (l *lifecycle) close() {
	l.mu.Lock()
	l.closing = true
	l.mu.Unlock()
	l.cancel()
}

// wait blocks until every goroutine counted by add has finished, or ctx ends.
func (l *lifecycle) wait(ctx context.Context) error {
	done := make(chan struct{})
	go func() {
		l.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
	}
	select {
	case <-done: // both were ready: select chose at random
		return nil
	default:
		return ctx.Err()
	}
}
