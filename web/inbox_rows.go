package web

import (
	"strconv"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

// inboxRow is a ticket as a line of the list, every value ready to print. The page prints
// 50 of them with a dozen values each, and html/template finds each field by reflection and
// calls each function by reflection: plain string fields of a flat struct halve what a page
// costs, against methods and functions called on an embedded *ticket.Ticket.
type inboxRow struct {
	ID           uint64
	Pick         string // the checkbox's value, "id:version": the version the list showed
	Ref          string
	Subject      string
	High         bool   // high priority
	Overdue      string // why it is overdue, or ""
	Marker       ticket.Marker
	MarkerLabel  string
	LatestLabel  string // «Innkommende», «Sendt», «Notat»; "" without a preview
	LatestText   string
	Requester    string // name, or the address
	Municipality string
	Agency       string
	Assignee     string // name; "" when nobody has it
	StatusLabel  string
	StatusCSS    string
	UpdatedISO   string
	Updated      string
}

func (s *Server) inboxRows(list []*ticket.Ticket, users []*ticket.User, markers map[uint64]ticket.Marker, as ticket.Agencies) []inboxRow {
	now := s.Now()
	rows := make([]inboxRow, 0, len(list))
	for _, t := range list {
		r := inboxRow{ID: t.ID, Pick: strconv.FormatUint(t.ID, 10) + ":" + strconv.FormatUint(t.Version, 10), Ref: t.Ref.String(),
			Subject: t.Subject, High: t.Priority == ticket.PriorityHigh, Overdue: t.OverdueReason(now), Marker: markers[t.ID],
			Requester: t.Requester.Name, Municipality: t.Requester.Municipality.Name, Agency: as.Name(t.Agency),
			StatusLabel: t.Status.Label(), StatusCSS: "status-" + statusSlug[t.Status],
			UpdatedISO: t.UpdatedAt.UTC().Format(time.RFC3339), Updated: formatOslo(t.UpdatedAt)}
		r.MarkerLabel = r.Marker.Label()
		if !t.Latest.Empty() {
			r.LatestLabel, r.LatestText = t.Latest.Label(), t.Latest.Text
		}
		if r.Requester == "" {
			r.Requester = t.Requester.Email
		}
		if t.Assignee != "" {
			r.Assignee = userName(users, t.Assignee)
		}
		rows = append(rows, r)
	}
	return rows
}
