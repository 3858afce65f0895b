package web

import (
	"context"
	"html/template"

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
	Counted  bool // a search does not count the overdue tab (it would read every hit)
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

type inboxData struct {
	Views    []inboxView
	Current  inboxView
	Query    inboxQuery
	Rows     []inboxRow
	RowsHTML template.HTML // the rows as the table prints them (rowsHTML)
	Total    int
	NextURL  string // the next page
	Agencies ticket.Agencies
	Users    []userOption
	Places   []ticket.Place
	Datalist template.HTML // the municipalities for the filter's field
	Counties []ticket.County
	Overdue  string // the definition of overdue
	// List is this view as the ticket links carry it (?liste=), for «Send og gå til neste».
	List string
	// Saved are the saved views the user sees, with their counts (nil: the feature is off).
	Saved      []savedViewLink
	SavedViews bool
	// Self is this page's address: «Oppdater», and where bulk work comes back to.
	Self string
	// Poll is where the script asks whether anything changed ("" without the live inbox),
	// every PollMillis.
	Poll       string
	PollMillis int64
	// Bulk is what the bulk form offers; nil when the user may not use it.
	Bulk *bulkOptions
}

// userOption is a staff member in a picker, named by key.
type userOption struct {
	Key, Name, Email string
}

func (s *Server) handleInbox(c *fiber.Ctx) error {
	q := readInboxQuery(func(k string) string { return c.Query(k) })
	q.Query = "" // a search text is never read from a URL, only from its saved id
	if q.SearchID != "" && s.Searches != nil {
		text, err := s.Searches.FindSearch(c.UserContext(), q.SearchID)
		if err != nil {
			return err
		}
		q.Query = text
	}
	return s.renderInbox(c, q)
}

func (s *Server) renderInbox(c *fiber.Ctx, q inboxQuery) error {
	return s.renderInboxPage(c, q, pageData{})
}

// renderInboxPage shows the inbox; page may carry the errors of a refused form (saving a
// view) and a notice.
func (s *Server) renderInboxPage(c *fiber.Ctx, q inboxQuery, page pageData) error {
	users, err := s.Users.FindUsers(c.UserContext())
	if err != nil {
		return err
	}
	if p, ok := s.findPlace(q.Municipality); ok {
		q.Municipality = p.Municipality.Number // a name typed in the filter
	}
	d := inboxData{Query: q, Agencies: s.agencyNames(c), Users: userOptions(users), Overdue: ticket.OverdueDefinition,
		Self: q.url(), SavedViews: s.has(savedViews)}
	d.Places, d.Counties = s.placeOptions()
	d.Datalist = s.municipalityDatalist()
	page.Title, page.Nav, page.Scripts = "Innboks", "innboks", inboxScripts
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
	if s.has(liveInbox) {
		d.Poll, d.PollMillis = s.pollURL(), s.pollEvery().Milliseconds()
	}
	d.Bulk = s.bulkOptions(c, users)
	d.RowsHTML = rowsHTML(d.Rows, d.Bulk != nil, d.List)
	page.Data = d
	return s.render(c, "inbox", page)
}

// fillInbox counts the views and finds the page of tickets, with their markers and previews.
func (s *Server) fillInbox(c *fiber.Ctx, d *inboxData, users []*ticket.User) error {
	me := userFrom(c)
	f, err := d.Query.filter(me, users, s.Agencies)
	if err != nil {
		d.Views = inboxViews()
		d.Current = d.Views[0]
		return err
	}
	if d.Views, d.Current, err = s.countViews(c, d.Query, f); err != nil {
		return err
	}
	if d.Saved, err = s.savedViewLinks(c, d.Query, users); err != nil {
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
	if err := s.Tickets.FillPreviews(c.UserContext(), list); err != nil {
		return err
	}
	markers, err := s.markers(c, me, list)
	if err != nil {
		return err
	}
	d.Total, d.Rows = total, s.inboxRows(list, users, markers, d.Agencies)
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

// countViews counts every tab under the same filters and search.
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
		if q.Query != "" && v.Overdue {
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
		v.Count, v.Counted = n, true
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

// markers are what is new to me on each ticket of the page (none without Seen).
func (s *Server) markers(c *fiber.Ctx, me *ticket.User, list []*ticket.Ticket) (map[uint64]ticket.Marker, error) {
	if s.Seen == nil || len(list) == 0 {
		return nil, nil
	}
	ids := make([]uint64, len(list))
	for i, t := range list {
		ids[i] = t.ID
	}
	seen, err := s.Seen.FindSeen(c.UserContext(), me.ID, ids)
	if err != nil {
		return nil, err
	}
	since := seen.Since
	if me.CreatedAt.After(since) {
		since = me.CreatedAt
	}
	out := make(map[uint64]ticket.Marker, len(list))
	for _, t := range list {
		out[t.ID] = t.MarkerFor(seen.At[t.ID], since)
	}
	return out, nil
}

func (s *Server) setNext(d *inboxData, last *ticket.Ticket, f ticket.TicketFilter) {
	order := f.Sort
	switch {
	case f.Query != "":
		order = ticket.SortCreatedDesc
	case f.Overdue:
		order = ticket.SortDueAsc
	}
	v := d.Query.values(d.Current.Key)
	v.Set("etter", last.Cursor(order))
	d.NextURL = "/innboks?" + v.Encode()
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
