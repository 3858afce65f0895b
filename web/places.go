package web

import (
	"html"
	"html/template"
	"slices"
	"strings"

	"github.com/ks-no/digihjelpen/ticket"
)

// placeLists are the pickers made from Places once: the municipalities, the counties and the
// datalist of municipality numbers the inbox filter and the update panel offer (357 options:
// rendered by the templates on every page, they took half the inbox page's time).
type placeLists struct {
	src      ticket.Places
	places   []ticket.Place
	counties []ticket.County
	datalist template.HTML
}

// placeOptions returns the municipalities and the counties for pickers, or nothing when no
// list is configured.
func (s *Server) placeOptions() ([]ticket.Place, []ticket.County) {
	l := s.placeLists()
	return l.places, l.counties
}

// municipalityDatalist is <datalist id="kommuner"> with every municipality ("" without a list).
func (s *Server) municipalityDatalist() template.HTML { return s.placeLists().datalist }

func (s *Server) placeLists() *placeLists {
	if l := s.placeCache.Load(); l != nil && l.src == s.Places {
		return l
	}
	l := &placeLists{src: s.Places}
	if s.Places != nil {
		l.places = s.Places.Municipalities()
		seen := map[string]bool{}
		var b strings.Builder
		b.WriteString(`<datalist id="kommuner">`)
		for _, p := range l.places {
			if !seen[p.County.Number] {
				seen[p.County.Number] = true
				l.counties = append(l.counties, p.County)
			}
			b.WriteString(`<option value="` + html.EscapeString(p.Municipality.Number) + `">` + html.EscapeString(p.Municipality.Name) + `</option>`)
		}
		b.WriteString(`</datalist>`)
		slices.SortFunc(l.counties, func(a, b ticket.County) int { return strings.Compare(a.Number, b.Number) })
		l.datalist = template.HTML(b.String()) // escaped above, option by option
	}
	s.placeCache.Store(l)
	return l
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
