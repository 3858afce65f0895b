package web

import (
	"net/url"

	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
)

// «Send og gå til neste»: after the reply, the next ticket of the inbox view the ticket was
// opened from (the list the inbox links carry in ?liste=), the one that followed it there
// when the reply was written. Without a view, or at its end, the inbox view itself.

// goToNext redirects to the ticket after t (as it was before the reply) in its view.
func (s *Server) goToNext(c *fiber.Ctx, t *ticket.Ticket) error {
	list := listParam(c)
	next, err := s.nextInView(c, t, list)
	if err != nil {
		return err
	}
	if next == nil {
		return c.Redirect("/innboks?"+list, fiber.StatusSeeOther)
	}
	return c.Redirect(ticketLink(next, list, "ok=neste&fra="+t.Ref.String()), fiber.StatusSeeOther)
}

// nextInView finds the ticket after t in the view list names (nil at its end, or when the
// list cannot be read: a bad list is not worth an error after a reply that went out).
func (s *Server) nextInView(c *fiber.Ctx, t *ticket.Ticket, list string) (*ticket.Ticket, error) {
	vals, err := url.ParseQuery(list)
	if err != nil {
		return nil, nil
	}
	q := readInboxQuery(vals.Get)
	q.Query, q.Cursor = "", ""
	users, err := s.Users.FindUsers(c.UserContext())
	if err != nil {
		return nil, err
	}
	f, err := q.filter(userFrom(c), users, s.agencyNames(c))
	if err != nil {
		return nil, nil
	}
	var view *inboxView
	for _, v := range inboxViews() {
		if v.Key == q.View {
			view = &v
		}
	}
	if view == nil {
		return nil, nil
	}
	f.Statuses, f.Overdue = view.Statuses, view.Overdue
	order := f.Sort
	if f.Overdue {
		order = ticket.SortDueAsc
	}
	f.Cursor, f.Limit = t.Cursor(order), 2
	found, _, err := s.Tickets.FindTickets(c.UserContext(), f)
	if err != nil {
		return nil, err
	}
	for _, n := range found {
		if n.ID != t.ID {
			return n, nil
		}
	}
	return nil, nil
}
