package ticket

// Router decides where a new ticket belongs. The routing package implements it; mail intake
// and the web form call it before the ticket is stored, so the decision is in the same
// transaction as the ticket.
type Router interface {
	Route(t *Ticket, first *Message) Decision
}

// Decision is what the rules decided for a new ticket, with the reason kept for staff.
type Decision struct {
	Agency   string
	Priority Priority // "" keeps the ticket's priority
	Tags     []string
	Assignee string
	// Template names the acknowledgement template; "" is the default one.
	Template string
	Routing  Routing
	// Municipality and County are recognised from the sender's domain or the form; zero when not.
	Municipality Municipality
	County       County
}

// Apply puts the decision on a ticket that is not stored yet. A municipality the requester
// already gave (the web form) is kept.
func (d Decision) Apply(t *Ticket) {
	if d.Agency != "" {
		t.Agency = d.Agency
	}
	if d.Priority != "" {
		t.Priority = d.Priority
	}
	for _, tag := range d.Tags {
		if !t.HasTag(tag) {
			t.Tags = append(t.Tags, tag)
		}
	}
	if d.Assignee != "" {
		t.Assignee = d.Assignee
	}
	if d.Template != "" {
		t.Template = d.Template
	}
	t.Routing = d.Routing
	if t.Requester.Municipality.Number == "" && d.Municipality.Number != "" {
		t.Requester.Municipality, t.Requester.County = d.Municipality, d.County
	}
}
