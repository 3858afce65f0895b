package web

import (
	"context"
	"sync"
	"time"
)

// The sign-in limits slow a guesser down without locking the owner out. Failures count per
// client address and per account from one address, never per account alone: someone who knows
// a KS address and guesses from elsewhere does not keep its owner out. From the after-th
// failure on, each failure doubles the wait before the next try, up to limitMaxWait.
var (
	// addressLimit counts every failed sign-in from one address (an office behind one address
	// has many people who mistype, hence more tries).
	addressLimit = limitPolicy{after: 10, firstWait: 30 * time.Second}
	// accountLimit counts the failures for one account from one address: password and
	// two-factor codes alike. Five, as the limit always was ("429 after five failed logins").
	accountLimit = limitPolicy{after: 5, firstWait: 30 * time.Second}
)

const (
	// limitMaxWait is the longest wait; the old lock's quarter of an hour.
	limitMaxWait = 15 * time.Minute
	// limitForget forgets a key's failures after this long without one.
	limitForget = time.Hour
)

// limitPolicy says at which failure the waiting starts, and how long the first wait is.
type limitPolicy struct {
	after     int
	firstWait time.Duration
}

// wait is how long a key must wait after its n-th failure: nothing before the after-th, then
// firstWait, doubling with each further failure.
func (p limitPolicy) wait(n int) time.Duration {
	if n < p.after {
		return 0
	}
	d := p.firstWait
	for i := p.after; i < n && d < limitMaxWait; i++ {
		d *= 2
	}
	return min(d, limitMaxWait)
}

// loginLimiter keeps the failures in memory: a restart forgets them, which gives a guesser one
// fresh start and keeps no addresses on disk.
type loginLimiter struct {
	now     func() time.Time
	mu      sync.Mutex
	entries map[string]*limitEntry
}

type limitEntry struct {
	failures int
	last     time.Time
	until    time.Time // no tries before this
}

func newLoginLimiter(now func() time.Time) *loginLimiter {
	return &loginLimiter{now: now, entries: map[string]*limitEntry{}}
}

// Blocked reports whether key must wait, and how long.
func (l *loginLimiter) Blocked(key string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	e := l.entries[key]
	if e == nil {
		return false, 0
	}
	if wait := e.until.Sub(l.now()); wait > 0 {
		return true, wait
	}
	return false, 0
}

// Fail records a failure for key under policy p.
func (l *loginLimiter) Fail(key string, p limitPolicy) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	e := l.entries[key]
	if e == nil || now.Sub(e.last) > limitForget {
		e = &limitEntry{}
		l.entries[key] = e
	}
	e.failures++
	e.last = now
	e.until = now.Add(p.wait(e.failures))
}

// Reset forgets key (the owner signed in from that address).
func (l *loginLimiter) Reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.entries, key)
}

// sweep drops forgotten keys now and then, so memory stays bounded under a spray of addresses.
func (l *loginLimiter) sweep(ctx context.Context) {
	ticker := time.NewTicker(time.Minute)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
			l.mu.Lock()
			now := l.now()
			for k, e := range l.entries {
				if now.Sub(e.last) > limitForget && !now.Before(e.until) {
					delete(l.entries, k)
				}
			}
			l.mu.Unlock()
		}
	}
}

// accountKey is the key of one account from the client's address.
func accountKey(addressKey, email string) string { return "acct:" + email + "|" + addressKey }
