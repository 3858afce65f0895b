package web

import (
	"context"
	"html/template"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
)

// inboxView is one tab of the inbox: a name in the URL, a label, and the tickets it shows.
type inboxView struct {
	Key      string
	Label    string
	Statuses []ticket.Status
	Overdue  bool
	Count    int
	Link     string
}

var activeStatuses = []ticket.Status{ticket.StatusNew, ticket.StatusOpen, ticket.StatusWaiting, ticket.StatusReferred}

func inboxViews() []inboxView {
	views := []inboxView{{Key: "aktive", Label: "Aktive", Statuses: activeStatuses}, {Key: "forfalt", Label: "Forfalt", Overdue: true}}
	for _, st := range ticket.Statuses {
		views = append(views, inboxView{Key: string(st), Label: st.Label(), Statuses: []ticket.Status{st}})
	}
	return append(views, inboxView{Key: "alle", Label: "Alle"})
}

// inboxRow is a ticket as a line of the list. The fields the list shows are copied out of the
// ticket as well: html/template finds a field of an embedded struct by a reflective search that
// allocates, and 50 rows of them took a quarter of the page's rendering at a million tickets.
// The ticket stays embedded for anything else a row may show.
type inboxRow struct {
	*ticket.Ticket
	Ref          ticket.Ref
	Subject      string
	Requester    ticket.Requester
	Agency       string
	Assignee     string
	Status       ticket.Status
	Priority     ticket.Priority
	UpdatedAt    time.Time
	AssigneeName string
	Overdue      string // why it is overdue, or ""
}

type inboxData struct {
	Views      []inboxView
	Current    inboxView
	Query      inboxQuery
	Rows       []inboxRow
	Total      int
	NextURL    string // the next page of a list
	NextCursor string // the next page of a search (a POST)
	Agencies   ticket.Agencies
	Users      []userOption
	Places     []ticket.Place
	Datalist   template.HTML // the municipalities for the filter's field
	Counties   []ticket.County
	Overdue    string // the definition of overdue
	// List is this view as the ticket links carry it (?liste=), for «Send og gå til neste».
	List string
}

// userOption is a staff member in a picker, named by key.
type userOption struct {
	Key, Name, Email string
}

func (s *Server) handleInbox(c *fiber.Ctx) error {
	q := readInboxQuery(func(k string) string { return c.Query(k) })
	q.Query = "" // a search is a POST (handleInboxSearch), never text in a URL
	return s.renderInbox(c, q)
}

// handleInboxSearch answers the search box. The search text may name a person, so it comes
// in a POST body: it never lands in a URL, the browser history, a proxy log or a Referer.
func (s *Server) handleInboxSearch(c *fiber.Ctx) error {
	q := readInboxQuery(func(k string) string { return c.FormValue(k) })
	if q.Query == "" {
		return c.Redirect("/innboks", fiber.StatusSeeOther)
	}
	if ref, err := ticket.ParseRef(q.Query); err == nil {
		return c.Redirect("/saker/"+ref.String(), fiber.StatusSeeOther)
	}
	q.View = "alle"
	return s.renderInbox(c, q)
}

func (s *Server) renderInbox(c *fiber.Ctx, q inboxQuery) error {
	users, err := s.Users.FindUsers(c.UserContext())
	if err != nil {
		return err
	}
	if p, ok := s.findPlace(q.Municipality); ok {
		q.Municipality = p.Municipality.Number // a name typed in the filter
	}
	d := inboxData{Query: q, Agencies: s.agencyNames(c), Users: userOptions(users), Overdue: ticket.OverdueDefinition}
	d.Places, d.Counties = s.placeOptions()
	d.Datalist = s.municipalityDatalist()
	page := pageData{Title: "Innboks", Nav: "innboks", Scripts: staffScripts}
	if q.Query != "" {
		page.Title = "Søk i saker"
	}
	err = s.fillInbox(c, &d, users)
	if fe := ticket.FieldErrorsOf(err); len(fe) > 0 && fe[0].Field != "" {
		page.Errors, page.Message = fe, "Filteret eller søket kunne ikke brukes. Se feilen under."
		c.Status(fiber.StatusBadRequest)
	} else if err != nil {
		return err
	}
	page.Data = d
	return s.render(c, "inbox", page)
}

// fillInbox counts the views and finds the page of tickets.
func (s *Server) fillInbox(c *fiber.Ctx, d *inboxData, users []*ticket.User) error {
	f, err := d.Query.filter(userFrom(c), users, s.Agencies)
	if err != nil {
		d.Views = inboxViews()
		d.Current = d.Views[0]
		return err
	}
	if d.Views, d.Current, err = s.countViews(c, d.Query, f); err != nil {
		return err
	}
	f.Statuses, f.Overdue = d.Current.Statuses, d.Current.Overdue
	if d.Query.Query == "" {
		d.List = d.Query.values(d.Current.Key).Encode()
	}
	list, total, err := s.Tickets.FindTickets(c.UserContext(), f)
	if err != nil {
		return err
	}
	d.Total, d.Rows = total, inboxRows(list, users, s.Now())
	if len(list) == ticket.DefaultLimit {
		s.setNext(d, list[len(list)-1], f)
	}
	return nil
}

// statusCounter counts a filter's tickets in every status in one read (data.TicketService);
// without it each tab is counted on its own.
type statusCounter interface {
	CountByStatus(ctx context.Context, f ticket.TicketFilter) (map[ticket.Status]int, error)
}

// countViews counts every tab under the same filters (not a search: a search shows one list).
func (s *Server) countViews(c *fiber.Ctx, q inboxQuery, f ticket.TicketFilter) ([]inboxView, inboxView, error) {
	views := inboxViews()
	var byStatus map[ticket.Status]int
	if sc, ok := s.Tickets.(statusCounter); ok && q.Query == "" {
		var err error
		if byStatus, err = sc.CountByStatus(c.UserContext(), f); err != nil {
			return nil, inboxView{}, err
		}
	}
	var current *inboxView
	for i := range views {
		v := &views[i]
		v.Link = q.link(v.Key)
		if v.Key == q.View {
			current = v
		}
		if q.Query != "" {
			continue
		}
		if byStatus != nil && !v.Overdue {
			v.Count = countOf(byStatus, v.Statuses)
			continue
		}
		cf := f
		cf.Statuses, cf.Overdue, cf.Cursor, cf.Limit = v.Statuses, v.Overdue, "", 1
		_, n, err := s.Tickets.FindTickets(c.UserContext(), cf)
		if err != nil {
			return nil, inboxView{}, err
		}
		v.Count = n
	}
	if current == nil {
		return nil, inboxView{}, ticket.Errorf(ticket.EINVALID, "Ukjent visning «%s».", q.View)
	}
	return views, *current, nil
}

// countOf sums the counts of statuses (all of them when none are named).
func countOf(byStatus map[ticket.Status]int, statuses []ticket.Status) int {
	if len(statuses) == 0 {
		statuses = ticket.Statuses
	}
	n := 0
	for _, st := range statuses {
		n += byStatus[st]
	}
	return n
}

func (s *Server) setNext(d *inboxData, last *ticket.Ticket, f ticket.TicketFilter) {
	order := f.Sort
	switch {
	case f.Query != "":
		order = ticket.SortCreatedDesc
	case f.Overdue:
		order = ticket.SortDueAsc
	}
	cursor := last.Cursor(order)
	if f.Query != "" {
		d.NextCursor = cursor
		return
	}
	v := d.Query.values(d.Current.Key)
	v.Set("etter", cursor)
	d.NextURL = "/innboks?" + v.Encode()
}

func inboxRows(list []*ticket.Ticket, users []*ticket.User, now time.Time) []inboxRow {
	rows := make([]inboxRow, 0, len(list))
	for _, t := range list {
		rows = append(rows, inboxRow{Ticket: t, Ref: t.Ref, Subject: t.Subject, Requester: t.Requester, Agency: t.Agency,
			Assignee: t.Assignee, Status: t.Status, Priority: t.Priority, UpdatedAt: t.UpdatedAt,
			AssigneeName: userName(users, t.Assignee), Overdue: t.OverdueReason(now)})
	}
	return rows
}

func userOptions(users []*ticket.User) []userOption {
	var out []userOption
	for _, u := range users {
		if !u.Disabled {
			out = append(out, userOption{Key: userKey(u), Name: u.Name, Email: u.Email})
		}
	}
	return out
}

// userName is the name of the user with email, or the address when there is no such user.
func userName(users []*ticket.User, email string) string {
	for _, u := range users {
		if u.Email == email {
			return u.Name
		}
	}
	return email
}
