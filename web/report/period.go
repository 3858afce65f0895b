package report

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/ks-no/digihjelpen/ticket"
)

// Period is the report of a period and of the period of the same length just before it: what
// the steering group compares at its meetings (issue 16, GET /api/v1/stats/period,
// /statistikk?fra=…&til=…).
type Period struct {
	Current, Previous *ticket.WeeklyReport
}

// Label names the period by its first and last day: «2026-01-01–2026-03-31».
func (p Period) Label() string { return spanLabel(p.Current) }

func spanLabel(r *ticket.WeeklyReport) string {
	return r.From.In(ticket.Oslo).Format("2006-01-02") + "–" + r.LastDay().Format("2006-01-02")
}

// PeriodFileName is the name of a period report's file: digihjelpen-periode-2026-01-01-2026-03-31.xlsx.
func PeriodFileName(p Period, f Format) string {
	return fmt.Sprintf("digihjelpen-periode-%s-%s.%s", p.Current.From.In(ticket.Oslo).Format("2006-01-02"),
		p.Current.LastDay().Format("2006-01-02"), f.Ext())
}

// PeriodTables are the period's tables, led by the key figures against the period before.
func PeriodTables(p Period, agencies ticket.Agencies) []Table {
	return append([]Table{changeTable(p.Current, p.Previous)}, Tables(p.Current, agencies)...)
}

// WritePeriod writes the period report in format f: the same tables as a week's, led by the
// change from the period before (JSON: the whole report of the period before as well).
func WritePeriod(w io.Writer, p Period, f Format, agencies ticket.Agencies) error {
	switch f {
	case FormatJSON:
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(NewPeriodJSON(p, agencies))
	case FormatXLSX:
		return writeWorkbook(w, periodHead(p), PeriodTables(p, agencies))
	case FormatCSV, FormatCSVComma:
		return writeTablesCSV(w, "periode", p.Label(), PeriodTables(p, agencies), f)
	}
	return fmt.Errorf("write period report: unknown format %q", f)
}

// periodHead says which period, and which before it, the workbook covers.
func periodHead(p Period) []headRow {
	return []headRow{
		{"Periode", p.Label(), nil},
		{"Fra og med", excelTime(p.Current.From), dateStyle},
		{"Til og med", excelTime(p.Current.LastDay()), dateStyle},
		{"Sammenlignet med", spanLabel(p.Previous), nil},
		{"Laget", excelTime(p.Current.GeneratedAt), datetimeStyle},
	}
}

// PeriodJSON is a period report as GET /api/v1/stats/period gives it: the period's report in
// the weekly report's shape (without "week"), the report of the period before, and the change
// in the key figures. The names are a stable interface: add, never rename.
type PeriodJSON struct {
	Period periodJSON `json:"period"`
	ReportJSON
	Previous previousJSON          `json:"previous"`
	Change   map[string]changeJSON `json:"change"`
}

// periodJSON is a period by its days, both included, as the request gives them.
type periodJSON struct {
	From string `json:"from"`
	To   string `json:"to"`
	Days int    `json:"days"`
}

type previousJSON struct {
	Period periodJSON `json:"period"`
	ReportJSON
}

// changeJSON is one key figure in both periods; null where nothing was measured.
type changeJSON struct {
	Current    *float64 `json:"current"`
	Previous   *float64 `json:"previous"`
	Difference *float64 `json:"difference"`
	Percent    *float64 `json:"percent"`
}

func toPeriodJSON(r *ticket.WeeklyReport) periodJSON {
	f := ticket.ExportFilter{From: r.From, To: r.To}
	return periodJSON{From: r.From.In(ticket.Oslo).Format("2006-01-02"), To: r.LastDay().Format("2006-01-02"), Days: f.Days()}
}

func valuePtr(v Value) *float64 {
	if !v.OK {
		return nil
	}
	return &v.V
}

// NewPeriodJSON is the period report p as JSON.
func NewPeriodJSON(p Period, agencies ticket.Agencies) PeriodJSON {
	j := PeriodJSON{Period: toPeriodJSON(p.Current), ReportJSON: NewReportJSON(p.Current, agencies),
		Previous: previousJSON{Period: toPeriodJSON(p.Previous), ReportJSON: NewReportJSON(p.Previous, agencies)},
		Change:   map[string]changeJSON{}}
	for _, k := range KeyFigures(p.Current, p.Previous) {
		j.Change[k.Field] = changeJSON{Current: valuePtr(k.Current), Previous: valuePtr(k.Previous),
			Difference: valuePtr(k.Difference()), Percent: valuePtr(k.Percent())}
	}
	return j
}
