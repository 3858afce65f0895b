package notify

import (
	"strings"

	"github.com/ks-no/digihjelpen/ticket"
)

// what says in a few words what happened, for a recipient (you) or a team (third person):
// «Tildelt deg av Ola Nordmann», «Ny melding fra innsender», «NAV svarte på henvisningen».
func (p *Planner) what(n ticket.Notification, team bool) string {
	switch n.Kind {
	case ticket.NotifyNewTicket:
		return "Ny sak for " + p.Agencies.Name(n.Agency)
	case ticket.NotifyAssigned:
		if team && n.ActorName == n.Party {
			return "Tatt av " + n.Party
		}
		s := "Tildelt deg"
		if team {
			s = "Tildelt " + n.Party
		}
		if n.ActorName != "" {
			s += " av " + n.ActorName
		}
		return s
	case ticket.NotifyReply:
		if n.Event == ticket.EventAnswered {
			return p.Agencies.Name(n.Party) + " svarte på henvisningen"
		}
		return "Ny melding fra " + n.Party
	case ticket.NotifyReferralOverdue:
		return "Henvisningen til " + p.Agencies.Name(n.Party) + " er ikke besvart i tide"
	case ticket.NotifyDueSoon:
		return "Første svar forfaller " + osloTime(n.Due)
	}
	return string(n.Kind)
}

// nameOf is the name of the user with address email, or the address.
func nameOf(users []*ticket.User, email string) string {
	for _, u := range users {
		if strings.EqualFold(u.Email, email) {
			return u.Name
		}
	}
	return email
}

// actorName is who did something, for a sentence: a user's name, nothing for the system or
// the routing rules, «innsender» for anyone outside.
func actorName(users []*ticket.User, actor string) string {
	switch {
	case actor == "" || actor == "system" || actor == "cli":
		return ""
	case strings.HasPrefix(actor, "token:"):
		return "API-nøkkelen «" + strings.TrimPrefix(actor, "token:") + "»"
	}
	for _, u := range users {
		if strings.EqualFold(u.Email, actor) {
			return u.Name
		}
	}
	return "innsender"
}
