package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
)

func (s *Server) registerInboxRoutes(r fiber.Router) {
	r.Get("/", s.handleInbox)
}

// inboxView is one tab of the inbox: a name in the URL, a label, and the statuses it shows.
type inboxView struct {
	Key      string
	Label    string
	Statuses []ticket.Status
	Count    int
}

var activeStatuses = []ticket.Status{ticket.StatusNew, ticket.StatusOpen, ticket.StatusWaiting, ticket.StatusReferred}

func inboxViews() []inboxView {
	views := []inboxView{{Key: "aktive", Label: "Aktive", Statuses: activeStatuses}}
	for _, st := range ticket.Statuses {
		views = append(views, inboxView{Key: string(st), Label: st.Label(), Statuses: []ticket.Status{st}})
	}
	return append(views, inboxView{Key: "alle", Label: "Alle"})
}

type inboxData struct {
	Views    []inboxView
	Current  string
	Tickets  []*ticket.Ticket
	Total    int
	Next     string
	Oldest   bool
	Agency   string
	Agencies ticket.Agencies
}

func (s *Server) handleInbox(c *fiber.Ctx) error {
	views := inboxViews()
	current := c.Query("vis", "aktive")
	f := ticket.TicketFilter{Cursor: c.Query("etter"), Sort: ticket.SortUpdatedDesc}
	if c.Query("sorter") == "eldste" {
		f.Sort = ticket.SortUpdatedAsc
	}
	agency := c.Query("etat")
	if agency != "" {
		f.Agency = &agency
	}
	found := false
	for i := range views {
		n, err := s.countTickets(c, views[i].Statuses, f.Agency)
		if err != nil {
			return err
		}
		views[i].Count = n
		if views[i].Key == current {
			f.Statuses, found = views[i].Statuses, true
		}
	}
	if !found {
		return ticket.Errorf(ticket.EINVALID, "Ukjent visning «%s».", current)
	}
	list, total, err := s.Tickets.FindTickets(c.UserContext(), f)
	if err != nil {
		return err
	}
	d := inboxData{Views: views, Current: current, Tickets: list, Total: total, Oldest: f.Sort == ticket.SortUpdatedAsc, Agency: agency, Agencies: s.Agencies}
	if len(list) == ticket.DefaultLimit {
		d.Next = list[len(list)-1].Cursor(f.Sort)
	}
	return s.render(c, "inbox", pageData{Title: "Innboks", Nav: "innboks", Data: d})
}

func (s *Server) countTickets(c *fiber.Ctx, statuses []ticket.Status, agency *string) (int, error) {
	_, n, err := s.Tickets.FindTickets(c.UserContext(), ticket.TicketFilter{Statuses: statuses, Agency: agency, Limit: 1})
	return n, err
}
