package kart

import (
	"math"
	"testing"
)

// TestUTM33 checks the projection against what it must be: on the central meridian the
// northing is the scaled meridian arc (integrated here numerically from the radius of
// curvature, not from the series), the zone is symmetric about it, and the scale factor near
// a point is the one transverse Mercator has there.
func TestUTM33(t *testing.T) {
	for _, lat := range []float64{58, 60, 63.43, 70.5, 71.2} {
		x, y := utm33(15, lat)
		if math.Abs(x-falseEasting) > 1e-6 {
			t.Errorf("lat %v on the central meridian: easting %v, want 500000", lat, x)
		}
		if want := scaleFactor * integratedArc(lat); math.Abs(y-want) > 0.01 {
			t.Errorf("lat %v: northing %.3f, want %.3f", lat, y, want)
		}
		xw, yw := utm33(15-5, lat)
		xe, ye := utm33(15+5, lat)
		if math.Abs((xe-falseEasting)-(falseEasting-xw)) > 1e-6 || math.Abs(ye-yw) > 1e-6 {
			t.Errorf("lat %v: not symmetric about 15°E", lat)
		}
	}
	// scale along the parallel at Oslo (10.75°E, 59.91°N): k = k0(1 + (1+C)A²/2 + …) = 1.000289;
	// the parallel is turned by the grid convergence, so the step has a northing part too
	x1, y1 := utm33(10.75, 59.91)
	x2, y2 := utm33(10.7501, 59.91)
	ground := 0.0001 * degreesToRadia * semiMajor * math.Cos(59.91*degreesToRadia) / math.Sqrt(1-e2*math.Pow(math.Sin(59.91*degreesToRadia), 2))
	if k := math.Hypot(x2-x1, y2-y1) / ground; math.Abs(k-1.000289) > 0.000005 {
		t.Errorf("scale at Oslo %.6f, want 1.000289", k)
	}
}

// integratedArc is the meridian arc to lat by Simpson's rule over the meridian's radius of
// curvature a(1-e²)/(1-e² sin²φ)^(3/2).
func integratedArc(lat float64) float64 {
	const n = 2000
	phi := lat * degreesToRadia
	rho := func(p float64) float64 {
		s := math.Sin(p)
		return semiMajor * (1 - e2) / math.Pow(1-e2*s*s, 1.5)
	}
	h := phi / n
	sum := rho(0) + rho(phi)
	for i := 1; i < n; i++ {
		w := 2.0
		if i%2 == 1 {
			w = 4
		}
		sum += w * rho(float64(i)*h)
	}
	return sum * h / 3
}
