package web

import (
	"slices"
	"strings"

	"github.com/ks-no/digihjelpen/ticket"
)

// placeOptions returns the municipalities and the counties for pickers, or nothing when no
// list is configured.
func (s *Server) placeOptions() ([]ticket.Place, []ticket.County) {
	if s.Places == nil {
		return nil, nil
	}
	places := s.Places.Municipalities()
	seen := map[string]bool{}
	var counties []ticket.County
	for _, p := range places {
		if !seen[p.County.Number] {
			seen[p.County.Number] = true
			counties = append(counties, p.County)
		}
	}
	slices.SortFunc(counties, func(a, b ticket.County) int { return strings.Compare(a.Number, b.Number) })
	return places, counties
}

// findPlace resolves what staff typed or picked: a four-digit number or a municipality name in
// any of its language forms, as routing rules name them.
func (s *Server) findPlace(in string) (ticket.Place, bool) {
	in = strings.TrimSpace(in)
	if s.Places == nil || in == "" {
		return ticket.Place{}, false
	}
	if p, ok := s.Places.ByNumber(in); ok {
		return p, true
	}
	return s.Places.ByName(in)
}
