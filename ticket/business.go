package ticket

import "time"

// Business hours are when KS staff answer: weekdays 08:00–16:00 Oslo time, except Norwegian
// public holidays. Deadlines (when a ticket becomes overdue) count only these hours.
const (
	BusinessStart = 8  // hour of the day work starts
	BusinessEnd   = 16 // hour of the day work ends
)

// IsHoliday reports whether the date of t (in Oslo) is a Norwegian public holiday
// (helligdag or 1 and 17 May).
func IsHoliday(t time.Time) bool {
	t = t.In(Oslo)
	y, m, d := t.Date()
	switch {
	case m == time.January && d == 1, m == time.May && (d == 1 || d == 17), m == time.December && (d == 25 || d == 26):
		return true
	}
	easter := easterSunday(y)
	day := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	for _, offset := range []int{-3, -2, 0, 1, 39, 49, 50} { // skjærtorsdag … 2. pinsedag
		if day.Equal(easter.AddDate(0, 0, offset)) {
			return true
		}
	}
	return false
}

// easterSunday is the Gregorian Easter Sunday of year (the anonymous Gregorian algorithm), in UTC.
func easterSunday(year int) time.Time {
	a, b, c := year%19, year/100, year%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
}

// IsBusinessDay reports whether the Oslo date of t is a weekday that is not a holiday.
func IsBusinessDay(t time.Time) bool {
	wd := t.In(Oslo).Weekday()
	return wd != time.Saturday && wd != time.Sunday && !IsHoliday(t)
}

// AddBusinessHours returns the moment when d of business time has passed after start. Time
// outside business hours does not count: a mail that arrives on Friday at 20:00 with 8 hours
// to go is due on Monday at 16:00.
func AddBusinessHours(start time.Time, d time.Duration) time.Time {
	t := start.In(Oslo)
	for range 3660 { // bounded: ten years of days
		y, m, day := t.Date()
		open := time.Date(y, m, day, BusinessStart, 0, 0, 0, Oslo)
		closing := time.Date(y, m, day, BusinessEnd, 0, 0, 0, Oslo)
		if IsBusinessDay(t) && t.Before(closing) {
			if t.Before(open) {
				t = open
			}
			if left := closing.Sub(t); d <= left {
				return t.Add(d)
			} else {
				d -= left
			}
		}
		t = time.Date(y, m, day+1, 0, 0, 0, 0, Oslo)
	}
	return t
}
