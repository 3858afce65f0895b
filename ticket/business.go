package ticket

import (
	"slices"
	"time"
)

// Deadlines count the same business hours as the statistics (businesshours.go): weekdays
// 08:00–16:00 Oslo time, except the public holidays of PublicHolidays.

// IsHoliday reports whether the Oslo date of t is a Norwegian public holiday.
func IsHoliday(t time.Time) bool {
	y, m, d := t.In(Oslo).Date()
	return slices.ContainsFunc(PublicHolidays(y), date(y, m, d).Equal)
}

// IsBusinessDay reports whether the Oslo date of t is a weekday that is not a holiday.
func IsBusinessDay(t time.Time) bool {
	y, m, d := t.In(Oslo).Date()
	return isBusinessDay(date(y, m, d).Unix() / secondsPerDay)
}

// AddBusinessHours returns the moment when d of business time has passed after start. Time
// outside business hours does not count: a mail that arrives on Friday at 20:00 with 8 hours
// to go is due on Monday at 16:00.
func AddBusinessHours(start time.Time, d time.Duration) time.Time {
	t := start.In(Oslo)
	for range 3660 { // bounded: ten years of days
		y, m, day := t.Date()
		open := time.Date(y, m, day, int(businessOpen.Hours()), 0, 0, 0, Oslo)
		closing := time.Date(y, m, day, int(businessClose.Hours()), 0, 0, 0, Oslo)
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
