package web

import (
	"bufio"
	"context"
	"fmt"

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
	return s.renderStats(c, s.lastWeek(), s.lastWeek().String(), from, to, err)
}

// exportPeriod reads a week, or else a period of days.
func (s *Server) exportPeriod(week, from, to, weekField, fromField, toField string) (ticket.ExportFilter, error) {
	if week != "" {
		w, err := s.parseWeekField(weekField, week)
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
	ctx := c.UserContext() // a context value, safe to keep past the handler
	name := report.TicketsFileName(filter.From, filter.To, f)
	if a, ok := s.Events.(eventAdder); ok {
		if err := a.AddEvent(ctx, 0, ticket.EventExported, "saker: "+name); err != nil {
			return err
		}
	}
	setDownload(c, f, name)
	stats, agencies, log := s.Stats, s.Agencies, s.Logger
	streamBody(c, log, "ticket export", func(w *bufio.Writer) {
		n, err := report.WriteTickets(ctx, w, stats, filter, f, agencies)
		if err != nil {
			log.Warn("ticket export stopped", "file", name, "rows", n, "err", err)
			if f == report.FormatCSV || f == report.FormatCSVComma { // a cut CSV file looks whole: say so in it
				fmt.Fprintf(w, "FEIL: Eksporten stoppet etter %d saker og er ufullstendig. Prøv igjen.\r\n", n)
			}
		}
		w.Flush()
	})
	return nil
}
