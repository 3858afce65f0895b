package web

import (
	"strings"

	"github.com/ks-no/digihjelpen/ticket"
)

// historyLine is an event as staff read it: who, when, and a sentence.
type historyLine struct {
	*ticket.Event
	Who  string
	Text string
}

// describer turns events into Norwegian sentences, with names instead of addresses and keys.
type describer struct {
	agencies ticket.Agencies
	users    []*ticket.User
}

func (d describer) who(actor string) string {
	switch {
	case actor == "system" || actor == "":
		return "Systemet"
	case actor == "cli":
		return "Kommandolinjen"
	case strings.HasPrefix(actor, "token:"):
		return "API-nøkkelen «" + strings.TrimPrefix(actor, "token:") + "»"
	}
	return userName(d.users, actor)
}

func (d describer) status(s string) string { return "«" + ticket.Status(s).Label() + "»" }

func (d describer) lines(events []*ticket.Event) []historyLine {
	out := make([]historyLine, 0, len(events))
	for _, e := range events {
		if e.Kind == ticket.EventOpened {
			continue // every opening of the page: the audit log has them, the history would drown
		}
		out = append(out, historyLine{Event: e, Who: d.who(e.Actor), Text: d.text(e)})
	}
	return out
}

// text is the sentence for one event. Unknown kinds (from a newer version) fall back to the
// plain fields rather than disappearing.
func (d describer) text(e *ticket.Event) string {
	switch e.Kind {
	case ticket.EventCreated:
		if e.To == string(ticket.ChannelWeb) {
			return "Saken kom inn via skjemaet."
		}
		return "Saken kom inn på e-post."
	case ticket.EventRouted:
		return "Rutet til " + d.agencies.Name(e.To) + ": " + routingText(e.Detail) + "."
	case ticket.EventStatus:
		s := "Status endret fra " + d.status(e.From) + " til " + d.status(e.To)
		if e.Detail != "" { // the system's own changes say why (auto-close)
			s += ", " + e.Detail
		}
		return s + "."
	case ticket.EventReopened:
		return "Gjenåpnet (fra " + d.status(e.From) + ") fordi innsender svarte."
	case ticket.EventAssigned:
		return d.assigned(e)
	case ticket.EventAgency:
		s := "Etat endret fra " + d.agencies.Name(e.From) + " til " + d.agencies.Name(e.To) + "."
		if e.Detail != "" {
			s += " Begrunnelse: " + routingText(e.Detail) + "."
		}
		return s
	case ticket.EventPriority:
		return "Prioritet endret fra " + e.From + " til " + e.To + "."
	case ticket.EventTags:
		if e.To == "" {
			return "Alle stikkord fjernet."
		}
		return "Stikkord satt til: " + strings.ReplaceAll(e.To, ",", ", ") + "."
	case ticket.EventSubject:
		return "Emnet endret til «" + e.To + "»."
	case ticket.EventMunicipal:
		return "Kommune endret til " + strings.TrimSpace(e.Detail+" ("+e.To+")") + "."
	}
	return d.messageText(e)
}

func (d describer) messageText(e *ticket.Event) string {
	switch e.Kind {
	case ticket.EventMessage:
		return "Ny melding fra " + e.To + "."
	case ticket.EventReplied:
		return "Svar sendt til " + e.To + "."
	case ticket.EventNote:
		return "Intern merknad skrevet."
	case ticket.EventReferred:
		s := "Henvist til " + d.agencies.Name(e.To)
		if e.From != "" {
			s += " – " + e.From
		}
		s += "."
		if e.Detail != "" {
			s += " Merknad: " + e.Detail
		}
		return s
	case ticket.EventNotice:
		return "Melding sendt til innsenderen (" + e.To + ") om henvisningen."
	case ticket.EventAnswered:
		return d.agencies.Name(e.To) + " svarte på henvisningen."
	case ticket.EventViewed:
		return "Personopplysninger åpnet: " + e.Detail + "."
	case ticket.EventExported:
		return "Saken ble eksportert."
	case ticket.EventAnonymised:
		if e.Detail != "" {
			return "Personopplysninger i saken ble anonymisert: " + e.Detail + "."
		}
		return "Personopplysninger i saken ble anonymisert."
	case ticket.EventMasked:
		return "Melding " + e.To + ": " + e.Detail + "."
	case ticket.EventMailFailed:
		return "E-post kunne ikke sendes: " + e.Detail
	case ticket.EventAcknowledged:
		return ackHistoryText(e)
	case ticket.EventMergedInto:
		if e.To == "" {
			return "Saken " + e.From + ", som denne var slått sammen inn i, ble slettet. E-post i saken hører til denne igjen."
		}
		return "Slått sammen inn i " + e.To + ": " + d.mergeDetail(e.Detail) + " kopiert dit. Saken er lukket; ny e-post går til " + e.To + "."
	case ticket.EventMergedFrom:
		return "Saken " + e.From + " ble slått sammen inn i denne: " + d.mergeDetail(e.Detail) + " lagt til nederst i tråden."
	case ticket.EventFeedback:
		return feedbackHistoryText(e)
	}
	return strings.TrimSpace(string(e.Kind) + " " + e.From + " " + e.To + " " + e.Detail)
}

func (d describer) assigned(e *ticket.Event) string {
	switch {
	case e.To == "":
		return "Tildeling fjernet (var " + userName(d.users, e.From) + ")."
	case e.From == "":
		return "Tildelt " + userName(d.users, e.To) + "."
	}
	return "Tildelt " + userName(d.users, e.To) + " (var " + userName(d.users, e.From) + ")."
}

// routingText makes "rule: reason" read as a sentence: «rule»: reason.
func routingText(detail string) string {
	rule, reason, ok := strings.Cut(detail, ": ")
	if !ok {
		return detail
	}
	if rule == ticket.RuleModel { // the reason says it was the model, and why
		return reason
	}
	return "regelen «" + rule + "» – " + reason
}

// mergeDetail reads what a merge carried over ("3|nav,skatt": three messages, the open
// referrals to NAV and Skatteetaten) as Norwegian words.
func (d describer) mergeDetail(detail string) string {
	n, agencies, _ := strings.Cut(detail, "|")
	s := n + " meldinger"
	if n == "1" {
		s = "1 melding"
	}
	if agencies != "" {
		var names []string
		for _, a := range strings.Split(agencies, ",") {
			names = append(names, d.agencies.Name(a))
		}
		s += " og åpne henvisninger til " + strings.Join(names, ", ")
	}
	return s
}
