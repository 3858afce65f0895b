package web

import (
	"context"
	"sync"
	"time"
)

// failureLimiter counts failures per key in a sliding window, in memory. A restart forgets the
// counts, which only gives an attacker one more window; it keeps no personal data on disk.
type failureLimiter struct {
	max    int
	window time.Duration
	now    func() time.Time

	mu       sync.Mutex
	failures map[string][]time.Time
}

func newFailureLimiter(max int, window time.Duration, now func() time.Time) *failureLimiter {
	return &failureLimiter{max: max, window: window, now: now, failures: map[string][]time.Time{}}
}

// Blocked reports whether key has used up its failures, and when it may try again.
func (l *failureLimiter) Blocked(key string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	recent := l.recent(key)
	if len(recent) < l.max {
		return false, 0
	}
	return true, recent[0].Add(l.window).Sub(l.now())
}

// Fail records one failure for key.
func (l *failureLimiter) Fail(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.failures[key] = append(l.recent(key), l.now())
}

// Reset forgets key's failures (after a successful login).
func (l *failureLimiter) Reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.failures, key)
}

func (l *failureLimiter) recent(key string) []time.Time {
	cutoff := l.now().Add(-l.window)
	list := l.failures[key]
	i := 0
	for i < len(list) && !list[i].After(cutoff) {
		i++
	}
	return list[i:]
}

// sweep drops expired entries now and then, so memory stays bounded under a spray of keys.
func (l *failureLimiter) sweep(ctx context.Context) {
	ticker := time.NewTicker(time.Minute)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
			l.mu.Lock()
			for k := range l.failures {
				if len(l.recent(k)) == 0 {
					delete(l.failures, k)
				}
			}
			l.mu.Unlock()
		}
	}
}
