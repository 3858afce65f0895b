package web

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/ks-no/digihjelpen/ticket"
	"github.com/ks-no/digihjelpen/web/report"
)

// The charts are SVG drawn on the server: no script, no inline style (colours come from classes
// in style.css), each with a title, a description that says what it shows in words, and the
// numbers in a table beside it.

// Plot area inside every chart's viewBox.
const (
	chartW, chartH               = 760, 300
	plotLeft, plotRight, plotTop = 52, 12, 14
	plotBottom                   = 40
	plotW                        = chartW - plotLeft - plotRight
	plotH                        = chartH - plotTop - plotBottom
)

type chartTick struct {
	Pos   float64
	Label string
}

type chartSegment struct {
	X, Y, W, H float64
	Class      string
	Title      string // shown on hover: the number in words
}

type legendItem struct{ Class, Label string }

// chart is what the SVG templates draw.
type chart struct {
	ID, Title, Desc string
	W, H            int
	Bars            []chartSegment
	Lines           []chartLine
	YTicks, XTicks  []chartTick
	Legend          []legendItem
	YLabel          string
}

type chartLine struct {
	Class  string
	Paths  []string // "x,y x,y …", broken where a week has no value
	Points []chartSegment
}

// niceMax rounds up to 1, 2 or 5 times a power of ten and gives a step for about four ticks.
func niceMax(v float64) (top, step float64) {
	if v <= 0 {
		return 4, 1
	}
	raw := v / 4
	pow := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if step = m * pow; step >= raw {
			break
		}
	}
	return math.Ceil(v/step) * step, step
}

func yTicks(top, step float64, unit string) []chartTick {
	var ticks []chartTick
	for v := 0.0; v <= top+step/2; v += step {
		ticks = append(ticks, chartTick{Pos: plotTop + plotH - v/top*plotH, Label: report.FormatNumber(v) + unit})
	}
	return ticks
}

// weeksChart stacks the new tickets of every week by agency.
func weeksChart(trend []*ticket.WeekTrend, agencies ticket.Agencies) chart {
	c := chart{ID: "uker", Title: "Nye saker per uke etter etat", W: chartW, H: chartH, YLabel: "Saker"}
	seen := map[string]int{}
	for _, w := range trend {
		for k, n := range w.NewByAgency {
			seen[k] += n
		}
	}
	keys := report.AgencyKeys(agencies, seen)
	maxTotal, total, busiest := 0, 0, trend[0]
	for _, w := range trend {
		total += w.New
		if w.New > maxTotal {
			maxTotal, busiest = w.New, w
		}
	}
	top, step := niceMax(float64(maxTotal))
	c.YTicks = yTicks(top, step, "")
	slot := float64(plotW) / float64(len(trend))
	for i, w := range trend {
		x, y := plotLeft+float64(i)*slot+slot*0.15, float64(plotTop+plotH)
		for j, key := range keys {
			n := w.NewByAgency[key]
			if n == 0 {
				continue
			}
			h := float64(n) / top * plotH
			y -= h
			c.Bars = append(c.Bars, chartSegment{X: x, Y: y, W: slot * 0.7, H: h, Class: seriesClass(j),
				Title: fmt.Sprintf("Uke %d %d, %s: %d", w.Week.Week, w.Week.Year, agencies.Name(key), n)})
		}
		if i%4 == len(trend)%4 || i == len(trend)-1 {
			c.XTicks = append(c.XTicks, chartTick{Pos: x + slot*0.35, Label: strconv.Itoa(w.Week.Week)})
		}
	}
	for j, key := range keys {
		c.Legend = append(c.Legend, legendItem{Class: seriesClass(j), Label: agencies.Name(key)})
	}
	c.Desc = fmt.Sprintf("Søylediagram over nye saker per uke fra uke %d %d til uke %d %d, delt på etat. Til sammen %d saker; flest i uke %d %d med %d. Tallene står i tabellen under diagrammet.",
		trend[0].Week.Week, trend[0].Week.Year, trend[len(trend)-1].Week.Week, trend[len(trend)-1].Week.Year, total, busiest.Week.Week, busiest.Week.Year, maxTotal)
	return c
}

// seriesClass is the colour class of the i-th series (style.css has six, then they repeat).
func seriesClass(i int) string { return "series-" + strconv.Itoa(i%6+1) }

// responseChart draws the median and 90th percentile of the first response, in business hours,
// week by week; a week without responses leaves a gap.
func responseChart(trend []*ticket.WeekTrend) chart {
	c := chart{ID: "svartid", Title: "Tid til første svar per uke (arbeidstimer)", W: chartW, H: chartH, YLabel: "Arbeidstimer"}
	maxV := 0.0
	for _, w := range trend {
		maxV = max(maxV, w.FirstResponse.BusinessP90)
	}
	top, step := niceMax(maxV)
	c.YTicks = yTicks(top, step, " t")
	slot := float64(plotW) / float64(len(trend))
	series := []struct {
		class, label string
		value        func(ticket.DurationStats) float64
	}{
		{"series-1", "Median", func(d ticket.DurationStats) float64 { return d.BusinessMedian }},
		{"series-3", "90-persentil", func(d ticket.DurationStats) float64 { return d.BusinessP90 }},
	}
	for _, sr := range series {
		line := chartLine{Class: sr.class}
		var path []string
		for i, w := range trend {
			if w.FirstResponse.Count == 0 {
				line.Paths, path = appendPath(line.Paths, path), nil
				continue
			}
			v := sr.value(w.FirstResponse)
			x, y := plotLeft+(float64(i)+0.5)*slot, plotTop+plotH-v/top*plotH
			path = append(path, fmt.Sprintf("%.1f,%.1f", x, y))
			line.Points = append(line.Points, chartSegment{X: x, Y: y, Class: sr.class,
				Title: fmt.Sprintf("Uke %d %d, %s: %s arbeidstimer", w.Week.Week, w.Week.Year, strings.ToLower(sr.label), report.FormatNumber(v))})
		}
		line.Paths = appendPath(line.Paths, path)
		c.Lines = append(c.Lines, line)
		c.Legend = append(c.Legend, legendItem{Class: sr.class, Label: sr.label})
	}
	for i, w := range trend {
		if i%4 == len(trend)%4 || i == len(trend)-1 {
			c.XTicks = append(c.XTicks, chartTick{Pos: plotLeft + (float64(i)+0.5)*slot, Label: strconv.Itoa(w.Week.Week)})
		}
	}
	last := trend[len(trend)-1]
	c.Desc = fmt.Sprintf("Linjediagram over tid til første svar i arbeidstimer per uke fra uke %d %d til uke %d %d: median og 90-persentil. ",
		trend[0].Week.Week, trend[0].Week.Year, last.Week.Week, last.Week.Year)
	if last.FirstResponse.Count > 0 {
		c.Desc += fmt.Sprintf("Siste uke var medianen %s og 90-persentilen %s arbeidstimer. ", report.FormatNumber(last.FirstResponse.BusinessMedian), report.FormatNumber(last.FirstResponse.BusinessP90))
	}
	c.Desc += "Tallene står i tabellen under diagrammet."
	return c
}

func appendPath(paths, points []string) []string {
	if len(points) == 0 {
		return paths
	}
	return append(paths, strings.Join(points, " "))
}

// countyChart draws the new tickets per county as horizontal bars, most first; spanName is
// «uka» or «perioden».
func countyChart(r *ticket.WeeklyReport, spanName string) chart {
	c := barChart("fylker", "Nye saker per fylke", spanName, ticket.Sorted(r.ByCounty), 0)
	if len(c.Bars) > 0 {
		c.Desc = fmt.Sprintf("Liggende søylediagram over nye saker per fylke i %s. Flest fra %s. Tabellen «Etter fylke» under har alle tallene.", spanName, c.Bars[0].Title)
	}
	return c
}

// topicChart draws the new tickets by the topic chosen in the form, mail as «Uten tema».
func topicChart(r *ticket.WeeklyReport, spanName string) chart {
	c := barChart("tema", "Nye saker etter tema", spanName, ticket.Sorted(r.ByTopic), 0)
	if len(c.Bars) > 0 {
		c.Desc = fmt.Sprintf("Liggende søylediagram over nye saker i %s etter temaet som ble valgt i skjemaet; e-post har ikke tema. Flest: %s. Tabellen «Etter tema» under har alle tallene.", spanName, c.Bars[0].Title)
	}
	return c
}

// tagChart draws the ten tags with the most new tickets.
func tagChart(r *ticket.WeeklyReport, spanName string) chart {
	c := barChart("stikkord-diagram", "Nye saker etter stikkord, de ti største", spanName, ticket.Sorted(r.ByTag), 10)
	if len(c.Bars) > 0 {
		c.Desc = fmt.Sprintf("Liggende søylediagram over de ti stikkordene med flest nye saker i %s; en sak telles under hvert av sine stikkord. Flest: %s. Tabellen «Etter stikkord» under har alle tallene.", spanName, c.Bars[0].Title)
	}
	return c
}

// barChart draws the new tickets of rows as horizontal bars, most first (ties in the rows'
// order), at most limit bars (0: all).
func barChart(id, title, spanName string, rows []*ticket.Breakdown, limit int) chart {
	c := chart{ID: id, Title: title, W: chartW}
	var bars []*ticket.Breakdown
	for _, b := range rows {
		if b.New > 0 {
			bars = append(bars, b)
		}
	}
	sort.SliceStable(bars, func(i, j int) bool { return bars[i].New > bars[j].New })
	if limit > 0 {
		bars = bars[:min(len(bars), limit)]
	}
	maxV := 0
	for _, b := range bars {
		maxV = max(maxV, b.New)
	}
	top, step := niceMax(float64(maxV))
	const rowH, labelW = 26.0, 170.0
	c.H = int(plotTop + rowH*float64(max(len(bars), 1)) + plotBottom)
	width := float64(chartW-plotRight) - labelW
	for i, b := range bars {
		w := float64(b.New) / top * width
		c.Bars = append(c.Bars, chartSegment{X: labelW, Y: plotTop + float64(i)*rowH + 4, W: w, H: rowH - 8, Class: "series-1",
			Title: fmt.Sprintf("%s (%d)", b.Name, b.New)})
		c.YTicks = append(c.YTicks, chartTick{Pos: plotTop + float64(i)*rowH + rowH/2, Label: b.Name})
	}
	for v := 0.0; v <= top+step/2; v += step {
		c.XTicks = append(c.XTicks, chartTick{Pos: labelW + v/top*width, Label: report.FormatNumber(v)})
	}
	if len(bars) == 0 {
		c.Desc = "Ingen nye saker i " + spanName + "."
	}
	return c
}
