package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
)

// registerPage is /kommuner: every municipality and county authority with its offer.
type registerPage struct {
	Rows     []registerRow
	Filter   registerFilter
	Counties []ticket.County
	Statuses []ticket.OfferStatus
	// Summary counts the municipalities (not the county authorities) by status.
	Summary  []statusCount
	Flagged  int
	Total    int
	IsAdmin  bool
	Imported *ticket.RegisterImport
	// ImportErrors are the mistakes of a refused import, a line each.
	ImportErrors []string
}

type registerRow struct {
	Unit    ticket.RegisterUnit
	Offer   *ticket.Offer
	Tickets int
}

type statusCount struct {
	Status ticket.OfferStatus
	N      int
}

// registerFilter is what the list is narrowed to, as given in the query.
type registerFilter struct {
	Query, Status, County string
	Need                  bool
}

func (f registerFilter) keeps(r registerRow) bool {
	return (f.Status == "" || string(r.Offer.Status) == f.Status) &&
		(f.County == "" || r.Unit.County.Number == f.County) &&
		(!f.Need || r.Offer.SpecialNeed) && matchesName(r.Unit, f.Query)
}

// matchesName reports whether a unit's name or number contains q; æ, ø and å may be written
// ae, o and a, as on a keyboard without them.
func matchesName(u ticket.RegisterUnit, q string) bool {
	q = foldName(q)
	return q == "" || strings.Contains(foldName(u.Name), q) || strings.HasPrefix(u.Number, q)
}

var nameFolder = strings.NewReplacer("æ", "ae", "ø", "o", "å", "a", "á", "a", "č", "c", "š", "s", "ŧ", "t", "đ", "d", "ŋ", "n", "ž", "z")

func foldName(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	return strings.ReplaceAll(nameFolder.Replace(s), "aa", "a")
}

func (s *Server) handleRegister(c *fiber.Ctx) error {
	f := registerFilter{Query: c.Query("q"), Status: c.Query("status"), County: c.Query("fylke"), Need: c.Query("behov") == "1"}
	d, err := s.registerPage(c, f)
	if err != nil {
		return err
	}
	if k := c.Query("importert"); k != "" {
		d.Imported = parseImported(k)
	}
	return s.render(c, "register", pageData{Title: "Kommuneregisteret", Nav: "kommuner", Data: d})
}

// registerRows joins every unit with its entry and its number of tickets.
func (s *Server) registerRows(c *fiber.Ctx) ([]registerRow, error) {
	ctx := c.UserContext()
	offers, err := s.Overview.Register.FindOffers(ctx)
	if err != nil {
		return nil, err
	}
	byNumber := map[string]*ticket.Offer{}
	for _, o := range offers {
		byNumber[o.Number] = o
	}
	var counts map[string]int
	if s.Overview.Counts != nil {
		if counts, err = s.Overview.Counts.TicketsByPlace(ctx); err != nil {
			return nil, err
		}
	}
	units := s.Overview.Units.All()
	rows := make([]registerRow, len(units))
	for i, u := range units {
		o := byNumber[u.Number]
		if o == nil {
			o = ticket.UnknownOffer(u.Number)
		}
		rows[i] = registerRow{Unit: u, Offer: o, Tickets: counts[u.Number]}
	}
	return rows, nil
}

func (s *Server) registerPage(c *fiber.Ctx, f registerFilter) (*registerPage, error) {
	rows, err := s.registerRows(c)
	if err != nil {
		return nil, err
	}
	d := &registerPage{Filter: f, Statuses: ticket.OfferStatuses, IsAdmin: userFrom(c).IsAdmin(), Total: len(rows)}
	byStatus := map[ticket.OfferStatus]int{}
	seen := map[string]bool{}
	for _, r := range rows {
		if !r.Unit.IsCounty() {
			byStatus[r.Offer.Status]++
		}
		if r.Offer.SpecialNeed {
			d.Flagged++
		}
		if !seen[r.Unit.County.Number] {
			seen[r.Unit.County.Number] = true
			d.Counties = append(d.Counties, r.Unit.County)
		}
		if f.keeps(r) {
			d.Rows = append(d.Rows, r)
		}
	}
	for _, st := range ticket.OfferStatuses {
		d.Summary = append(d.Summary, statusCount{st, byStatus[st]})
	}
	sortCounties(d.Counties)
	return d, nil
}
