package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
)

// mapLayerOf reads the layer asked for. Only staff get the layers of questions; for everyone
// else, and for the default, it returns nil: the offers. Errors in the period go beside its
// fields as the page's errors.
func (s *Server) mapLayerOf(c *fiber.Ctx) (*mapLayer, *mapPage, error) {
	d := &mapPage{Staff: isStaff(c) && s.Overview.Counts != nil}
	d.From, d.To, _, _ = defaultPeriod(s.Now())
	if d.Staff {
		d.Layers = []layerLink{{Key: "tilbud", Label: "Tilbud"}, {Key: "saker", Label: "Spørsmål i en periode"}, {Key: "aldri", Label: "Aldri hørt fra"}}
	}
	key := c.Query("lag")
	if !d.Staff || (key != "saker" && key != "aldri") {
		d.markLayer("tilbud")
		return nil, d, nil
	}
	d.markLayer(key)
	ctx := c.UserContext()
	if key == "aldri" {
		all, err := s.Overview.Counts.TicketsByPlace(ctx)
		if err != nil {
			return nil, nil, err
		}
		return silentLayer(all), d, nil
	}
	if c.Query("fra") != "" || c.Query("til") != "" {
		d.From, d.To = c.Query("fra"), c.Query("til")
	}
	period, err := ticket.ParsePeriod(d.From, d.To, "fra", "til")
	if d.Errors = ticket.FieldErrorsOf(err); d.Errors != nil {
		// the typed dates stay in the form, beside their errors; the map shows the default period
		period, err = ticket.ParsePeriod(defaultPeriod(s.Now()))
	}
	if err != nil {
		return nil, nil, err
	}
	counts, err := s.Overview.Counts.NewTicketsByPlace(ctx, period.From, period.To)
	if err != nil {
		return nil, nil, err
	}
	m, err := norway()
	if err != nil {
		return nil, nil, err
	}
	label := "fra " + period.From.In(ticket.Oslo).Format("02.01.2006") + " til " + period.To.Add(-1).In(ticket.Oslo).Format("02.01.2006")
	return countLayer(counts, m.Numbers(), label), d, nil
}

func (d *mapPage) markLayer(key string) {
	for i := range d.Layers {
		d.Layers[i].Current = d.Layers[i].Key == key
	}
}
