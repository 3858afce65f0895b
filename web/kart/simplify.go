package kart

import "math"

// simplify keeps the points of a closed ring that matter at tolerance (metres): the
// Ramer-Douglas-Peucker algorithm, run on the two halves of the ring so that a closed ring,
// whose ends coincide, has a baseline to measure against. Iterative, so a long coastline
// cannot exhaust the stack.
func simplify(ring []point, tol float64) []point {
	n := len(ring)
	if n < 4 {
		return ring
	}
	keep := make([]bool, n)
	keep[0], keep[n-1], keep[n/2] = true, true, true
	type span struct{ from, to int }
	stack := []span{{0, n / 2}, {n / 2, n - 1}}
	for len(stack) > 0 {
		s := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		far, farDist := -1, tol
		for i := s.from + 1; i < s.to; i++ {
			if d := segmentDistance(ring[i], ring[s.from], ring[s.to]); d > farDist {
				far, farDist = i, d
			}
		}
		if far >= 0 {
			keep[far] = true
			stack = append(stack, span{s.from, far}, span{far, s.to})
		}
	}
	out := make([]point, 0, n/4)
	for i, k := range keep {
		if k {
			out = append(out, ring[i])
		}
	}
	return out
}

// segmentDistance is the distance from p to the segment a-b.
func segmentDistance(p, a, b point) float64 {
	dx, dy := b.x-a.x, b.y-a.y
	l2 := dx*dx + dy*dy
	if l2 == 0 {
		return math.Hypot(p.x-a.x, p.y-a.y)
	}
	t := math.Max(0, math.Min(1, ((p.x-a.x)*dx+(p.y-a.y)*dy)/l2))
	return math.Hypot(p.x-(a.x+t*dx), p.y-(a.y+t*dy))
}
