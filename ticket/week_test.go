package ticket_test

import (
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

func TestWeekStartEnd(t *testing.T) {
	tests := []struct {
		name       string
		week       ticket.Week
		start, end string // Oslo local time, RFC 3339
		hours      float64
	}{
		{"ordinary", ticket.Week{2026, 47}, "2026-11-16T00:00:00+01:00", "2026-11-23T00:00:00+01:00", 168},
		{"spring DST", ticket.Week{2026, 13}, "2026-03-23T00:00:00+01:00", "2026-03-30T00:00:00+02:00", 167},
		{"autumn DST", ticket.Week{2026, 44}, "2026-10-26T00:00:00+01:00", "2026-11-02T00:00:00+01:00", 168},
		{"autumn DST week", ticket.Week{2026, 43}, "2026-10-19T00:00:00+02:00", "2026-10-26T00:00:00+01:00", 169},
		{"week 1 starts in previous year", ticket.Week{2026, 1}, "2025-12-29T00:00:00+01:00", "2026-01-05T00:00:00+01:00", 168},
		{"week 53", ticket.Week{2026, 53}, "2026-12-28T00:00:00+01:00", "2027-01-04T00:00:00+01:00", 168},
		{"week 1 starts in the year", ticket.Week{2024, 1}, "2024-01-01T00:00:00+01:00", "2024-01-08T00:00:00+01:00", 168},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.week.Start().Format(time.RFC3339); got != tt.start {
				t.Errorf("Start = %s, want %s", got, tt.start)
			}
			if got := tt.week.End().Format(time.RFC3339); got != tt.end {
				t.Errorf("End = %s, want %s", got, tt.end)
			}
			if got := tt.week.End().Sub(tt.week.Start()).Hours(); got != tt.hours {
				t.Errorf("length = %v h, want %v h", got, tt.hours)
			}
		})
	}
}

func TestWeekOf(t *testing.T) {
	tests := []struct {
		name string
		at   string
		want ticket.Week
	}{
		{"Sunday evening UTC is Monday in Oslo", "2026-11-22T23:30:00Z", ticket.Week{2026, 48}},
		{"Sunday late Oslo", "2026-11-22T22:59:59Z", ticket.Week{2026, 47}},
		{"New Year's Day 2027 is in 2026-W53", "2027-01-01T12:00:00+01:00", ticket.Week{2026, 53}},
		{"29 Dec 2025 is 2026-W01", "2025-12-29T00:00:00+01:00", ticket.Week{2026, 1}},
		{"summer time Monday midnight", "2026-06-28T22:00:00Z", ticket.Week{2026, 27}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			at, err := time.Parse(time.RFC3339, tt.at)
			if err != nil {
				t.Fatal(err)
			}
			if got := ticket.WeekOf(at); got != tt.want {
				t.Fatalf("WeekOf(%s) = %v, want %v", tt.at, got, tt.want)
			}
			if !tt.want.Contains(at) {
				t.Fatalf("%v does not contain %s", tt.want, tt.at)
			}
		})
	}
}

func TestParseWeek(t *testing.T) {
	tests := []struct {
		in      string
		want    ticket.Week
		wantErr bool
	}{
		{"2026-W47", ticket.Week{2026, 47}, false},
		{"2026-w47", ticket.Week{2026, 47}, false},
		{"2026W07", ticket.Week{2026, 7}, false},
		{"2026-W7", ticket.Week{2026, 7}, false},
		{"2026-W53", ticket.Week{2026, 53}, false},
		{"2025-W53", ticket.Week{}, true}, // 2025 has 52 weeks
		{"2026-W00", ticket.Week{}, true},
		{"2026-47", ticket.Week{}, true},
		{"uke 47", ticket.Week{}, true},
		{"", ticket.Week{}, true},
	}
	for _, tt := range tests {
		got, err := ticket.ParseWeek(tt.in)
		if tt.wantErr {
			if ticket.ErrorCode(err) != ticket.EINVALID {
				t.Errorf("ParseWeek(%q) = %v, %v, want EINVALID", tt.in, got, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseWeek(%q) = %v, %v, want %v", tt.in, got, err, tt.want)
		}
	}
}

func TestWeekNextPrev(t *testing.T) {
	w := ticket.Week{2026, 53}
	if got := w.Next(); got != (ticket.Week{2027, 1}) {
		t.Errorf("Next = %v, want 2027-W01", got)
	}
	if got := (ticket.Week{2027, 1}).Prev(); got != w {
		t.Errorf("Prev = %v, want %v", got, w)
	}
	if !w.Before(ticket.Week{2027, 1}) || w.Before(w) {
		t.Error("Before is wrong")
	}
	if got := w.String(); got != "2026-W53" {
		t.Errorf("String = %s", got)
	}
}
