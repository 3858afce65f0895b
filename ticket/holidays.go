package ticket

import (
	"slices"
	"sort"
	"sync"
	"time"
)

// PublicHolidays returns the Norwegian public holidays of year as dates (midnight UTC of each
// calendar day), in order: the days of helligdagsloven and 1 and 17 May. Christmas Eve and New
// Year's Eve are not among them (they are not holidays by law). A day that is two holidays at
// once is listed once. See docs/STATISTICS.md.
func PublicHolidays(year int) []time.Time {
	easter := easterDate(year)
	days := []time.Time{
		date(year, time.January, 1),
		easter.AddDate(0, 0, -3), // skjærtorsdag
		easter.AddDate(0, 0, -2), // langfredag
		easter,                   // 1. påskedag
		easter.AddDate(0, 0, 1),  // 2. påskedag
		date(year, time.May, 1),
		date(year, time.May, 17),
		easter.AddDate(0, 0, 39), // Kristi himmelfartsdag
		easter.AddDate(0, 0, 49), // 1. pinsedag
		easter.AddDate(0, 0, 50), // 2. pinsedag
		date(year, time.December, 25),
		date(year, time.December, 26),
	}
	sort.Slice(days, func(i, j int) bool { return days[i].Before(days[j]) })
	// Two holidays can fall on one day (2. pinsedag was 17 May in 2027): list the day once.
	return slices.CompactFunc(days, func(a, b time.Time) bool { return a.Equal(b) })
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// easterDate is Easter Sunday of year in the Gregorian calendar (the anonymous Gregorian
// computus of Meeus/Jones/Butcher), as midnight UTC.
func easterDate(year int) time.Time {
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
	return date(year, time.Month(month), day)
}

// Holiday tables cover these years; business hours outside them count no holidays.
const (
	holidayFirstYear = 1970
	holidayLastYear  = 2299
)

// weekdayHolidays are the day numbers (see dayNumber) of the holidays that fall on Monday to
// Friday in the covered years, sorted: the only ones that take business hours away.
var weekdayHolidays = sync.OnceValue(func() []int64 {
	var days []int64
	for y := holidayFirstYear; y <= holidayLastYear; y++ {
		for _, d := range PublicHolidays(y) {
			if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
				days = append(days, d.Unix()/secondsPerDay)
			}
		}
	}
	return days
})

// holidaysBefore counts the weekday holidays with a day number below n.
func holidaysBefore(n int64) int64 {
	days := weekdayHolidays()
	return int64(sort.Search(len(days), func(i int) bool { return days[i] >= n }))
}

// isWeekdayHoliday reports whether day n is a holiday on Monday to Friday.
func isWeekdayHoliday(n int64) bool {
	days := weekdayHolidays()
	i := sort.Search(len(days), func(i int) bool { return days[i] >= n })
	return i < len(days) && days[i] == n
}
