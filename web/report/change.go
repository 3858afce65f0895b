package report

import (
	"math"

	"github.com/ks-no/digihjelpen/ticket"
)

// KeyFigure is one of the figures a manager reads first, in this period and the one before of
// the same length: the statistics page leads with them, and the period report's files carry
// them as «Endring».
type KeyFigure struct {
	Field, Label      string
	Current, Previous Value
	Hours             bool // a time in hours; a count or a share otherwise
}

// Difference is Current − Previous; empty when either is.
func (k KeyFigure) Difference() Value {
	if !k.Current.OK || !k.Previous.OK {
		return Value{}
	}
	return Value{V: roundTo(k.Current.V-k.Previous.V, 2), OK: true}
}

// Percent is the change in per cent of Previous, with one decimal; empty when Previous is 0 or
// either is empty.
func (k KeyFigure) Percent() Value {
	if !k.Current.OK || !k.Previous.OK || k.Previous.V == 0 {
		return Value{}
	}
	return Value{V: roundTo(100*(k.Current.V-k.Previous.V)/k.Previous.V, 1), OK: true}
}

// KeyFigures are the key figures of cur against prev.
func KeyFigures(cur, prev *ticket.WeeklyReport) []KeyFigure {
	pick := []struct {
		field, label string
		hours        bool
		value        func(*ticket.WeeklyReport) Value
	}{
		{"new", "Nye saker", false, func(r *ticket.WeeklyReport) Value { return Count(r.New) }},
		{"resolved", "Løste saker", false, func(r *ticket.WeeklyReport) Value { return Count(r.Resolved) }},
		{"referred", "Henviste saker", false, func(r *ticket.WeeklyReport) Value { return Count(r.Referred) }},
		{"open_at_end", "Åpne ved slutten", false, func(r *ticket.WeeklyReport) Value { return Count(r.OpenAtEnd) }},
		{"first_response_business_median", "Første svar, median (arbeidstimer)", true, func(r *ticket.WeeklyReport) Value {
			return Value{V: r.FirstResponse.BusinessMedian, OK: r.FirstResponse.Count > 0}
		}},
		{"feedback_useful_percent", "Svarte «ja» på «Fikk du svar du kunne bruke?» (%)", true, func(r *ticket.WeeklyReport) Value {
			return UsefulPercent(ticket.FeedbackCount{Useful: r.Feedback.Useful, NotUseful: r.Feedback.NotUseful})
		}},
		{"self_help", "Besvart av håndboken før de ble sendt", false, func(r *ticket.WeeklyReport) Value { return Count(r.SelfHelp.Total) }},
	}
	figures := make([]KeyFigure, len(pick))
	for i, p := range pick {
		figures[i] = KeyFigure{Field: p.field, Label: p.label, Current: p.value(cur), Previous: p.value(prev), Hours: p.hours}
	}
	return figures
}

// changeTable is the key figures of a period against the one before, for the period's files.
func changeTable(cur, prev *ticket.WeeklyReport) Table {
	t := Table{ID: "endring", Name: "Endring", Caption: "Nøkkeltall mot forrige periode av samme lengde", NameHead: "Mål", KeyHead: "Felt",
		Cols: []Col{{"Denne perioden", "current", true}, {"Forrige periode", "previous", true}, {"Endring", "difference", true},
			{"Endring (%)", "percent", true}}}
	for _, k := range KeyFigures(cur, prev) {
		t.Rows = append(t.Rows, Row{Key: k.Field, Name: k.Label, Values: []Value{k.Current, k.Previous, k.Difference(), k.Percent()}})
	}
	return t
}

func roundTo(v float64, decimals int) float64 {
	p := math.Pow(10, float64(decimals))
	return math.Round(v*p) / p
}
