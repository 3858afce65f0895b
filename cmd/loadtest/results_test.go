package main

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestCheck(t *testing.T) {
	ms := func(n int) time.Duration { return time.Duration(n) * time.Millisecond }
	tests := []struct {
		name    string
		times   []time.Duration
		errors  int
		maxP99  time.Duration
		wantErr string
		p50     time.Duration
		p99     time.Duration
	}{
		{"OK", []time.Duration{ms(3), ms(1), ms(2), ms(40)}, 0, ms(50), "", ms(3), ms(40)},
		{"ErrOverBudget", []time.Duration{ms(3), ms(60), ms(2)}, 0, ms(50), "over the budget", ms(3), ms(60)},
		{"ErrFailedRequests", []time.Duration{ms(1)}, 2, 0, "2 of 3 requests failed", ms(1), ms(1)},
		{"report only", []time.Duration{ms(900)}, 0, 0, "", ms(900), ms(900)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newResults()
			for _, d := range tt.times {
				r.add("inbox", d, nil)
			}
			for range tt.errors {
				r.add("reply", 0, errors.New("POST /saker/x/svar: status 409, want 303"))
			}
			all := r.all()
			if all.p50 != tt.p50 || all.p99 != tt.p99 || all.n != len(tt.times)+tt.errors {
				t.Errorf("p50 %v p99 %v n %d, want %v %v %d", all.p50, all.p99, all.n, tt.p50, tt.p99, len(tt.times)+tt.errors)
			}
			err := r.check(config{maxP99: tt.maxP99})
			if (err == nil) != (tt.wantErr == "") || (err != nil && !strings.Contains(err.Error(), tt.wantErr)) {
				t.Errorf("check: %v, want %q", err, tt.wantErr)
			}
		})
	}
}
