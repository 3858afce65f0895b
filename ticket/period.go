package ticket

import (
	"strings"
	"time"
)

// ParsePeriod reads a period of whole days in Oslo, both ends included, as people give it:
// "2026-01-01" or "01.01.2026". It returns the filter [from 00:00, the day after to 00:00).
// fromField and toField name the form fields the errors belong to.
func ParsePeriod(from, to, fromField, toField string) (ExportFilter, error) {
	var errs FieldErrors
	start, ok := parseDay(from)
	if !ok {
		errs = append(errs, FieldError(fromField, "Skriv fra-datoen som 2026-01-31 eller 31.01.2026."))
	}
	end, ok2 := parseDay(to)
	if !ok2 {
		errs = append(errs, FieldError(toField, "Skriv til-datoen som 2026-01-31 eller 31.01.2026."))
	}
	if ok && ok2 && end.Before(start) {
		errs = append(errs, FieldError(toField, "Til-datoen kan ikke være før fra-datoen."))
	}
	if err := errs.Err(); err != nil {
		return ExportFilter{}, err
	}
	return ExportFilter{From: start, To: end.AddDate(0, 0, 1)}, nil
}

func parseDay(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"2006-01-02", "02.01.2006", "2.1.2006"} {
		if t, err := time.ParseInLocation(layout, s, Oslo); err == nil && t.Year() >= 2000 {
			return t, true
		}
	}
	return time.Time{}, false
}

// WeekPeriod is the filter of the tickets created in week w.
func WeekPeriod(w Week) ExportFilter { return ExportFilter{From: w.Start(), To: w.End()} }

// ParseDay reads a date (2026-01-31 or 31.01.2026) as the start of that day in Oslo; an error
// for field when it is not one.
func ParseDay(s, field string) (time.Time, error) {
	t, ok := parseDay(s)
	if !ok {
		return time.Time{}, FieldError(field, "Skriv datoen som 2026-01-31 eller 31.01.2026.")
	}
	return t, nil
}

// MaxPeriodDays bounds a period report: three years, more than any steering group compares.
const MaxPeriodDays = 3*366 + 1

// Days is how many days of Oslo's calendar f spans (a day with a change to summer time is one).
func (f ExportFilter) Days() int {
	from, to := f.From.In(Oslo), f.To.In(Oslo)
	a := time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, time.UTC)
	b := time.Date(to.Year(), to.Month(), to.Day(), 0, 0, 0, 0, time.UTC)
	return int(b.Sub(a).Hours()+12) / 24
}

// Previous is the period of the same number of days just before f: what a period report
// compares with.
func (f ExportFilter) Previous() ExportFilter {
	return ExportFilter{From: f.From.In(Oslo).AddDate(0, 0, -f.Days()), To: f.From}
}
