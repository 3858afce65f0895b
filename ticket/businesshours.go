package ticket

import "time"

// Business hours are 08:00 to 16:00 Oslo time, Monday to Friday, except public holidays
// (PublicHolidays). The statistics measure response and resolution times in them.
const (
	businessOpen  = 8 * time.Hour
	businessClose = 16 * time.Hour
	businessDay   = businessClose - businessOpen
	secondsPerDay = 24 * 60 * 60
)

// BusinessDuration is how much business time lies between from and to (0 when to is not after
// from). It works in constant time whatever the span, so the statistics can measure every ticket
// of a week, or of 52 weeks, without walking their days: it takes the difference of a running
// business clock (businessClock). A change to or from summer time happens at night, outside
// business hours, so it never shortens or lengthens a business day.
func BusinessDuration(from, to time.Time) time.Duration {
	if !to.After(from) {
		return 0
	}
	return businessClock(to) - businessClock(from)
}

// businessClock is the business time between a fixed Monday (5 January 1970) and t; only
// differences of it mean anything.
func businessClock(t time.Time) time.Duration {
	local := t.In(Oslo)
	y, m, d := local.Date()
	n := date(y, m, d).Unix() / secondsPerDay
	whole := weekdaysBefore(n) - holidaysBefore(n)
	clock := time.Duration(whole) * businessDay
	if isBusinessDay(n) {
		h, mi, s := local.Clock()
		tod := time.Duration(h)*time.Hour + time.Duration(mi)*time.Minute + time.Duration(s)*time.Second + time.Duration(local.Nanosecond())
		clock += min(max(tod-businessOpen, 0), businessDay)
	}
	return clock
}

// weekdaysBefore counts the days Monday to Friday from day 4 (Monday 5 January 1970) up to, not
// including, day n; negative before it. Day numbers count days since 1 January 1970.
func weekdaysBefore(n int64) int64 {
	k := n - 4
	weeks := floorDiv(k, 7)
	return weeks*5 + min(k-weeks*7, 5)
}

// isBusinessDay reports whether day n is Monday to Friday and no holiday.
func isBusinessDay(n int64) bool {
	wd := time.Weekday(n + 4 - floorDiv(n+4, 7)*7) // day 0 was a Thursday
	return wd != time.Saturday && wd != time.Sunday && !isWeekdayHoliday(n)
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}
