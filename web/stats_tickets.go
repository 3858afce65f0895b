package web

import (
	"context"
	"fmt"
	"io"

	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
	"github.com/ks-no/digihjelpen/web/report"
)

// handleStatsTickets streams the ticket export of a week (uke) or a period (fra, til).
func (s *Server) handleStatsTickets(c *fiber.Ctx) error {
	from, to := c.Query("fra"), c.Query("til")
	filter, err := s.exportPeriod(c.Query("uke"), from, to, "uke", "fra", "til")
	if err == nil {
		var f report.Format
		if f, err = report.ParseFormat(c.Query("format", string(report.FormatXLSX))); err == nil {
			return s.streamTickets(c, filter, f)
		}
	}
	w := ticket.WeekOf(s.Now())
	return s.renderWeek(c, w, statsPage{WeekValue: w.String(), From: from, To: to}, err)
}

// exportPeriod reads a week, or else a period of days.
func (s *Server) exportPeriod(week, from, to, weekField, fromField, toField string) (ticket.ExportFilter, error) {
	if week != "" {
		w, err := s.parseWeekField(weekField, week, ticket.WeekOf(s.Now()))
		if err != nil {
			return ticket.ExportFilter{}, err
		}
		return ticket.WeekPeriod(w), nil
	}
	return ticket.ParsePeriod(from, to, fromField, toField)
}

// eventAdder is the part of the event service that records an event of its own.
type eventAdder interface {
	AddEvent(ctx context.Context, ticketID uint64, kind ticket.EventKind, detail string) error
}

// streamTickets records the export in the audit trail (it carries subjects), then streams the
// file: the response starts at once and the rows follow as they are read.
func (s *Server) streamTickets(c *fiber.Ctx, filter ticket.ExportFilter, f report.Format) error {
	name := report.TicketsFileName(filter.From, filter.To, f)
	if a, ok := s.Events.(eventAdder); ok {
		if err := a.AddEvent(c.UserContext(), 0, ticket.EventExported, "saker: "+name); err != nil {
			return err
		}
	}
	setDownload(c, f, name)
	stats, agencies, log := s.Stats, s.agencyNames(c), s.Logger
	return s.streamBody(c, "ticket export", func(ctx context.Context, w io.Writer) error {
		n, err := report.WriteTickets(ctx, w, stats, filter, f, agencies)
		if err == nil {
			return nil
		}
		err = fmt.Errorf("ticket export %s stopped after %d rows: %w", name, n, err)
		if ctx.Err() != nil || (f != report.FormatCSV && f != report.FormatCSVComma) {
			return err // the download is cut: the client sees it broken
		}
		// A cut CSV file looks whole to a spreadsheet, so a storage fault is said in the file
		// and the download ends there.
		log.Warn("ticket export stopped", "file", name, "rows", n, "err", err)
		_, werr := fmt.Fprintf(w, "FEIL: Eksporten stoppet etter %d saker og er ufullstendig. Prøv igjen.\r\n", n)
		return werr
	})
}
