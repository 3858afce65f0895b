package report

import (
	"context"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

// The ticket export lists every ticket created in a period, one row each, with no row limit
// (docs/STATISTICS.md, "The ticket export"). It streams: rows are written as the store yields
// them in small batches, so memory stays flat whether it is ten rows or a million.

// exportHeads are the columns of the CSV and XLSX ticket export.
var exportHeads = []string{"Sak", "Opprettet", "Uke", "Status", "Etat", "Kanal", "Kategori", "Kommunenr.", "Kommune",
	"Fylkesnr.", "Fylke", "Første svar", "Timer til første svar", "Arbeidstimer til første svar", "Løst", "Timer til løst",
	"Arbeidstimer til løst", "Gjenåpnet", "Henvist til", "Henvisninger besvart", "Meldinger", "Emne"}

// exportHours is a measured time in hours with four decimals (a third of a second), nil when
// there is nothing to measure.
func exportHours(from, to time.Time, business bool) any {
	if to.IsZero() {
		return nil
	}
	d := max(to.Sub(from), 0)
	if business {
		d = ticket.BusinessDuration(from, to)
	}
	return math.Round(d.Hours()*1e4) / 1e4
}

func optionalTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

// ticketRow is one row of the export: strings, ints, float64 hours, time.Time, or nil (empty).
func ticketRow(t *ticket.Ticket, agencies ticket.Agencies) []any {
	var referred []string
	answered := 0
	for _, r := range t.Referrals {
		referred = append(referred, agencies.Name(r.Agency))
		if r.Status == ticket.ReferralAnswered {
			answered++
		}
	}
	return []any{
		t.Ref.String(), t.CreatedAt, ticket.WeekOf(t.CreatedAt).String(), t.Status.Label(), agencies.Name(t.Agency),
		ticket.ChannelLabel(t.Channel), t.Category, t.Requester.Municipality.Number, t.Requester.Municipality.Name,
		t.Requester.County.Number, t.Requester.County.Name,
		optionalTime(t.FirstResponseAt), exportHours(t.CreatedAt, t.FirstResponseAt, false), exportHours(t.CreatedAt, t.FirstResponseAt, true),
		optionalTime(t.ResolvedAt), exportHours(t.CreatedAt, t.ResolvedAt, false), exportHours(t.CreatedAt, t.ResolvedAt, true),
		t.ReopenCount, strings.Join(referred, ", "), answered, t.MessageCount, t.Subject,
	}
}

// rowWriter writes an export row by row. Close finishes the file; Discard gives up on it (an
// error midway) and frees what it holds.
type rowWriter interface {
	Row(t *ticket.Ticket) error
	Close() error
	Discard()
}

// TicketsFileName names the file of an export of tickets created in [from, to).
func TicketsFileName(from, to time.Time, f Format) string {
	last := to.Add(-time.Nanosecond)
	return fmt.Sprintf("digihjelpen-saker-%s-%s.%s", from.In(ticket.Oslo).Format("2006-01-02"), last.In(ticket.Oslo).Format("2006-01-02"), f.Ext())
}

// WriteTickets streams the tickets created in the filter's period to w in format f and
// returns how many it wrote.
func WriteTickets(ctx context.Context, w io.Writer, stats ticket.StatsService, filter ticket.ExportFilter, f Format, agencies ticket.Agencies) (int, error) {
	var rw rowWriter
	var err error
	switch f {
	case FormatCSV, FormatCSVComma:
		rw, err = newCSVRows(w, f, agencies)
	case FormatXLSX:
		rw, err = newXLSXRows(w, agencies)
	case FormatJSON:
		rw, err = newJSONRows(w, agencies)
	default:
		err = fmt.Errorf("ticket export: unknown format %q", f)
	}
	if err != nil {
		return 0, err
	}
	n := 0
	err = stats.ExportTickets(ctx, filter, func(t *ticket.Ticket) error {
		n++
		return rw.Row(t)
	})
	if err != nil {
		rw.Discard()
		return n, err
	}
	return n, rw.Close()
}
