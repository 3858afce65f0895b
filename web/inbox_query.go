package web

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/ks-no/digihjelpen/ticket"
)

// inboxQuery is what the inbox shows, as read from the URL (filters) or a POSTed search form.
// Nothing in its URL is personal data: a person is named by user id, never by address, and
// the search text travels only in a POST body; the URL of a search names it by an opaque id
// (sok), under which the text is kept (ticket.SearchService).
type inboxQuery struct {
	View         string // vis: a key of inboxViews
	Agency       string // etat
	Assignee     string // tildelt: "meg", "ingen" or "u<user id>"
	Municipality string // kommune: four digits
	County       string // fylke: two digits
	Channel      string // kanal: email or web
	Oldest       bool   // sorter=eldste
	Cursor       string // etter
	Query        string // q: from a POST, or the text kept under SearchID
	SearchID     string // sok: the id of a saved search text
	Saved        string // visning: the saved view the filters came from (its link is marked)
}

// readInboxQuery reads the parameters with get (a query string or a form).
func readInboxQuery(get func(string) string) inboxQuery {
	q := inboxQuery{
		View: get("vis"), Agency: get("etat"), Assignee: get("tildelt"), Municipality: strings.TrimSpace(get("kommune")),
		County: get("fylke"), Channel: get("kanal"), Oldest: get("sorter") == "eldste", Cursor: get("etter"),
		Query: strings.TrimSpace(get("q")), SearchID: get("sok"), Saved: get("visning"),
	}
	if q.View == "" {
		q.View = "aktive"
	}
	return q
}

// values are the filter parameters as a query string, with the id of the search (never its
// text), without the cursor.
func (q inboxQuery) values(view string) url.Values {
	v := url.Values{}
	set := func(k, val string) {
		if val != "" {
			v.Set(k, val)
		}
	}
	set("vis", view)
	set("etat", q.Agency)
	set("tildelt", q.Assignee)
	set("kommune", q.Municipality)
	set("fylke", q.County)
	set("kanal", q.Channel)
	if q.Oldest {
		v.Set("sorter", "eldste")
	}
	set("sok", q.SearchID)
	set("visning", q.Saved)
	return v
}

// filterValues are the filters and sort alone: what a saved view keeps.
func (q inboxQuery) filterValues() url.Values {
	v := q.values(q.View)
	v.Del("sok")
	v.Del("visning")
	return v
}

// url is the address of this page of the inbox (the cursor included).
func (q inboxQuery) url() string {
	v := q.values(q.View)
	if q.Cursor != "" {
		v.Set("etter", q.Cursor)
	}
	return "/innboks?" + v.Encode()
}

// link is the inbox URL of view with the same filters.
func (q inboxQuery) link(view string) string { return "/innboks?" + q.values(view).Encode() }

// filter turns the query into a ticket filter for me, checking every value.
func (q inboxQuery) filter(me *ticket.User, users []*ticket.User, agencies ticket.Agencies) (ticket.TicketFilter, error) {
	f := ticket.TicketFilter{Cursor: q.Cursor, Sort: ticket.SortUpdatedDesc, Query: q.Query}
	if q.Oldest {
		f.Sort = ticket.SortUpdatedAsc
	}
	if q.Agency != "" {
		if _, ok := agencies.Find(q.Agency); !ok {
			return f, ticket.FieldError("etat", "Ukjent etat «%s».", q.Agency)
		}
		f.Agency = &q.Agency
	}
	if err := q.assigneeFilter(&f, me, users); err != nil {
		return f, err
	}
	if q.Municipality != "" {
		if !digits(q.Municipality, 4) {
			return f, ticket.FieldError("kommune", "Kommunenummeret må være fire sifre.")
		}
		f.Municipality = &q.Municipality
	}
	if q.County != "" {
		if !digits(q.County, 2) {
			return f, ticket.FieldError("fylke", "Fylkesnummeret må være to sifre.")
		}
		f.County = &q.County
	}
	switch ch := ticket.Channel(q.Channel); ch {
	case "":
	case ticket.ChannelEmail, ticket.ChannelWeb:
		f.Channel = &ch
	default:
		return f, ticket.FieldError("kanal", "Ukjent kanal «%s».", q.Channel)
	}
	return f, nil
}

func (q inboxQuery) assigneeFilter(f *ticket.TicketFilter, me *ticket.User, users []*ticket.User) error {
	switch q.Assignee {
	case "":
		return nil
	case "meg":
		f.Assignee = &me.Email
		return nil
	case "ingen":
		none := ""
		f.Assignee = &none
		return nil
	}
	if u := userByKey(users, q.Assignee); u != nil {
		f.Assignee = &u.Email
		return nil
	}
	return ticket.FieldError("tildelt", "Ukjent saksbehandler.")
}

// userKey names a user in URLs and forms by id, so no address appears in a URL.
func userKey(u *ticket.User) string { return "u" + strconv.FormatUint(u.ID, 10) }

func userByKey(users []*ticket.User, k string) *ticket.User {
	for _, u := range users {
		if userKey(u) == k {
			return u
		}
	}
	return nil
}

func digits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
