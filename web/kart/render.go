package kart

import (
	"bytes"
	"html"
	"math"
	"strconv"
	"strings"
)

// num writes a length with two decimals at most.
func num(f float64) string { return strconv.FormatFloat(math.Round(f*100)/100, 'f', -1, 64) }

// Style is one way to fill a municipality, as the legend shows it. A pattern is drawn over the
// fill so that the styles differ in more than colour (WCAG 1.4.1).
type Style struct {
	Key string // letters, digits and -: part of element ids
	// Fill is the colour of the area; Ink the colour of its pattern.
	Fill, Ink string
	Pattern   Pattern
}

// Pattern is what is drawn over a style's fill.
type Pattern string

// The patterns.
const (
	Solid Pattern = ""
	Hatch Pattern = "hatch" // diagonal lines
	Dots  Pattern = "dots"
	Cross Pattern = "cross" // crossed lines
)

// Area is how one municipality is drawn: its style, where it links to and its accessible
// name (also the tooltip). An area with no Href is drawn but not linked.
type Area struct {
	Style string
	Href  string
	Label string
}

// Options are what a drawing needs besides the areas.
type Options struct {
	// ID prefixes the ids of the title, the description and the patterns: unique in the page.
	ID string
	// Title names the map; Desc says what it shows (and carries the attribution).
	Title, Desc string
	Styles      []Style
	// Focus, when set, draws only the part of the country around these municipalities, and
	// Highlight outlines one of them on top.
	Focus     []string
	Highlight string
	// Class is the class attribute of the svg element.
	Class string
}

// Numbers returns the municipalities of the map, in number order.
func (m *Map) Numbers() []string {
	out := make([]string, len(m.shapes))
	for i, s := range m.shapes {
		out[i] = s.number
	}
	return out
}

// Name returns the name the outlines give a municipality.
func (m *Map) Name(number string) (string, bool) {
	i, ok := m.byNumber[number]
	if !ok {
		return "", false
	}
	return m.shapes[i].name, true
}

// Render writes the map as an svg element, to be placed in an HTML page or served alone.
// area is called once per municipality in view. Labels and links are escaped here.
func (m *Map) Render(w *bytes.Buffer, opt Options, area func(number string) Area) {
	minX, minY, maxX, maxY := m.view(opt.Focus)
	w.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" role="group" viewBox="`)
	w.WriteString(strconv.Itoa(minX) + " " + strconv.Itoa(minY) + " " + strconv.Itoa(maxX-minX) + " " + strconv.Itoa(maxY-minY))
	w.WriteString(`" aria-labelledby="` + opt.ID + `-tittel" aria-describedby="` + opt.ID + `-beskrivelse"`)
	if opt.Class != "" {
		w.WriteString(` class="` + html.EscapeString(opt.Class) + `"`)
	}
	w.WriteString(`><title id="` + opt.ID + `-tittel">` + html.EscapeString(opt.Title) + `</title>`)
	w.WriteString(`<desc id="` + opt.ID + `-beskrivelse">` + html.EscapeString(opt.Desc) + `</desc>`)
	// Patterns and lines keep their size on the screen whatever part of the country is drawn:
	// the view is some 600 pixels across, so a unit is view/600 pixels.
	px := float64(max(maxX-minX, maxY-minY)) / 600
	fills := writeDefs(w, opt, px)
	w.WriteString(`<g fill-rule="evenodd" stroke="#ffffff" stroke-width="` + num(0.6*px) + `" stroke-linejoin="round">`)
	for _, s := range m.shapes {
		if s.maxX < minX || s.minX > maxX || s.maxY < minY || s.minY > maxY {
			continue
		}
		a := area(s.number)
		writeArea(w, s, a, fills[a.Style])
	}
	w.WriteString(`</g>`)
	if i, ok := m.byNumber[opt.Highlight]; ok {
		w.WriteString(`<path d="` + m.shapes[i].path + `" fill="none" stroke="#1a1f24" stroke-width="` + num(3*px) + `" aria-hidden="true"/>`)
	}
	w.WriteString(`</svg>`)
}

func writeArea(w *bytes.Buffer, s shape, a Area, fill string) {
	if fill == "" {
		fill = "#c9d0d6"
	}
	label := html.EscapeString(a.Label)
	if a.Href != "" {
		w.WriteString(`<a href="`)
		w.WriteString(html.EscapeString(a.Href))
		w.WriteString(`" aria-label="`)
		w.WriteString(label)
		w.WriteString(`">`)
	}
	w.WriteString(`<path id="k`)
	w.WriteString(s.number)
	w.WriteString(`" d="`)
	w.WriteString(s.path)
	w.WriteString(`" fill="`)
	w.WriteString(fill)
	w.WriteString(`"><title>`)
	w.WriteString(label)
	w.WriteString(`</title></path>`)
	if a.Href != "" {
		w.WriteString(`</a>`)
	}
}

// writeDefs writes a pattern for each style that has one, px map units to a screen pixel, and
// returns each style's fill.
func writeDefs(w *bytes.Buffer, opt Options, px float64) map[string]string {
	fills := map[string]string{}
	var defs strings.Builder
	for _, st := range opt.Styles {
		if st.Pattern == Solid {
			fills[st.Key] = html.EscapeString(st.Fill)
			continue
		}
		id := opt.ID + "-" + st.Key
		fills[st.Key] = "url(#" + id + ")"
		// a tile of 8 × 8 pixels, drawn in its own 8 × 8 box
		size := num(8 * px)
		defs.WriteString(`<pattern id="` + id + `" patternUnits="userSpaceOnUse" width="` + size + `" height="` + size +
			`" viewBox="0 0 8 8"><rect width="8" height="8" fill="` + html.EscapeString(st.Fill) + `"/>`)
		ink := html.EscapeString(st.Ink)
		switch st.Pattern {
		case Hatch:
			defs.WriteString(`<path d="M-1 1l2-2M0 8l8-8M7 9l2-2" stroke="` + ink + `" stroke-width="1.6"/>`)
		case Cross:
			defs.WriteString(`<path d="M-1 1l2-2M0 8l8-8M7 9l2-2M-1 7l2 2M0 0l8 8M7-1l2 2" stroke="` + ink + `" stroke-width="1.2"/>`)
		case Dots:
			defs.WriteString(`<circle cx="4" cy="4" r="1" fill="` + ink + `"/>`)
		}
		defs.WriteString(`</pattern>`)
	}
	if defs.Len() > 0 {
		w.WriteString(`<defs>` + defs.String() + `</defs>`)
	}
	return fills
}

// view is the part of the map to draw: the whole country, or the box around focus with some
// of the land around it.
func (m *Map) view(focus []string) (minX, minY, maxX, maxY int) {
	minX, minY, maxX, maxY = m.Width, m.Height, 0, 0
	for _, n := range focus {
		if i, ok := m.byNumber[n]; ok {
			s := m.shapes[i]
			minX, minY, maxX, maxY = min(minX, s.minX), min(minY, s.minY), max(maxX, s.maxX), max(maxY, s.maxY)
		}
	}
	if maxX <= minX {
		return 0, 0, m.Width, m.Height
	}
	pad := max(maxX-minX, maxY-minY)/8 + 10
	return max(0, minX-pad), max(0, minY-pad), min(m.Width, maxX+pad), min(m.Height, maxY+pad)
}

// Swatch writes a small svg showing a style, for a legend beside the map; id must be unique
// in the page. It is decoration: the legend's text says what it means.
func Swatch(w *bytes.Buffer, id string, st Style) {
	w.WriteString(`<svg class="swatch" width="28" height="18" viewBox="0 0 28 18" aria-hidden="true" focusable="false">`)
	fills := writeDefs(w, Options{ID: id, Styles: []Style{st}}, 1)
	w.WriteString(`<rect x="0.5" y="0.5" width="27" height="17" fill="` + fills[st.Key] + `" stroke="#4a535d"/></svg>`)
}
