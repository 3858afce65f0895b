package web

import (
	"bytes"
	"fmt"
	"html/template"
	"sort"
	"strconv"

	"github.com/ks-no/digihjelpen/ticket"
	"github.com/ks-no/digihjelpen/web/kart"
)

// A map layer: what colours the municipalities, and the same as text for the legend, the
// links' names and the table, so the map is never the only way to read it.
type mapLayer struct {
	Key    string // tilbud, saker, aldri
	Title  string
	Styles []kart.Style
	// Column heads the table's value column.
	Column string
	Legend []legendEntry
	value  func(number string) (style string, text string)
}

type legendEntry struct {
	Swatch template.HTML
	Label  string
	N      int
}

// The offer statuses' styles: a solid green, a hatch and dots, each ink at least 4.5:1 on
// white (the colours of overview.css).
var offerStyles = map[ticket.OfferStatus]kart.Style{
	ticket.OfferAvailable:    {Key: "tilbud", Fill: "#1c6b35"},
	ticket.OfferEstablishing: {Key: "etablering", Fill: "#fbe3c2", Ink: "#8a4b00", Pattern: kart.Hatch},
	ticket.OfferUnknown:      {Key: "ukjent", Fill: "#eef0f2", Ink: "#4a535d", Pattern: kart.Dots},
}

// offerLayer colours by offer status: the public map.
func offerLayer(offers map[string]*ticket.Offer) *mapLayer {
	l := &mapLayer{Key: "tilbud", Title: "Digihjelpen-tilbud i kommunene", Column: "Status"}
	for _, st := range ticket.OfferStatuses {
		l.Styles = append(l.Styles, offerStyles[st])
	}
	l.value = func(n string) (string, string) {
		st := offerOf(offers, n).Status
		return offerStyles[st].Key, st.Label()
	}
	return l
}

func offerOf(offers map[string]*ticket.Offer, number string) *ticket.Offer {
	if o := offers[number]; o != nil {
		return o
	}
	return ticket.UnknownOffer(number)
}

// countStyles are light to dark blue, the lightest with dots: no questions.
var countStyles = []kart.Style{
	{Key: "n0", Fill: "#f3f5f7", Ink: "#4a535d", Pattern: kart.Dots},
	{Key: "n1", Fill: "#c6dbef"},
	{Key: "n2", Fill: "#6baed6"},
	{Key: "n3", Fill: "#2171b5"},
	{Key: "n4", Fill: "#08306b"},
}

// countLayer colours by the number of questions in a period, in four classes of about as
// many municipalities each (quartiles of those with any), and none.
func countLayer(counts map[string]int, numbers []string, period string) *mapLayer {
	l := &mapLayer{Key: "saker", Title: "Spørsmål per kommune " + period, Column: "Spørsmål", Styles: countStyles}
	var nonzero []int
	for _, n := range numbers {
		if c := counts[n]; c > 0 {
			nonzero = append(nonzero, c)
		}
	}
	sort.Ints(nonzero)
	upper := classBreaks(nonzero)
	l.value = func(n string) (string, string) {
		c := counts[n]
		text := strconv.Itoa(c)
		if c == 0 {
			return "n0", text
		}
		for i, u := range upper {
			if c <= u {
				return "n" + strconv.Itoa(i+1), text
			}
		}
		return "n4", text
	}
	l.Legend = countLegend(upper)
	return l
}

// classBreaks returns the upper bound of each of up to four classes of the sorted counts,
// without a class repeated.
func classBreaks(sorted []int) []int {
	var upper []int
	for q := 1; q <= 4 && len(sorted) > 0; q++ {
		u := sorted[(len(sorted)*q+3)/4-1]
		if len(upper) == 0 || u > upper[len(upper)-1] {
			upper = append(upper, u)
		}
	}
	return upper
}

func countLegend(upper []int) []legendEntry {
	out := []legendEntry{{Label: "Ingen spørsmål"}}
	lo := 1
	for _, u := range upper {
		label := fmt.Sprintf("%d–%d", lo, u)
		if lo == u {
			label = strconv.Itoa(u)
		}
		out = append(out, legendEntry{Label: label + " spørsmål"})
		lo = u + 1
	}
	return out
}

// silentStyles mark the municipalities never heard from, strongly, and the rest lightly.
var silentStyles = []kart.Style{
	{Key: "aldri", Fill: "#8a4b00", Ink: "#ffffff", Pattern: kart.Cross},
	{Key: "hort", Fill: "#eef0f2", Ink: "#4a535d", Pattern: kart.Dots},
}

// silentLayer marks the municipalities that have never sent a question.
func silentLayer(all map[string]int) *mapLayer {
	l := &mapLayer{Key: "aldri", Title: "Kommuner vi aldri har hørt fra", Column: "Spørsmål i alt", Styles: silentStyles}
	l.value = func(n string) (string, string) {
		if all[n] == 0 {
			return "aldri", "Aldri hørt fra"
		}
		return "hort", strconv.Itoa(all[n])
	}
	l.Legend = []legendEntry{{Label: "Aldri hørt fra"}, {Label: "Har sendt spørsmål"}}
	return l
}

// finishLegend counts the municipalities of each style and draws the swatches; a layer
// without its own legend labels gets the status labels.
func (l *mapLayer) finishLegend(numbers []string) {
	counts := map[string]int{}
	for _, n := range numbers {
		st, _ := l.value(n)
		counts[st]++
	}
	if l.Legend == nil {
		for _, st := range ticket.OfferStatuses {
			l.Legend = append(l.Legend, legendEntry{Label: st.Label()})
		}
	}
	for i := range l.Legend {
		if i >= len(l.Styles) {
			break
		}
		var buf bytes.Buffer
		kart.Swatch(&buf, "tegn-"+l.Styles[i].Key, l.Styles[i])
		l.Legend[i].Swatch = template.HTML(buf.String()) // built by kart, every attribute escaped
		l.Legend[i].N = counts[l.Styles[i].Key]
	}
}
