package ticket

import (
	"context"
	"time"
)

// StatsService computes the statistics. data.StatsService implements it from an index of facts
// kept with the tickets, so a week costs the same at a million tickets as at a hundred.
type StatsService interface {
	// WeeklyReport computes the report of week w (docs/STATISTICS.md).
	WeeklyReport(ctx context.Context, w Week) (*WeeklyReport, error)
	// PeriodReport computes the report of the period [from, to), any span (ParsePeriod gives
	// whole days in Oslo), by the same definitions; EINVALID when it has not begun.
	PeriodReport(ctx context.Context, from, to time.Time) (*WeeklyReport, error)
	// WeeklyTrend returns, for every week from from to to (inclusive), the new tickets by agency
	// and the first-response and resolution figures: the charts of the statistics page.
	WeeklyTrend(ctx context.Context, from, to Week) ([]*WeekTrend, error)
	// ExportTickets calls fn for every ticket created in [f.From, f.To), oldest first. It reads
	// in short transactions and holds only a small batch in memory, so an export of every
	// ticket streams in flat memory; fn runs outside any transaction. An error from fn stops it.
	ExportTickets(ctx context.Context, f ExportFilter, fn func(*Ticket) error) error
}

// ExportFilter selects tickets by creation time.
type ExportFilter struct {
	From, To time.Time
}

// WeekTrend is one week of the charts.
type WeekTrend struct {
	Week          Week
	New           int
	NewByAgency   map[string]int
	FirstResponse DurationStats
	Resolution    DurationStats
}

// UnknownPlace is the key under which tickets without a known municipality or county count.
const UnknownPlace = "ukjent"

// ChannelLabel is the channel as people read it.
func ChannelLabel(c Channel) string {
	switch c {
	case ChannelEmail:
		return "E-post"
	case ChannelWeb:
		return "Nettskjema"
	}
	return string(c)
}
