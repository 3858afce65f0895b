package web

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
)

// registerEntryPage is /kommuner/{nr}: one entry, its form, its versions and the place's
// latest tickets.
type registerEntryPage struct {
	Unit     ticket.RegisterUnit
	Offer    *ticket.Offer // what the form shows: the stored entry, or what was posted
	Versions []*ticket.Offer
	Tickets  []*ticket.Ticket
	// TicketCount is how many tickets the place has in all.
	TicketCount int
	IfVersion   int
	Errors      ticket.FieldErrors
	Statuses    []ticket.OfferStatus
	Venues      []ticket.Venue
}

// entryTicketsShown is how many of a place's tickets its page lists.
const entryTicketsShown = 20

func (s *Server) unitParam(c *fiber.Ctx) (ticket.RegisterUnit, error) {
	u, ok := s.Overview.Units.Find(c.Params("nr"))
	if !ok {
		return u, ticket.Errorf(ticket.ENOTFOUND, "Fant ingen kommune eller fylkeskommune med nummer «%s».", c.Params("nr"))
	}
	return u, nil
}

func (s *Server) handleRegisterEntry(c *fiber.Ctx) error {
	u, err := s.unitParam(c)
	if err != nil {
		return err
	}
	o, err := s.Overview.Register.FindOffer(c.UserContext(), u.Number)
	if err != nil {
		return err
	}
	return s.renderRegisterEntry(c, u, o, o.Version, nil)
}

func (s *Server) handleRegisterSave(c *fiber.Ctx) error {
	u, err := s.unitParam(c)
	if err != nil {
		return err
	}
	o := offerFromForm(c, u.Number)
	ifVersion, _ := strconv.Atoi(c.FormValue("versjon"))
	err = s.Overview.Register.SaveOffer(c.UserContext(), o, ifVersion)
	if fe := ticket.FieldErrorsOf(err); fe != nil {
		c.Status(fiber.StatusUnprocessableEntity)
		return s.renderRegisterEntry(c, u, o, ifVersion, fe)
	} else if ticket.ErrorCode(err) == ticket.ECONFLICT {
		cur, ferr := s.Overview.Register.FindOffer(c.UserContext(), u.Number)
		if ferr != nil {
			return ferr
		}
		c.Status(fiber.StatusConflict)
		return s.renderRegisterEntry(c, u, o, cur.Version, ticket.FieldErrors{{Code: ticket.ECONFLICT, Message: ticket.ErrorMessage(err)}})
	} else if err != nil {
		return err
	}
	return c.Redirect("/kommuner/"+u.Number+"?ok=lagret", fiber.StatusSeeOther)
}

// offerFromForm reads the entry form. Unknown venues are kept, so the form can name them.
func offerFromForm(c *fiber.Ctx, number string) *ticket.Offer {
	o := &ticket.Offer{Number: number, Status: ticket.OfferStatus(c.FormValue("status")),
		Address: c.FormValue("adresse"), Hours: c.FormValue("apningstider"), Contact: c.FormValue("kontakt"),
		Web: c.FormValue("nettside"), SpecialNeed: c.FormValue("saerskilt_behov") == "ja", Note: c.FormValue("merknad")}
	args := c.Request().PostArgs()
	for _, v := range args.PeekMulti("sted") {
		o.Venues = append(o.Venues, ticket.Venue(string(v)))
	}
	return o
}

func (s *Server) renderRegisterEntry(c *fiber.Ctx, u ticket.RegisterUnit, o *ticket.Offer, ifVersion int, errs ticket.FieldErrors) error {
	ctx := c.UserContext()
	versions, err := s.Overview.Register.FindOfferVersions(ctx, u.Number)
	if err != nil {
		return err
	}
	list, total, err := s.Tickets.FindTickets(ctx, placeFilter(u.Number, entryTicketsShown))
	if err != nil {
		return err
	}
	d := registerEntryPage{Unit: u, Offer: o, Versions: versions, Tickets: list, TicketCount: total, IfVersion: ifVersion,
		Errors: errs, Statuses: ticket.OfferStatuses, Venues: ticket.Venues}
	p := pageData{Title: u.Name, Nav: "kommuner", Data: d, Errors: errs, Notice: registerNotice(c.Query("ok"))}
	if msg := errs.ByField(""); msg != "" {
		p.Message, p.Errors = msg, nil
	}
	return s.render(c, "register_entry", p)
}

func registerNotice(key string) string {
	if key == "lagret" {
		return "Endringen er lagret."
	}
	return ""
}

// placeFilter selects a place's newest tickets: a municipality's, or a county authority's own
// (the county's tickets with no municipality).
func placeFilter(number string, limit int) ticket.TicketFilter {
	f := ticket.TicketFilter{Sort: ticket.SortCreatedDesc, Limit: limit}
	if ticket.IsCountyNumber(number) {
		none := ""
		f.County, f.Municipality = &number, &none
	} else {
		f.Municipality = &number
	}
	return f
}
