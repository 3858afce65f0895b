package kart

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

//go:embed geo/kommuner-2024-s.geojson
var municipalitiesGeoJSON []byte

// The map's grid and simplification, in metres. A unit of 500 m draws Norway 2,391 units wide,
// which keeps every municipality (the smallest, Kvitsøy and Utsira, a few kilometres across)
// and lets coordinates be small integers; outlines are simplified to 800 m, under a screen
// pixel when the whole country fits a page (some 2.6 km a pixel at 900 pixels), which takes
// the 31,000 points of the file to 16,000 and the drawn map to some 130 kB.
const (
	unit      = 500.0
	tolerance = 800.0
	margin    = 4 // units around the country
)

// Map is the municipalities' outlines, projected and simplified once, ready to draw. It never
// changes after Load, so one value serves every request.
type Map struct {
	// Width and Height are the size of the whole country in map units (the viewBox).
	Width, Height int
	shapes        []shape
	byNumber      map[string]int
}

// shape is one municipality: its SVG path data (absolute first point, then relative steps, in
// whole map units) and its bounding box.
type shape struct {
	number, name           string
	path                   string
	minX, minY, maxX, maxY int
}

// Load reads the embedded outlines of the 357 municipalities.
func Load() (*Map, error) { return Parse(municipalitiesGeoJSON) }

type featureCollection struct {
	Features []struct {
		Properties struct {
			Number string `json:"kommunenummer"`
			Name   string `json:"kommunenavn"`
		} `json:"properties"`
		Geometry struct {
			Type        string          `json:"type"`
			Coordinates json.RawMessage `json:"coordinates"`
		} `json:"geometry"`
	} `json:"features"`
}

type point struct{ x, y float64 }

// Parse reads a GeoJSON FeatureCollection of municipalities (properties kommunenummer and
// kommunenavn, Polygon or MultiPolygon in WGS84 degrees) and projects and simplifies it.
func Parse(geojson []byte) (*Map, error) {
	var fc featureCollection
	if err := json.Unmarshal(geojson, &fc); err != nil {
		return nil, fmt.Errorf("read municipal outlines: %w", err)
	}
	type feature struct {
		number, name string
		polygons     [][][]point
	}
	var features []feature
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, f := range fc.Features {
		polys, err := polygons(f.Geometry.Type, f.Geometry.Coordinates)
		if err != nil {
			return nil, fmt.Errorf("outline of %s %s: %w", f.Properties.Number, f.Properties.Name, err)
		}
		for _, poly := range polys {
			for _, ring := range poly {
				for _, p := range ring {
					minX, minY, maxX, maxY = math.Min(minX, p.x), math.Min(minY, p.y), math.Max(maxX, p.x), math.Max(maxY, p.y)
				}
			}
		}
		features = append(features, feature{f.Properties.Number, f.Properties.Name, polys})
	}
	if len(features) == 0 {
		return nil, fmt.Errorf("read municipal outlines: no features")
	}
	m := &Map{byNumber: map[string]int{},
		Width:  int(math.Ceil((maxX-minX)/unit)) + 2*margin,
		Height: int(math.Ceil((maxY-minY)/unit)) + 2*margin}
	grid := func(p point) [2]int {
		return [2]int{int(math.Round((p.x-minX)/unit)) + margin, int(math.Round((maxY-p.y)/unit)) + margin}
	}
	sort.Slice(features, func(i, j int) bool { return features[i].number < features[j].number })
	for _, f := range features {
		s, ok := drawShape(f.number, f.name, f.polygons, grid)
		if !ok {
			return nil, fmt.Errorf("outline of %s %s: nothing left to draw", f.number, f.name)
		}
		if _, dup := m.byNumber[f.number]; dup {
			return nil, fmt.Errorf("outline of %s %s: the number occurs twice", f.number, f.name)
		}
		m.byNumber[f.number] = len(m.shapes)
		m.shapes = append(m.shapes, s)
	}
	return m, nil
}

// polygons decodes Polygon or MultiPolygon coordinates and projects them.
func polygons(kind string, raw json.RawMessage) ([][][]point, error) {
	var deg [][][][2]float64
	switch kind {
	case "Polygon":
		var one [][][2]float64
		if err := json.Unmarshal(raw, &one); err != nil {
			return nil, err
		}
		deg = [][][][2]float64{one}
	case "MultiPolygon":
		if err := json.Unmarshal(raw, &deg); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("geometry %q, want Polygon or MultiPolygon", kind)
	}
	out := make([][][]point, len(deg))
	for i, poly := range deg {
		out[i] = make([][]point, len(poly))
		for j, ring := range poly {
			pts := make([]point, len(ring))
			for k, c := range ring {
				pts[k].x, pts[k].y = utm33(c[0], c[1])
			}
			out[i][j] = pts
		}
	}
	return out, nil
}

// drawShape simplifies every ring to the grid and writes the path. A ring that shrinks below
// a triangle is left out (a skerry), except a municipality's largest ring, which is kept as
// finely as the grid allows so that every municipality has an outline to click.
func drawShape(number, name string, polys [][][]point, grid func(point) [2]int) (shape, bool) {
	s := shape{number: number, name: name, minX: math.MaxInt, minY: math.MaxInt, maxX: math.MinInt, maxY: math.MinInt}
	largest, largestArea := -1, 0.0
	var rings [][]point
	for _, poly := range polys {
		for _, ring := range poly {
			if a := math.Abs(ringArea(ring)); a > largestArea {
				largest, largestArea = len(rings), a
			}
			rings = append(rings, ring)
		}
	}
	var b strings.Builder
	for i, ring := range rings {
		pts := gridRing(simplify(ring, tolerance), grid)
		if len(pts) < 3 && i == largest {
			pts = gridRing(ring, grid)
		}
		if len(pts) < 3 {
			continue
		}
		writeRing(&b, pts)
		for _, p := range pts {
			s.minX, s.minY, s.maxX, s.maxY = min(s.minX, p[0]), min(s.minY, p[1]), max(s.maxX, p[0]), max(s.maxY, p[1])
		}
	}
	s.path = b.String()
	return s, s.path != ""
}

// gridRing puts a ring on the grid, without repeated points and without its closing point.
func gridRing(ring []point, grid func(point) [2]int) [][2]int {
	var out [][2]int
	for _, p := range ring {
		g := grid(p)
		if len(out) == 0 || out[len(out)-1] != g {
			out = append(out, g)
		}
	}
	if len(out) > 1 && out[0] == out[len(out)-1] {
		out = out[:len(out)-1]
	}
	return out
}

// writeRing writes "M x y" and then relative steps "l dx dy", closed with "z": relative steps
// are mostly one or two digits, so the map stays small.
func writeRing(b *strings.Builder, pts [][2]int) {
	b.WriteString("M")
	b.WriteString(strconv.Itoa(pts[0][0]))
	b.WriteByte(' ')
	b.WriteString(strconv.Itoa(pts[0][1]))
	b.WriteString("l")
	for i := 1; i < len(pts); i++ {
		if i > 1 {
			b.WriteByte(' ')
		}
		b.WriteString(strconv.Itoa(pts[i][0] - pts[i-1][0]))
		b.WriteByte(' ')
		b.WriteString(strconv.Itoa(pts[i][1] - pts[i-1][1]))
	}
	b.WriteString("z")
}

// ringArea is the signed area of a ring (shoelace formula).
func ringArea(r []point) float64 {
	a := 0.0
	for i := range r {
		j := (i + 1) % len(r)
		a += r[i].x*r[j].y - r[j].x*r[i].y
	}
	return a / 2
}
