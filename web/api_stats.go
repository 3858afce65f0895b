package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
	"github.com/ks-no/digihjelpen/web/report"
)

// handleAPIStatsWeekly answers GET /api/v1/stats/weekly?week=2026-W47[&format=json|csv|csv-comma|xlsx]
// with the report (DESIGN.md). Without week it is the last whole week.
func (s *Server) handleAPIStatsWeekly(c *fiber.Ctx) error {
	w, err := s.parseWeekField("week", c.Query("week"), ticket.WeekOf(s.Now()).Prev())
	if err != nil {
		return err
	}
	f, err := report.ParseFormat(c.Query("format", string(report.FormatJSON)))
	if err != nil {
		return err
	}
	if f == report.FormatJSON {
		r, err := s.Stats.WeeklyReport(c.UserContext(), w)
		if err != nil {
			return err
		}
		return c.JSON(report.NewWeeklyJSON(r, s.agencyNames(c)))
	}
	return s.sendReport(c, w, f)
}

// handleAPIStatsPeriod is the report of any period, GET /api/v1/stats/period?from=2026-01-01&to=2026-03-31
// (days in Oslo, both included), with the period of the same length before it and the change;
// format json (default), csv, csv-comma or xlsx.
func (s *Server) handleAPIStatsPeriod(c *fiber.Ctx) error {
	if c.Query("from") == "" || c.Query("to") == "" {
		return ticket.Errorf(ticket.EINVALID, "Oppgi perioden som from=2026-01-01&to=2026-03-31.")
	}
	p, err := s.parseStatsPeriod(c.Query("from"), c.Query("to"), "from", "to")
	if err != nil {
		return err
	}
	f, err := report.ParseFormat(c.Query("format", string(report.FormatJSON)))
	if err != nil {
		return err
	}
	if f == report.FormatJSON {
		pr, err := s.periodReport(c, p)
		if err != nil {
			return err
		}
		return c.JSON(report.NewPeriodJSON(pr, s.Agencies))
	}
	return s.sendPeriod(c, p, f)
}

// handleAPIStatsTickets streams the ticket export: GET /api/v1/stats/tickets?week=2026-W47 or
// ?from=2026-01-01&to=2026-03-31, format json (default), csv, csv-comma or xlsx.
func (s *Server) handleAPIStatsTickets(c *fiber.Ctx) error {
	filter, err := s.exportPeriod(c.Query("week"), c.Query("from"), c.Query("to"), "week", "from", "to")
	if err != nil {
		return err
	}
	f, err := report.ParseFormat(c.Query("format", string(report.FormatJSON)))
	if err != nil {
		return err
	}
	return s.streamTickets(c, filter, f)
}
