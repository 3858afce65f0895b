package routing

import (
	"sort"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

// Replay collects what a candidate rule set would change on stored tickets, one ticket at a
// time, so the caller can feed it from a scan of any size without holding the tickets.
type Replay struct {
	// Model, when set, is compared with staff's choices too; Threshold is the confidence from
	// which it would route a ticket no rule routed.
	Model     *Model
	Threshold float64

	rules  *RuleSet
	out    ticket.RuleReplay
	moves  map[[2]string]int
	counts map[string]*ticket.AgencyCount
}

// NewReplay starts a replay of the rules over tickets created since (zero: all), keeping at most
// max changed tickets in the list (the totals count them all).
func NewReplay(rules *RuleSet, since time.Time, max int) *Replay {
	return &Replay{rules: rules, out: ticket.RuleReplay{Since: since, MaxChanges: max},
		moves: map[[2]string]int{}, counts: map[string]*ticket.AgencyCount{}}
}

// Add routes one stored ticket with the candidate rules and notes what would change. The
// ticket is not modified.
func (r *Replay) Add(t *ticket.Ticket, first *ticket.Message) {
	both := r.rules.decide(t, first, r.Model, r.Threshold)
	d := both.rules
	r.out.Scanned++
	r.compareStaff(t, first, both)
	r.count(t.Agency).Before++
	r.count(d.Agency).After++
	c, changed := compare(t, d)
	if !changed {
		return
	}
	r.out.Changed++
	if c.FromAgency == c.ToAgency && c.ToPriority == "" && c.ToAssignee == "" {
		// Only tags differ: counted, not listed, so moves are not lost among old tickets
		// that predate a new tag.
		r.out.TagsOnly++
		return
	}
	if c.FromAgency != c.ToAgency {
		r.out.Moved++
		r.moves[[2]string{c.FromAgency, c.ToAgency}]++
	}
	r.out.Changes = append(r.out.Changes, c)
	if len(r.out.Changes) > 2*r.out.MaxChanges+64 {
		r.trim()
	}
}

func (r *Replay) count(agency string) *ticket.AgencyCount {
	c := r.counts[agency]
	if c == nil {
		c = &ticket.AgencyCount{Agency: agency}
		r.counts[agency] = c
	}
	return c
}

// compare lists the differences between a stored ticket and a decision for it.
func compare(t *ticket.Ticket, d ticket.Decision) (ticket.RuleChange, bool) {
	c := ticket.RuleChange{TicketID: t.ID, Ref: t.Ref, Subject: t.Subject, CreatedAt: t.CreatedAt,
		Manual: t.MovedByStaff(), FromAgency: t.Agency, ToAgency: d.Agency,
		FromRule: t.Routing.Rule, ToRule: d.Routing.Rule, Reason: d.Routing.Reason, FromPriority: t.Priority}
	changed := t.Agency != d.Agency
	if d.Priority != "" && d.Priority != t.Priority {
		c.ToPriority, changed = d.Priority, true
	}
	for _, tag := range d.Tags {
		if !t.HasTag(tag) {
			c.TagsAdded, changed = append(c.TagsAdded, tag), true
		}
	}
	if d.Assignee != "" && d.Assignee != t.Assignee {
		c.ToAssignee, changed = d.Assignee, true
	}
	return c, changed
}

// trim keeps the newest changes; the scan goes oldest first.
func (r *Replay) trim() {
	sort.SliceStable(r.out.Changes, func(i, j int) bool { return r.out.Changes[i].CreatedAt.After(r.out.Changes[j].CreatedAt) })
	if len(r.out.Changes) > r.out.MaxChanges {
		r.out.Changes = r.out.Changes[:r.out.MaxChanges]
	}
}

// Result returns the totals and the newest changes.
func (r *Replay) Result() *ticket.RuleReplay {
	r.trim()
	r.trimStaff()
	out := r.out
	for k, n := range r.moves {
		out.Moves = append(out.Moves, ticket.AgencyChange{From: k[0], To: k[1], Count: n})
	}
	sort.Slice(out.Moves, func(i, j int) bool {
		if out.Moves[i].Count != out.Moves[j].Count {
			return out.Moves[i].Count > out.Moves[j].Count
		}
		return out.Moves[i].From+out.Moves[i].To < out.Moves[j].From+out.Moves[j].To
	})
	for _, c := range r.counts {
		out.Counts = append(out.Counts, *c)
	}
	sort.Slice(out.Counts, func(i, j int) bool { return out.Counts[i].Agency < out.Counts[j].Agency })
	return &out
}
