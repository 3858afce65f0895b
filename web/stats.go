package web

import (
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
	"github.com/ks-no/digihjelpen/web/report"
)

// trendWeeks is how many weeks the charts show at least, ending with the chosen week; a longer
// period shows all its weeks, up to maxTrendWeeks.
const (
	trendWeeks    = 52
	maxTrendWeeks = 160
)

// statsPage is what stats.html shows: a week (Week set) or a period (IsPeriod), led by the key
// figures against the period before, then the charts, then the tables.
type statsPage struct {
	Week, Prev, Next ticket.Week
	HasNext          bool
	IsPeriod         bool
	// Ongoing is a week that has not ended: its figures so far, against the same part of the
	// week before.
	Ongoing bool
	Heading string
	// SpanName is what the page covers in a sentence: «uka», «perioden».
	SpanName string
	// Compared says what the key figures are compared with.
	Compared      string
	WeekValue     string // the week field as typed (kept when it was wrong)
	PeriodFrom    string // the period fields as typed
	PeriodTo      string
	DownloadQuery string // uke=… or fra=…&til=…, for the report's files
	Report        *ticket.WeeklyReport
	KeyFigures    []report.KeyFigure
	Tables        []report.Table
	WeeksTable    report.Table
	TrendTable    report.Table
	WeeksChart    chart
	ResponseChart chart
	CountyChart   chart
	TopicChart    chart
	TagChart      chart
	Formats       []report.FormatOption
	From, To      string // the ticket export's period, as typed
	// TicketExport offers the ticket export, which carries subjects: not to readers.
	TicketExport bool
}

// Table is the report's table id, for the template.
func (d statsPage) Table(id string) report.Table { return report.TableByID(d.Tables, id) }

// parseWeekField reads a week field: empty means def; a week that has not begun is refused
// beside the field.
func (s *Server) parseWeekField(field, v string, def ticket.Week) (ticket.Week, error) {
	if v == "" {
		return def, nil
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

// handleStats shows a week (?uke=, the current one by default) or a period (?fra=…&til=…).
func (s *Server) handleStats(c *fiber.Ctx) error {
	if c.Query("fra") != "" || c.Query("til") != "" {
		p, err := s.parseStatsPeriod(c.Query("fra"), c.Query("til"), "periode-fra", "periode-til")
		if err != nil {
			return s.renderStatsError(c, err)
		}
		return s.renderPeriod(c, p)
	}
	typed := c.Query("uke")
	w, err := s.parseWeekField("uke", typed, ticket.WeekOf(s.Now())) // the page opens on the current week
	if err != nil {
		return s.renderStatsError(c, err)
	}
	return s.renderWeek(c, w, statsPage{WeekValue: w.String()}, nil)
}

// parseStatsPeriod reads a period of whole days that has begun and is at most MaxPeriodDays.
func (s *Server) parseStatsPeriod(from, to, fromField, toField string) (ticket.ExportFilter, error) {
	p, err := ticket.ParsePeriod(from, to, fromField, toField)
	if err != nil {
		return p, err
	}
	if s.Now().Before(p.From) {
		return p, ticket.FieldError(fromField, "Perioden har ikke begynt ennå.")
	}
	if p.Days() > ticket.MaxPeriodDays {
		return p, ticket.FieldError(toField, "En periode kan være høyst tre år (%d dager).", ticket.MaxPeriodDays)
	}
	return p, nil
}

// renderStatsError shows the current week with fieldErr beside its field (status 400), the
// week and period fields as they were typed.
func (s *Server) renderStatsError(c *fiber.Ctx, fieldErr error) error {
	typed := statsPage{WeekValue: c.Query("uke"), PeriodFrom: c.Query("fra"), PeriodTo: c.Query("til")}
	return s.renderWeek(c, ticket.WeekOf(s.Now()), typed, fieldErr)
}

// renderWeek shows week w against the week before (an ongoing week against the same part of
// the week before). typed holds the fields as typed: the week, the period, and the ticket
// export's period (From, To; the week's days when empty).
func (s *Server) renderWeek(c *fiber.Ctx, w ticket.Week, typed statsPage, fieldErr error) error {
	ctx := c.UserContext()
	r, err := s.Stats.WeeklyReport(ctx, w)
	if err != nil {
		return err
	}
	d := typed
	d.Week, d.Prev, d.Next, d.HasNext = w, w.Prev(), w.Next(), !ticket.WeekOf(s.Now()).Before(w.Next())
	d.Heading, d.SpanName = fmt.Sprintf("Statistikk for uke %d %d", w.Week, w.Year), "uka"
	d.Compared = "forrige uke"
	var prev *ticket.WeeklyReport
	if now := s.Now(); now.Before(w.End()) {
		d.Ongoing, d.Compared = true, "samme tid forrige uke"
		prev, err = s.Stats.PeriodReport(ctx, w.Prev().Start(), now.AddDate(0, 0, -7))
	} else {
		prev, err = s.Stats.WeeklyReport(ctx, w.Prev())
	}
	if err != nil {
		return err
	}
	if d.From == "" {
		d.From, d.To = w.Start().Format("2006-01-02"), w.End().AddDate(0, 0, -1).Format("2006-01-02")
	}
	return s.renderStatsPage(c, d, r, prev, w, fieldErr)
}

// renderPeriod shows the period p against the period of the same length before it.
func (s *Server) renderPeriod(c *fiber.Ctx, p ticket.ExportFilter) error {
	pr, err := s.periodReport(c, p)
	if err != nil {
		return err
	}
	r, prev, before := pr.Current, pr.Previous, p.Previous()
	first, last := dayLabel(p.From), dayLabel(r.LastDay())
	d := statsPage{IsPeriod: true, Heading: "Statistikk for " + first + "–" + last, SpanName: "perioden",
		Compared:   fmt.Sprintf("forrige periode (%s–%s)", dayLabel(before.From), dayLabel(prev.LastDay())),
		PeriodFrom: p.From.In(ticket.Oslo).Format("2006-01-02"), PeriodTo: r.LastDay().Format("2006-01-02"),
		From: p.From.In(ticket.Oslo).Format("2006-01-02"), To: r.LastDay().Format("2006-01-02")}
	return s.renderStatsPage(c, d, r, prev, ticket.WeekOf(r.LastDay()), nil)
}

// dayLabel is a day as Norwegians write it: 1.1.2026.
func dayLabel(t time.Time) string { return t.In(ticket.Oslo).Format("2.1.2006") }

// renderStatsPage fills in the figures, charts and tables of d, the charts ending with week
// last, and renders the page.
func (s *Server) renderStatsPage(c *fiber.Ctx, d statsPage, r, prev *ticket.WeeklyReport, last ticket.Week, fieldErr error) error {
	first := last
	for n := 1; n < maxTrendWeeks && (n < trendWeeks || ticket.WeekOf(r.From).Before(first)); n++ {
		first = first.Prev()
	}
	trend, err := s.Stats.WeeklyTrend(c.UserContext(), first, last)
	if err != nil {
		return err
	}
	as := s.agencyNames(c)
	d.Report, d.KeyFigures, d.Tables = r, report.KeyFigures(r, prev), report.Tables(r, as)
	d.WeeksTable, d.TrendTable = weeksTable(trend, as), trendTable(trend)
	d.WeeksChart, d.ResponseChart = weeksChart(trend, as), responseChart(trend)
	d.CountyChart, d.TopicChart, d.TagChart = countyChart(r, d.SpanName), topicChart(r, d.SpanName), tagChart(r, d.SpanName)
	d.Formats = report.Formats
	d.TicketExport = s.mayUse(userFrom(c), get, "/statistikk/saker")
	p := pageData{Title: d.Heading, Nav: "statistikk", Data: d}
	if fieldErr != nil {
		if p.Errors = ticket.FieldErrorsOf(fieldErr); p.Errors == nil {
			return fieldErr
		}
		c.Status(fiber.StatusBadRequest)
	}
	return s.render(c, "stats", p)
}

// handleStatsDownload sends the report of a week (uke) or a period (fra, til) as a file.
func (s *Server) handleStatsDownload(c *fiber.Ctx) error {
	f, err := report.ParseFormat(c.Query("format", string(report.FormatXLSX)))
	if err != nil {
		return err
	}
	if c.Query("fra") != "" || c.Query("til") != "" {
		p, err := s.parseStatsPeriod(c.Query("fra"), c.Query("til"), "periode-fra", "periode-til")
		if err != nil {
			return s.renderStatsError(c, err)
		}
		return s.sendPeriod(c, p, f)
	}
	w, err := s.parseWeekField("uke", c.Query("uke"), ticket.WeekOf(s.Now()))
	if err != nil {
		return s.renderStatsError(c, err)
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

// periodReport is the report of p and of the period of the same length before it.
func (s *Server) periodReport(c *fiber.Ctx, p ticket.ExportFilter) (report.Period, error) {
	cur, err := s.Stats.PeriodReport(c.UserContext(), p.From, p.To)
	if err != nil {
		return report.Period{}, err
	}
	before := p.Previous()
	prev, err := s.Stats.PeriodReport(c.UserContext(), before.From, before.To)
	return report.Period{Current: cur, Previous: prev}, err
}

func (s *Server) sendPeriod(c *fiber.Ctx, p ticket.ExportFilter, f report.Format) error {
	pr, err := s.periodReport(c, p)
	if err != nil {
		return err
	}
	setDownload(c, f, report.PeriodFileName(pr, f))
	return report.WritePeriod(c.Response().BodyWriter(), pr, f, s.agencyNames(c))
}

// setDownload marks the response as a file to save, never to show inline.
func setDownload(c *fiber.Ctx, f report.Format, name string) {
	c.Set(fiber.HeaderContentType, f.ContentType())
	c.Set(fiber.HeaderContentDisposition, contentDisposition(name))
	c.Set(fiber.HeaderCacheControl, "no-store")
}
