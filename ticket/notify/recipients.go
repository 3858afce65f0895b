package notify

import (
	"fmt"
	"strings"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

// recipient is one staff member and what they are told, in event order.
type recipient struct {
	user  *ticket.User
	items []ticket.Notification
}

// recipients decides who is told about which event. The rules:
//   - only active staff who work tickets (agents and admins, not readers) are ever told, and
//     never about their own action; requesters and agencies never get a notification;
//   - a new ticket: those who follow its agency;
//   - assigned: the user it was assigned to (by someone, or by a routing rule as it came in);
//   - a reply or an agency's answer: the ticket's assignee;
//   - a referral overdue: the user who sent it (its assignee when nobody is named on it);
//   - a first response due: the assignee, or while nobody has it, those who follow its agency;
//   - each wants the kind (NotifySettings.Kinds); one ticket and kind is told once per burst.
func recipients(b ticket.NotifyBatch) []recipient {
	var out []recipient
	index := map[uint64]int{}
	told := map[string]int{} // user|ticket|kind -> position in the user's items
	tell := func(u *ticket.User, n ticket.Notification) {
		i, ok := index[u.ID]
		if !ok {
			i = len(out)
			index[u.ID] = i
			out = append(out, recipient{user: u})
		}
		k := toldKey(u.ID, n)
		if j, dup := told[k]; dup {
			if n.Event == ticket.EventAnswered { // the agency's answer says more than "a message"
				out[i].items[j] = n
			}
			return
		}
		told[k] = len(out[i].items)
		out[i].items = append(out[i].items, n)
	}
	assigned := assignedInBatch(b)
	for _, ev := range b.Events {
		for _, n := range notifications(ev, b.Users, assigned) {
			for _, u := range b.Users {
				if mayBeTold(u, ev.Event) && b.SettingsOf(u).Wants(n.Kind) && concerns(n, ev, u, b.SettingsOf(u)) {
					tell(u, n)
				}
			}
		}
	}
	return out
}

// assignedInBatch are the tickets an assignment of the batch is about.
func assignedInBatch(b ticket.NotifyBatch) map[uint64]bool {
	out := map[uint64]bool{}
	for _, ev := range b.Events {
		if ev.Event.Kind == ticket.EventAssigned {
			out[ev.Event.TicketID] = true
		}
	}
	return out
}

// toldKey names one user, ticket and kind.
func toldKey(userID uint64, n ticket.Notification) string {
	return fmt.Sprintf("%d|%d|%s", userID, n.TicketID, n.Kind)
}

// mayBeTold says whether u may get a notification of e at all.
func mayBeTold(u *ticket.User, e *ticket.Event) bool {
	return !u.Disabled && u.Role.Allows(ticket.RoleAgent) && !strings.EqualFold(u.Email, e.Actor)
}

// concerns says whether notification n is u's to get.
func concerns(n ticket.Notification, ev ticket.NotifyEvent, u *ticket.User, s ticket.NotifySettings) bool {
	t := ev.Ticket
	mine := t.Assignee != "" && strings.EqualFold(t.Assignee, u.Email)
	switch n.Kind {
	case ticket.NotifyNewTicket:
		return s.Follows(t.Agency)
	case ticket.NotifyAssigned: // by an assignment, or by the rule that routed a new ticket
		return mine && (ev.Event.Kind != ticket.EventAssigned || strings.EqualFold(ev.Event.To, u.Email))
	case ticket.NotifyReply:
		return mine
	case ticket.NotifyReferralOverdue:
		if by := referralSender(t, ev.Event.To); by != "" {
			return strings.EqualFold(by, u.Email)
		}
		return mine
	case ticket.NotifyDueSoon:
		return t.FirstResponseAt.IsZero() && (mine || t.Assignee == "" && s.Follows(t.Agency))
	}
	return false
}

// referralSender is who sent the open referral of t to agency ("" when nobody is named).
func referralSender(t *ticket.Ticket, agency string) string {
	for i := len(t.Referrals) - 1; i >= 0; i-- {
		if r := t.Referrals[i]; r.Agency == agency {
			return r.By
		}
	}
	return ""
}

// notifications are what an event tells: its notification, and for a new ticket a routing
// rule gave to someone, that it was assigned to them. A ticket assigned in the same burst
// (assigned) got its assignee from that assignment, which tells of it itself.
func notifications(ev ticket.NotifyEvent, users []*ticket.User, assigned map[uint64]bool) []ticket.Notification {
	n, ok := notification(ev, users)
	if !ok {
		return nil
	}
	out := []ticket.Notification{n}
	if ev.Event.Kind == ticket.EventCreated && ev.Ticket.Assignee != "" && !assigned[ev.Ticket.ID] {
		a := n
		a.Kind, a.Actor, a.ActorName, a.Party = ticket.NotifyAssigned, "system", "", nameOf(users, ev.Ticket.Assignee)
		out = append(out, a)
	}
	return out
}

// notification is what an event tells, about its ticket as it is now; false for an event that
// tells nobody anything (its ticket is gone, or it is not a kind that notifies).
func notification(ev ticket.NotifyEvent, users []*ticket.User) (ticket.Notification, bool) {
	e, t := ev.Event, ev.Ticket
	kind, ok := ticket.NotifyKindOf(e.Kind, e.From)
	if !ok || t == nil {
		return ticket.Notification{}, false
	}
	n := ticket.Notification{EventID: e.ID, Kind: kind, Event: e.Kind, TicketID: t.ID, Ref: t.Ref, Subject: t.Subject,
		Agency: t.Agency, Actor: e.Actor, ActorName: actorName(users, e.Actor), At: e.At}
	switch e.Kind {
	case ticket.EventAssigned:
		n.Party = nameOf(users, e.To)
	case ticket.EventMessage:
		n.Party = "innsender"
		if !strings.EqualFold(e.To, t.Requester.Email) {
			n.Party = "deltaker"
		}
	case ticket.EventAnswered, ticket.EventOverdue:
		n.Party = e.To // the agency
	case ticket.EventFirstResponseDue:
		n.Due = ticket.AddBusinessHours(t.CreatedAt, ticket.FirstResponseHours*time.Hour)
	}
	return n, true
}
