package web

import (
	"html/template"

	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
)

// updatePanel is what templates/_ticket_update.html shows: every field with the ticket's value,
// or with what a refused or stale save chose.
type updatePanel struct {
	Ref, CSRF     string
	Version, Seen uint64
	Merged        bool
	Statuses      []option
	Assignees     []option
	Agencies      []option
	Priorities    []option
	Reason, Tags  string
	Municipality  string
	MunicName     string
	Places        bool          // a list of municipalities to pick from
	Datalist      template.HTML // its <datalist id="kommuner">
	Conflict      []changeLine
}

// option is one choice of a select.
type option struct {
	Value, Label string
	Selected     bool
}

func (s *Server) updatePanel(c *fiber.Ctx, t *ticket.Ticket, parts ticketParts, v ticketView) *updatePanel {
	val := func(field, current string) string {
		if x, ok := v.form[field]; ok && x != "" {
			return x
		}
		return current
	}
	p := &updatePanel{Ref: t.Ref.String(), CSRF: s.csrfToken(c), Version: t.Version, Merged: t.Merged(), Conflict: v.conflict,
		Reason: v.form["begrunnelse"], Tags: val("stikkord", joinTags(t.Tags)),
		Municipality: val("kommune", t.Requester.Municipality.Number), MunicName: val("kommunenavn", t.Requester.Municipality.Name)}
	if _, sent := v.form["stikkord"]; sent {
		p.Tags = v.form["stikkord"] // sent empty: keep it empty
	}
	if n := len(parts.events); n > 0 {
		p.Seen = parts.events[n-1].ID
	}
	st := val("status", string(t.Status))
	p.Statuses = append(p.Statuses, option{Value: string(t.Status), Label: t.Status.Label() + " (nå)", Selected: st == string(t.Status)})
	for _, to := range transitions(t.Status) {
		p.Statuses = append(p.Statuses, option{Value: string(to), Label: to.Label(), Selected: st == string(to)})
	}
	p.Assignees = assigneeOptions(t, parts.users, userFrom(c), v.form["tildelt"])
	ag := val("etat", t.Agency)
	for _, a := range parts.as {
		p.Agencies = append(p.Agencies, option{Value: a.Key, Label: a.Name, Selected: a.Key == ag})
	}
	pr := val("prioritet", string(t.Priority))
	for _, x := range priorities {
		p.Priorities = append(p.Priorities, option{Value: string(x), Label: x.Label(), Selected: string(x) == pr})
	}
	p.Datalist = s.municipalityDatalist()
	p.Places = p.Datalist != ""
	return p
}

// assigneeOptions lists «Meg», «Ingen» and every active colleague, with the ticket's assignee
// (or what a refused save chose) selected. Keys, not addresses, name people. An assignee who
// is no longer active stays as the choice that changes nothing (value "").
func assigneeOptions(t *ticket.Ticket, users []*ticket.User, me *ticket.User, chosen string) []option {
	current, listed := chosen, t.Assignee == "" || t.Assignee == me.Email
	if current == "" {
		switch t.Assignee {
		case "":
			current = "ingen"
		case me.Email:
			current = "meg"
		}
	}
	var others []option
	for _, u := range users {
		if u.Disabled || u.Email == me.Email {
			continue
		}
		if u.Email == t.Assignee {
			listed = true
			if current == "" {
				current = userKey(u)
			}
		}
		others = append(others, option{Value: userKey(u), Label: u.Name, Selected: current == userKey(u)})
	}
	out := []option{{Value: "meg", Label: "Meg (" + me.Name + ")", Selected: current == "meg"}, {Value: "ingen", Label: "Ingen", Selected: current == "ingen"}}
	if !listed {
		out = append(out, option{Value: "", Label: userName(users, t.Assignee) + " (nå, ikke aktiv)", Selected: current == ""})
	}
	return append(out, others...)
}
