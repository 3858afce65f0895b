package routing

import (
	"sort"

	"github.com/ks-no/digihjelpen/ticket"
)

// The replay also compares the candidate rules, and the model, with what staff finally chose
// on the tickets they decided (moved by hand, or resolved where routing put them), so an
// administrator sees where rules and model are wrong in the eyes of the people who answer.

// compareStaff notes, for a ticket staff decided, whether the candidate rules, the model and
// both together (c, as Route combines them) agree with them.
func (r *Replay) compareStaff(t *ticket.Ticket, first *ticket.Message, c combined) {
	d := c.rules
	agency, source, ok := t.RoutingLabel()
	if !ok {
		return
	}
	st := &r.out.Staff
	st.Decided++
	dis := ticket.StaffDisagreement{TicketID: t.ID, Ref: t.Ref, Subject: t.Subject, CreatedAt: t.CreatedAt,
		Staff: agency, Source: source, Rules: d.Agency, Rule: d.Routing.Rule}
	if d.Agency == agency {
		st.RulesRight++
	}
	if r.Model != nil {
		st.Model = true
		s, ok := c.s, c.suggested
		if !ok {
			s, ok = r.Model.Suggest(t, first) // the rules were firm, so decide did not ask
		}
		if ok {
			dis.Model, dis.Confidence = s.Agency, s.Confidence
		}
		if dis.Model == agency {
			st.ModelRight++
		}
		if c.d.Agency == agency {
			st.BothRight++
		}
	}
	if d.Agency == agency && (r.Model == nil || dis.Model == agency) {
		return
	}
	st.DisagreeCount++
	st.Disagreements = append(st.Disagreements, dis)
	if len(st.Disagreements) > 2*r.out.MaxChanges+64 {
		r.trimStaff()
	}
}

// trimStaff keeps the newest disagreements; the scan goes oldest first.
func (r *Replay) trimStaff() {
	ds := r.out.Staff.Disagreements
	sort.SliceStable(ds, func(i, j int) bool { return ds[i].CreatedAt.After(ds[j].CreatedAt) })
	if len(ds) > r.out.MaxChanges {
		ds = ds[:r.out.MaxChanges]
	}
	r.out.Staff.Disagreements = ds
}
