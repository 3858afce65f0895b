package web

import (
	"testing"
	"time"
)

func TestLimitPolicyWait(t *testing.T) {
	p := limitPolicy{after: 5, firstWait: 30 * time.Second}
	for _, tt := range []struct {
		failures int
		want     time.Duration
	}{{1, 0}, {4, 0}, {5, 30 * time.Second}, {6, time.Minute}, {7, 2 * time.Minute}, {9, 8 * time.Minute}, {10, limitMaxWait}, {50, limitMaxWait}} {
		if got := p.wait(tt.failures); got != tt.want {
			t.Errorf("wait after %d failures = %v, want %v", tt.failures, got, tt.want)
		}
	}
}

// TestLoginLimiterForgets: a key's count starts again after limitForget without failures, and a
// wait ends when its time is up.
func TestLoginLimiterForgets(t *testing.T) {
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	l := newLoginLimiter(func() time.Time { return now })
	for range 5 {
		l.Fail("k", accountLimit)
	}
	if blocked, wait := l.Blocked("k"); !blocked || wait != 30*time.Second {
		t.Fatalf("after 5: blocked %v wait %v", blocked, wait)
	}
	now = now.Add(31 * time.Second)
	if blocked, _ := l.Blocked("k"); blocked {
		t.Fatal("still blocked after the wait")
	}
	l.Fail("k", accountLimit) // the 6th: a minute
	if _, wait := l.Blocked("k"); wait != time.Minute {
		t.Fatalf("after 6: wait %v", wait)
	}
	now = now.Add(limitForget + 2*time.Minute)
	l.Fail("k", accountLimit) // counted from one again
	if blocked, _ := l.Blocked("k"); blocked {
		t.Fatal("an old count was not forgotten")
	}
}

func TestWaitText(t *testing.T) {
	for d, want := range map[time.Duration]string{30 * time.Second: "30 sekunder", 61 * time.Second: "ett minutt", 15 * time.Minute: "15 minutter", 90 * time.Second: "ett minutt"} {
		if got := waitText(d); got != want {
			t.Errorf("waitText(%v) = %q, want %q", d, got, want)
		}
	}
}
