package web

import (
	"github.com/ks-no/digihjelpen/ticket"

	"github.com/ks-no/digihjelpen/web/report"
)

// weeksTable is the text alternative of the weeks chart: new tickets per week and agency.
func weeksTable(trend []*ticket.WeekTrend, agencies ticket.Agencies) report.Table {
	t := report.Table{ID: "uker", Caption: "Nye saker per uke og etat", NameHead: "Uke"}
	keys := trendAgencyKeys(trend, agencies)
	for _, k := range keys {
		t.Cols = append(t.Cols, report.Col{Label: agencies.Name(k), Field: k})
	}
	t.Cols = append(t.Cols, report.Col{Label: "Totalt", Field: "new"})
	for _, w := range trend {
		row := report.Row{Name: w.Week.String()}
		for _, k := range keys {
			row.Values = append(row.Values, report.Count(w.NewByAgency[k]))
		}
		t.Rows = append(t.Rows, report.Row{Name: row.Name, Values: append(row.Values, report.Count(w.New))})
	}
	return t
}

// trendTable is the text alternative of the response-time chart, with the resolution times.
func trendTable(trend []*ticket.WeekTrend) report.Table {
	t := report.Table{ID: "svartid", Caption: "Første svar og løsningstid per uke, i timer og arbeidstimer", NameHead: "Uke"}
	t.Cols = append(report.DurationCols("Første svar", "first_response_hours"), report.DurationCols("Løsningstid", "resolution_hours")...)
	for _, w := range trend {
		t.Rows = append(t.Rows, report.Row{Name: w.Week.String(), Values: append(report.Durations(w.FirstResponse), report.Durations(w.Resolution)...)})
	}
	return t
}

// trendAgencyKeys are the agencies that had tickets in the trend, in configured order.
func trendAgencyKeys(trend []*ticket.WeekTrend, agencies ticket.Agencies) []string {
	seen := map[string]int{}
	for _, w := range trend {
		for k, n := range w.NewByAgency {
			seen[k] += n
		}
	}
	var keys []string
	for _, k := range report.AgencyKeys(agencies, seen) {
		if seen[k] > 0 {
			keys = append(keys, k)
		}
	}
	return keys
}
