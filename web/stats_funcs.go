package web

import (
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
}

func init() {
	for name, fn := range statsFuncs {
		templateFuncs[name] = fn
	}
}
