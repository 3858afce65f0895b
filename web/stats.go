package web

import (
	"fmt"

	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
	"github.com/ks-no/digihjelpen/web/report"
)

// trendWeeks is how many weeks the charts show, ending with the chosen week.
const trendWeeks = 52

// statsPage is what stats.html shows.
type statsPage struct {
	Week, Prev, Next ticket.Week
	HasNext          bool
	WeekValue        string // the week field as typed (kept when it was wrong)
	Report           *ticket.WeeklyReport
	Tables           []report.Table
	WeeksTable       report.Table
	TrendTable       report.Table
	WeeksChart       chart
	ResponseChart    chart
	CountyChart      chart
	Formats          []report.FormatOption
	From, To         string // the ticket export's period, as typed
	// TicketExport offers the ticket export, which carries subjects: not to readers.
	TicketExport bool
}

// lastWeek is the last whole week: what the page shows first and the Monday mail sends.
func (s *Server) lastWeek() ticket.Week { return ticket.WeekOf(s.Now()).Prev() }

// parseWeekField reads the week picker: empty means the last whole week; a week that has not
// begun is refused beside the field.
func (s *Server) parseWeekField(field, v string) (ticket.Week, error) {
	if v == "" {
		return s.lastWeek(), nil
	}
	w, err := ticket.ParseWeek(v)
	if err != nil {
		return ticket.Week{}, ticket.FieldError(field, "%s", ticket.ErrorMessage(err))
	}
	if ticket.WeekOf(s.Now()).Before(w) {
		return ticket.Week{}, ticket.FieldError(field, "Uke %d i %d har ikke begynt ennå.", w.Week, w.Year)
	}
	return w, nil
}

func (s *Server) handleStats(c *fiber.Ctx) error {
	typed := c.Query("uke")
	w, err := s.parseWeekField("uke", typed)
	if err != nil {
		return s.renderStats(c, s.lastWeek(), typed, "", "", err)
	}
	return s.renderStats(c, w, w.String(), "", "", nil)
}

// renderStats shows the page for week w; fieldErr, when set, is shown beside its field with
// status 400 (a bad week, a bad export period).
func (s *Server) renderStats(c *fiber.Ctx, w ticket.Week, weekValue, from, to string, fieldErr error) error {
	ctx := c.UserContext()
	r, err := s.Stats.WeeklyReport(ctx, w)
	if err != nil {
		return err
	}
	first := w
	for range trendWeeks - 1 {
		first = first.Prev()
	}
	trend, err := s.Stats.WeeklyTrend(ctx, first, w)
	if err != nil {
		return err
	}
	if from == "" {
		from, to = w.Start().Format("2006-01-02"), w.End().AddDate(0, 0, -1).Format("2006-01-02")
	}
	as := s.agencyNames(c)
	d := statsPage{Week: w, Prev: w.Prev(), Next: w.Next(), HasNext: !ticket.WeekOf(s.Now()).Before(w.Next()),
		WeekValue: weekValue, Report: r, Tables: report.Tables(r, as),
		WeeksTable: weeksTable(trend, as), TrendTable: trendTable(trend),
		WeeksChart: weeksChart(trend, as), ResponseChart: responseChart(trend), CountyChart: countyChart(r),
		From: from, To: to, Formats: report.Formats}
	d.TicketExport = s.mayUse(userFrom(c), get, "/statistikk/saker")
	p := pageData{Title: fmt.Sprintf("Statistikk for uke %d %d", w.Week, w.Year), Nav: "statistikk", Data: d}
	if fieldErr != nil {
		if p.Errors = ticket.FieldErrorsOf(fieldErr); p.Errors == nil {
			return fieldErr
		}
		c.Status(fiber.StatusBadRequest)
	}
	return s.render(c, "stats", p)
}

// handleStatsDownload sends the weekly report as a file.
func (s *Server) handleStatsDownload(c *fiber.Ctx) error {
	typed := c.Query("uke")
	w, err := s.parseWeekField("uke", typed)
	if err != nil {
		return s.renderStats(c, s.lastWeek(), typed, "", "", err)
	}
	f, err := report.ParseFormat(c.Query("format", string(report.FormatXLSX)))
	if err != nil {
		return err
	}
	return s.sendReport(c, w, f)
}

func (s *Server) sendReport(c *fiber.Ctx, w ticket.Week, f report.Format) error {
	r, err := s.Stats.WeeklyReport(c.UserContext(), w)
	if err != nil {
		return err
	}
	setDownload(c, f, report.FileName(w, f))
	return report.Write(c.Response().BodyWriter(), r, f, s.agencyNames(c))
}

// setDownload marks the response as a file to save, never to show inline.
func setDownload(c *fiber.Ctx, f report.Format, name string) {
	c.Set(fiber.HeaderContentType, f.ContentType())
	c.Set(fiber.HeaderContentDisposition, contentDisposition(name))
	c.Set(fiber.HeaderCacheControl, "no-store")
}
