package ticket_test

import (
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

func TestRetryDelay(t *testing.T) {
	tests := []struct {
		attempts int
		want     time.Duration
	}{{1, time.Minute}, {2, 2 * time.Minute}, {3, 4 * time.Minute}, {7, time.Hour}, {50, time.Hour}}
	for _, tt := range tests {
		if got := ticket.RetryDelay(tt.attempts); got != tt.want {
			t.Errorf("RetryDelay(%d): got %v, want %v", tt.attempts, got, tt.want)
		}
	}
}
