package report

import (
	"math"
	"strconv"
	"strings"
)

// FormatNumber writes a number as people in Norway read it: decimal comma, at most two decimals.
func FormatNumber(v float64) string {
	s := strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64)
	return strings.Replace(s, ".", ",", 1)
}
