package ticket

import "time"

// DateFallback says why a mail that was to keep its own date (import) got the time it was
// stored instead.
type DateFallback string

// The reasons a mail's own date is not used.
const (
	DateMissing    DateFallback = "missing"    // the mail has no Date header
	DateUnreadable DateFallback = "unreadable" // its Date cannot be read, or is before 1990 (a clock never set)
	DateFuture     DateFallback = "future"     // its Date is later than the time of storing
)

// earliestMailDate is the first date taken as a mail's own: earlier ones come from a clock that
// was never set (1970, 1980), not from a mail anyone migrates.
var earliestMailDate = time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC)

// MailTime is when a mail is taken to have come, for intake that keeps a mail's own time: its
// Date, or now when that is missing, unreadable, implausibly early or later than now, with
// the reason.
func (m *InboundMail) MailTime(now time.Time) (time.Time, DateFallback) {
	switch {
	case m.DateUnreadable || !m.Date.IsZero() && m.Date.Before(earliestMailDate):
		return now, DateUnreadable
	case m.Date.IsZero():
		return now, DateMissing
	case m.Date.After(now):
		return now, DateFuture
	}
	return m.Date, ""
}

// Label says in Norwegian why the mail got the time of import.
func (f DateFallback) Label() string {
	switch f {
	case DateMissing:
		return "manglet dato"
	case DateUnreadable:
		return "hadde en dato som ikke kunne leses"
	case DateFuture:
		return "hadde en dato fram i tid"
	}
	return string(f)
}
