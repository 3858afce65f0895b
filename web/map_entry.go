package web

import (
	"bytes"
	"html/template"

	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
	"github.com/ks-no/digihjelpen/web/kart"
)

// mapEntryPage is /kart/{nr}: a municipality's Digihjelpen offer as everyone may see it, with
// a map of its county where it stands out and its neighbours are links.
type mapEntryPage struct {
	Unit        ticket.RegisterUnit
	Offer       *ticket.Offer
	SVG         template.HTML
	Layer       *mapLayer
	Staff       bool
	Attribution string
}

func (s *Server) handleMapEntry(c *fiber.Ctx) error {
	m, err := norway()
	if err != nil {
		return err
	}
	u, ok := s.Overview.Units.Find(c.Params("nr"))
	if _, drawn := m.Name(u.Number); !ok || !drawn {
		return ticket.Errorf(ticket.ENOTFOUND, "Fant ingen kommune med nummer «%s».", c.Params("nr"))
	}
	offers, err := s.offersByNumber(c)
	if err != nil {
		return err
	}
	layer := offerLayer(offers)
	var county []string
	for _, n := range m.Numbers() {
		if n[:2] == u.Number[:2] {
			county = append(county, n)
		}
	}
	layer.finishLegend(county)
	var buf bytes.Buffer
	m.Render(&buf, kart.Options{ID: "kart", Title: u.Name + " i " + u.County.Name, Class: "county-map",
		Desc:  "Kart over " + u.County.Name + " der " + u.Name + " er tegnet med tykk strek. Kommunene rundt er lenker til sine sider. " + attribution,
		Focus: county, Highlight: u.Number, Styles: layer.Styles}, s.mapArea(layer))
	d := mapEntryPage{Unit: u, Offer: offerOf(offers, u.Number), SVG: template.HTML(buf.String()), Layer: layer,
		Staff: isStaff(c), Attribution: attribution}
	return s.renderCached(c, "map_entry", pageData{Title: u.Name + ": Digihjelpen-tilbud", Nav: "kart", Data: d, Public: !d.Staff, Index: !d.Staff})
}
