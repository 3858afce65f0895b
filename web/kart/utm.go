// Package kart draws the map of Norway's municipalities as SVG: the outlines from Kartverket
// (embedded, see geo/SOURCES.md) projected to UTM zone 33 and simplified once, then each
// municipality filled and linked as the caller says. It knows nothing of the register or the
// web; it is pure and safe for concurrent use.
package kart

import "math"

// UTM zone 33 on the GRS80 ellipsoid (EUREF89, which Norwegian maps use; WGS84 differs by
// well under a metre here). One zone for the whole country, as Kartverket's national maps do,
// so the shape is true in the south and slightly stretched east-west in Finnmark.
const (
	semiMajor      = 6378137.0
	flattening     = 1 / 298.257222101
	scaleFactor    = 0.9996
	centralLon     = 15.0 // degrees east
	falseEasting   = 500000.0
	degreesToRadia = math.Pi / 180
)

var (
	e2  = flattening * (2 - flattening)
	ep2 = e2 / (1 - e2)
)

// utm33 projects a WGS84 longitude and latitude (degrees) to UTM zone 33 easting and northing
// (metres), with the transverse Mercator series of Snyder, «Map Projections: A Working
// Manual» (USGS 1987), formulas 8-9 to 8-13: under a millimetre off within the zone and a few
// metres at Norway's edges, 6° from the central meridian, far below what the map can show.
func utm33(lon, lat float64) (x, y float64) {
	phi := lat * degreesToRadia
	sin, cos := math.Sincos(phi)
	n := semiMajor / math.Sqrt(1-e2*sin*sin)
	t := math.Tan(phi) * math.Tan(phi)
	c := ep2 * cos * cos
	a := cos * (lon - centralLon) * degreesToRadia
	m := meridianArc(phi)
	a2 := a * a
	x = scaleFactor*n*(a+(1-t+c)*a2*a/6+(5-18*t+t*t+72*c-58*ep2)*a2*a2*a/120) + falseEasting
	y = scaleFactor * (m + n*math.Tan(phi)*(a2/2+(5-t+9*c+4*c*c)*a2*a2/24+(61-58*t+t*t+600*c-330*ep2)*a2*a2*a2/720))
	return x, y
}

// meridianArc is the distance along the meridian from the equator to latitude phi (radians).
func meridianArc(phi float64) float64 {
	e4, e6 := e2*e2, e2*e2*e2
	return semiMajor * ((1-e2/4-3*e4/64-5*e6/256)*phi -
		(3*e2/8+3*e4/32+45*e6/1024)*math.Sin(2*phi) +
		(15*e4/256+45*e6/1024)*math.Sin(4*phi) -
		(35*e6/3072)*math.Sin(6*phi))
}
