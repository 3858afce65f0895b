package web

import (
	"math"
	"strconv"

	"github.com/ks-no/digihjelpen/web/report"
)

// statsFuncs are the template functions of the statistics page, added to templateFuncs at
// start so that the shared function table stays as it is.
var statsFuncs = map[string]any{
	// svg writes a coordinate with one decimal: enough for a chart, short in the page.
	"svg": func(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) },
	// num writes a figure as people in Norway read it (decimal comma).
	"num": report.FormatNumber,
	// changeText says in words how a key figure changed from the period before.
	"changeText": changeText,
}

// changeText is a key figure's change in words, never by colour alone: «Opp 12 % fra 37»,
// «Ned 2 fra 10», «Som før», or why there is nothing to compare.
func changeText(k report.KeyFigure) string {
	prev := report.FormatNumber(k.Previous.V)
	switch {
	case !k.Previous.OK:
		return "Ingen målinger å sammenligne med"
	case !k.Current.OK:
		return "Ingen målinger nå (før: " + prev + ")"
	}
	diff := k.Difference()
	switch {
	case diff.V == 0:
		return "Som før (" + prev + ")"
	case k.Percent().OK:
		return upDown(diff.V) + " " + report.FormatNumber(math.Abs(k.Percent().V)) + " % fra " + prev
	}
	return upDown(diff.V) + " " + report.FormatNumber(math.Abs(diff.V)) + " fra " + prev
}

func upDown(v float64) string {
	if v > 0 {
		return "Opp"
	}
	return "Ned"
}

func init() {
	for name, fn := range statsFuncs {
		templateFuncs[name] = fn
	}
}
