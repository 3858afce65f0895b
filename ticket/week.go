package ticket

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // Europe/Oslo must work on machines without /usr/share/zoneinfo
)

// Oslo is the time zone of every date people see and of every week in the statistics.
var Oslo = mustLoadOslo()

func mustLoadOslo() *time.Location {
	loc, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		// Cannot happen: time/tzdata is embedded. A panic here is a build fault, not bad input.
		panic(fmt.Sprintf("load Europe/Oslo: %v", err))
	}
	return loc
}

// Week is an ISO 8601 week in Europe/Oslo: Monday 00:00 to the next Monday 00:00 local time.
type Week struct {
	Year int
	Week int
}

// WeekOf returns the ISO week that t falls in, in Oslo time.
func WeekOf(t time.Time) Week {
	y, w := t.In(Oslo).ISOWeek()
	return Week{Year: y, Week: w}
}

var weekPattern = regexp.MustCompile(`^(\d{4})-?[Ww](\d{1,2})$`)

// ParseWeek parses "2026-W47" (also "2026-w47", "2026W47" and "2026-W7").
func ParseWeek(s string) (Week, error) {
	m := weekPattern.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return Week{}, Errorf(EINVALID, "«%s» er ikke en uke (riktig form: 2026-W47).", s)
	}
	year, _ := strconv.Atoi(m[1])
	week, _ := strconv.Atoi(m[2])
	if year < 2000 || week < 1 || week > WeeksInYear(year) {
		return Week{}, Errorf(EINVALID, "Uke %d finnes ikke i %d.", week, year)
	}
	return Week{Year: year, Week: week}, nil
}

// String formats the week as "2026-W47".
func (w Week) String() string { return fmt.Sprintf("%d-W%02d", w.Year, w.Week) }

// Start is Monday 00:00 Oslo time of the week.
func (w Week) Start() time.Time {
	jan4 := time.Date(w.Year, time.January, 4, 0, 0, 0, 0, Oslo)
	monday := jan4.AddDate(0, 0, -((int(jan4.Weekday()) + 6) % 7))
	// AddDate works on the calendar date, so a DST change inside the span keeps 00:00 local.
	return monday.AddDate(0, 0, 7*(w.Week-1))
}

// End is the Monday 00:00 Oslo time after the week (exclusive). A week with a DST change is
// 167 or 169 hours long.
func (w Week) End() time.Time { return w.Start().AddDate(0, 0, 7) }

// Contains reports whether t is in the week.
func (w Week) Contains(t time.Time) bool {
	return !t.Before(w.Start()) && t.Before(w.End())
}

// Next returns the following week.
func (w Week) Next() Week { return WeekOf(w.End()) }

// Prev returns the week before.
func (w Week) Prev() Week { return WeekOf(w.Start().AddDate(0, 0, -1)) }

// Before reports whether w is earlier than o.
func (w Week) Before(o Week) bool {
	return w.Year < o.Year || (w.Year == o.Year && w.Week < o.Week)
}

// WeeksInYear returns 52 or 53: the ISO week of 28 December is the last week of its year.
func WeeksInYear(year int) int {
	_, w := time.Date(year, time.December, 28, 12, 0, 0, 0, Oslo).ISOWeek()
	return w
}
