package ticket

import (
	"math"
	"slices"
)

// Percentile returns the p-quantile (0 ≤ p ≤ 1) of values the way Excel's PERCENTILE.INC
// (PERSENTIL.INK) and MEDIAN do: sorted, at rank (n−1)·p counted from 0, interpolated linearly
// between the two nearest values. Management checks the report in a spreadsheet, so the report
// must give what the spreadsheet gives. values is sorted in place; with no values it returns 0.
func Percentile(values []float64, p float64) float64 {
	if len(values) == 0 {
		return 0
	}
	slices.Sort(values)
	h := float64(len(values)-1) * min(max(p, 0), 1)
	lo := int(math.Floor(h))
	if lo+1 >= len(values) {
		return values[len(values)-1]
	}
	return values[lo] + (h-float64(lo))*(values[lo+1]-values[lo])
}

// roundHours rounds to two decimals, half away from zero: what the report shows.
func roundHours(h float64) float64 { return math.Round(h*100) / 100 }
