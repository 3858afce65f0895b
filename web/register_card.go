package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
)

// placeCard is the municipality's card on the ticket page: its Digihjelpen offer and its
// earlier tickets.
type placeCard struct {
	Unit    ticket.RegisterUnit
	Offer   *ticket.Offer
	Earlier []*ticket.Ticket
	// More is how many earlier tickets there are beyond those listed.
	More int
}

// cardTickets is how many earlier tickets the card lists.
const cardTickets = 5

// placeCard returns the card of the ticket's municipality (or county authority), nil when the
// place is unknown or there is no register. A failure leaves the card out: the ticket matters
// more than its card.
func (s *Server) placeCard(c *fiber.Ctx, t *ticket.Ticket) *placeCard {
	if s.Overview.Register == nil || s.Overview.Units == nil {
		return nil
	}
	number := t.Requester.Municipality.Number
	if number == "" {
		number = t.Requester.County.Number
	}
	u, ok := s.Overview.Units.Find(number)
	if !ok {
		return nil
	}
	ctx := c.UserContext()
	o, err := s.Overview.Register.FindOffer(ctx, number)
	if err != nil {
		s.Logger.Error("register entry for ticket page", "ref", t.Ref.String(), "err", err)
		return nil
	}
	list, total, err := s.Tickets.FindTickets(ctx, placeFilter(number, cardTickets+1))
	if err != nil {
		s.Logger.Error("earlier tickets for ticket page", "ref", t.Ref.String(), "err", err)
		return nil
	}
	card := &placeCard{Unit: u, Offer: o}
	for _, e := range list {
		if e.ID != t.ID && len(card.Earlier) < cardTickets {
			card.Earlier = append(card.Earlier, e)
		}
	}
	card.More = max(0, total-1-len(card.Earlier))
	return card
}
