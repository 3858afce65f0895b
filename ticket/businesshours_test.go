package ticket_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

func oslo(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, ticket.Oslo)
	if err != nil {
		panic(err)
	}
	return t
}

func TestPublicHolidays(t *testing.T) {
	tests := []struct {
		name string
		year int
		want []string
	}{
		{"2024, Easter in March", 2024, []string{"01-01", "03-28", "03-29", "03-31", "04-01", "05-01", "05-09", "05-17", "05-19", "05-20", "12-25", "12-26"}},
		{"2025, late Easter", 2025, []string{"01-01", "04-17", "04-18", "04-20", "04-21", "05-01", "05-17", "05-29", "06-08", "06-09", "12-25", "12-26"}},
		{"2026", 2026, []string{"01-01", "04-02", "04-03", "04-05", "04-06", "05-01", "05-14", "05-17", "05-24", "05-25", "12-25", "12-26"}},
		{"2027, 2. pinsedag on 17 May", 2027, []string{"01-01", "03-25", "03-26", "03-28", "03-29", "05-01", "05-06", "05-16", "05-17", "12-25", "12-26"}},
		{"2038, Easter 25 April", 2038, []string{"01-01", "04-22", "04-23", "04-25", "04-26", "05-01", "05-17", "06-03", "06-13", "06-14", "12-25", "12-26"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, d := range ticket.PublicHolidays(tt.year) {
				got = append(got, d.Format("01-02"))
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Fatalf("got %v, want %v", got, tt.want)
				}
			}
		})
	}
}

func TestBusinessDuration(t *testing.T) {
	tests := []struct {
		name     string
		from, to string
		want     time.Duration
	}{
		{"same morning", "2026-11-17 09:00", "2026-11-17 10:30", 90 * time.Minute},
		{"before opening to after closing", "2026-11-17 06:00", "2026-11-17 18:00", 8 * time.Hour},
		{"Friday afternoon to Monday morning", "2026-11-20 15:00", "2026-11-23 09:00", 2 * time.Hour},
		{"Saturday to Saturday", "2026-11-21 10:00", "2026-11-21 14:00", 0},
		{"evening to next morning", "2026-11-17 20:00", "2026-11-18 08:30", 30 * time.Minute},
		{"Easter: Wednesday to Tuesday after", "2026-04-01 15:00", "2026-04-07 09:00", 2 * time.Hour},
		{"17 May on a Monday 2027", "2027-05-14 15:00", "2027-05-18 09:00", 2 * time.Hour},
		{"Christmas Eve is a working day", "2026-12-24 08:00", "2026-12-28 08:00", 8 * time.Hour},
		{"across spring DST (Sunday 29 March 2026)", "2026-03-27 15:00", "2026-03-30 09:00", 2 * time.Hour},
		{"across autumn DST (Sunday 25 October 2026)", "2026-10-23 15:00", "2026-10-26 09:00", 2 * time.Hour},
		{"a whole ordinary week", "2026-11-16 00:00", "2026-11-23 00:00", 40 * time.Hour},
		{"the Easter week 2026", "2026-03-30 00:00", "2026-04-06 00:00", 24 * time.Hour},
		{"backwards is zero", "2026-11-17 10:00", "2026-11-17 09:00", 0},
		{"a year (2025: 261 weekdays, 9 of them holidays)", "2025-01-01 00:00", "2026-01-01 00:00", 252 * 8 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ticket.BusinessDuration(oslo(tt.from), oslo(tt.to)); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

// TestBusinessDurationBruteForce compares the constant-time computation with counting minute by
// minute, with holidays taken from PublicHolidays (checked above against the calendar).
func TestBusinessDurationBruteForce(t *testing.T) {
	holidays := map[string]bool{}
	for y := 2024; y <= 2028; y++ {
		for _, d := range ticket.PublicHolidays(y) {
			holidays[d.Format("2006-01-02")] = true
		}
	}
	slow := func(from, to time.Time) time.Duration {
		var d time.Duration
		for m := from; m.Before(to); m = m.Add(time.Minute) {
			l := m.In(ticket.Oslo)
			wd := l.Weekday()
			if wd == time.Saturday || wd == time.Sunday || holidays[l.Format("2006-01-02")] {
				continue
			}
			if h := l.Hour(); h >= 8 && h < 16 {
				d += time.Minute
			}
		}
		return d
	}
	rng := rand.New(rand.NewPCG(1, 2))
	base := oslo("2024-01-01 00:00")
	n := 300
	if testing.Short() {
		n = 60
	}
	for range n {
		from := base.Add(time.Duration(rng.IntN(4*365*24*60)) * time.Minute)
		to := from.Add(time.Duration(rng.IntN(21*24*60)) * time.Minute)
		if got, want := ticket.BusinessDuration(from, to), slow(from, to); got != want {
			t.Fatalf("%s → %s: got %v, want %v", from.In(ticket.Oslo), to.In(ticket.Oslo), got, want)
		}
	}
}

func TestPercentile(t *testing.T) {
	tests := []struct {
		name   string
		values []float64
		p      float64
		want   float64
	}{
		{"empty", nil, 0.5, 0},
		{"one", []float64{7}, 0.9, 7},
		{"median of odd", []float64{5, 1, 3}, 0.5, 3},
		{"median of even interpolates", []float64{4, 1, 2, 3}, 0.5, 2.5},
		// Excel: =PERSENTIL.INK({1;2;3;4;5;6;7;8;9;10};0,9) = 9,1
		{"p90 of ten", []float64{10, 9, 8, 7, 6, 5, 4, 3, 2, 1}, 0.9, 9.1},
		{"p90 of two", []float64{0, 10}, 0.9, 9},
		{"p100", []float64{1, 2}, 1, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ticket.Percentile(tt.values, tt.p); got < tt.want-1e-9 || got > tt.want+1e-9 {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func BenchmarkBusinessDuration(b *testing.B) {
	from, to := oslo("2025-03-27 15:17"), oslo("2026-04-09 10:05")
	for b.Loop() {
		ticket.BusinessDuration(from, to)
	}
}
