package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"html/template"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
	"github.com/ks-no/digihjelpen/web/kart"
)

// norway is the map of the municipalities, projected and simplified once per process (some
// 60 ms) when a map is first asked for; it never changes after.
var norway = sync.OnceValues(kart.Load)

// attribution is what Kartverket's licence (CC BY 4.0) asks of a map drawn from its data.
const attribution = "Kartdata: © Kartverket (CC BY 4.0)."

// mapPage is /kart: the map, its legend, and the same as a table.
type mapPage struct {
	Layer *mapLayer
	SVG   template.HTML
	Rows  []mapRow
	// Shown is how many rows the name search left.
	Shown  int
	Query  string
	Staff  bool
	Layers []layerLink
	// From and To are the period of the questions layer, as given.
	From, To    string
	Errors      ticket.FieldErrors
	Summary     []statusCount
	Attribution string
}

// mapRow is one municipality of the table, with its texts made once (the template calls no
// functions for each of the 357 rows).
type mapRow struct {
	Unit  ticket.RegisterUnit
	Value string
	// Slug is the offer status's CSS class, Where the offer's places.
	Slug, Where string
	Hidden      bool // left out by the name search
}

type layerLink struct {
	Key, Label string
	Current    bool
}

func (s *Server) handleMap(c *fiber.Ctx) error {
	m, err := norway()
	if err != nil {
		return err
	}
	layer, d, err := s.mapLayerOf(c)
	if err != nil {
		return err
	}
	offers, err := s.offersByNumber(c)
	if err != nil {
		return err
	}
	if layer == nil {
		layer = offerLayer(offers)
	}
	if q := c.Query("q"); q != "" {
		if only, ok := s.onlyMatch(q); ok {
			return c.Redirect("/kart/"+only, fiber.StatusSeeOther)
		}
	}
	numbers := m.Numbers()
	layer.finishLegend(numbers)
	d.Layer, d.Query, d.Attribution = layer, c.Query("q"), attribution
	d.Rows, d.Summary = s.mapRows(layer, offers, d.Query)
	for _, r := range d.Rows {
		if !r.Hidden {
			d.Shown++
		}
	}
	var buf bytes.Buffer
	m.Render(&buf, kart.Options{ID: "kart", Title: layer.Title, Class: "norway-map",
		Desc:   "Kart over Norges 357 kommuner. Hver kommune er en lenke til siden om den. Det samme står i tabellen under kartet. " + attribution,
		Styles: layer.Styles}, s.mapArea(layer))
	d.SVG = template.HTML(buf.String()) // built by kart, every label and link escaped
	p := pageData{Title: "Kart over Digihjelpen-tilbudet", Nav: "kart", Data: d, Errors: d.Errors, Public: !d.Staff, Index: !d.Staff}
	if d.Errors != nil {
		c.Status(fiber.StatusUnprocessableEntity)
	}
	return s.renderCached(c, "map", p)
}

// mapArea links each municipality to its page, named by its name and value.
func (s *Server) mapArea(l *mapLayer) func(string) kart.Area {
	return func(n string) kart.Area {
		style, text := l.value(n)
		name := n
		if u, ok := s.Overview.Units.Find(n); ok {
			name = u.Name
		}
		return kart.Area{Style: style, Href: "/kart/" + n, Label: name + ": " + text}
	}
}

// mapRows are the municipalities in the order people read them, each with the layer's value,
// and the number of municipalities of each offer status.
func (s *Server) mapRows(l *mapLayer, offers map[string]*ticket.Offer, q string) ([]mapRow, []statusCount) {
	byStatus := map[ticket.OfferStatus]int{}
	var rows []mapRow
	for _, u := range s.Overview.Units.All() {
		if u.IsCounty() {
			continue
		}
		o := offerOf(offers, u.Number)
		byStatus[o.Status]++
		_, text := l.value(u.Number)
		rows = append(rows, mapRow{Unit: u, Value: text, Slug: offerSlug(o.Status), Where: venueList(o.Venues), Hidden: !matchesName(u, q)})
	}
	var summary []statusCount
	for _, st := range ticket.OfferStatuses {
		summary = append(summary, statusCount{st, byStatus[st]})
	}
	return rows, summary
}

// onlyMatch is the one municipality whose name or number matches q, if just one does.
func (s *Server) onlyMatch(q string) (string, bool) {
	found := ""
	for _, u := range s.Overview.Units.All() {
		if u.IsCounty() || !matchesName(u, q) {
			continue
		}
		if found != "" {
			return "", false
		}
		found = u.Number
	}
	return found, found != ""
}

func (s *Server) offersByNumber(c *fiber.Ctx) (map[string]*ticket.Offer, error) {
	list, err := s.Overview.Register.FindOffers(c.UserContext())
	if err != nil {
		return nil, err
	}
	out := make(map[string]*ticket.Offer, len(list))
	for _, o := range list {
		out[o.Number] = o
	}
	return out, nil
}

// renderCached renders a page; for visitors who are not logged in it carries an ETag of its
// content and answers 304 when the browser has it, so the map is sent again only when the
// register changed. Staff pages are never cached.
func (s *Server) renderCached(c *fiber.Ctx, name string, d pageData) error {
	if userFrom(c) != nil {
		c.Set(fiber.HeaderCacheControl, "no-store")
		return s.render(c, name, d)
	}
	if err := s.render(c, name, d); err != nil {
		return err
	}
	sum := sha256.Sum256(c.Response().Body())
	etag := `"` + base64.RawURLEncoding.EncodeToString(sum[:18]) + `"`
	c.Set(fiber.HeaderETag, etag)
	c.Set(fiber.HeaderCacheControl, "no-cache")
	if c.Get(fiber.HeaderIfNoneMatch) == etag {
		c.Response().ResetBody()
		return c.SendStatus(fiber.StatusNotModified)
	}
	return nil
}

// defaultPeriod is the questions layer's period when none is given: the last 365 days, as
// ticket.ParsePeriod takes it (its field names last).
func defaultPeriod(now time.Time) (from, to, fromField, toField string) {
	today := now.In(ticket.Oslo)
	return today.AddDate(0, 0, -364).Format("2006-01-02"), today.Format("2006-01-02"), "fra", "til"
}
