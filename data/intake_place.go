package data

import (
	"slices"
	"strings"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

// place decides what one mail becomes and stores it: a duplicate is skipped, automatic mail
// joins its ticket or waits in quarantine, anything else opens a ticket or joins one.
func (s *IntakeService) place(tx *Tx, it ticket.IngestItem, actor string) (ticket.IntakeResult, error) {
	m, force := it.Mail, it.Options.Force
	msg := m.Message
	msg.MessageID = ticket.NormalizeMessageID(msg.MessageID)
	if tx.isDuplicate(msg.MessageID, it.Options.QuarantineID) {
		return ticket.IntakeResult{Outcome: ticket.IntakeDuplicate}, nil
	}
	if m.Problem != "" && !force {
		return s.hold(tx, it, m.Problem, m.ProblemDetail)
	}
	match, err := s.thread(tx, m)
	if err != nil {
		return ticket.IntakeResult{}, err
	}
	switch {
	case force:
	case msg.Auto == ticket.AutoOwn:
		return s.hold(tx, it, ticket.QuarantineOwn, "E-posten er sendt fra kontaktpunktets egen adresse ("+msg.From+"). Den holdes tilbake så den ikke lager en sløyfe.")
	case msg.Auto != "":
		return s.placeAuto(tx, it, match, actor)
	case !validSender(msg.From):
		return s.hold(tx, it, ticket.QuarantineSender, "E-posten har ingen gyldig avsenderadresse, så ingen kan få svar på den.")
	}
	if match.t != nil && (match.t.RequesterCanAdd() || msg.Auto != "" && !force) {
		return s.appendMail(tx, it, match, actor)
	}
	if match.t != nil {
		match.linkTo = match.t.ID // a closed ticket stays closed; the mail opens a new one (as in Zammad)
	}
	return s.createFromMail(tx, it, match.linkTo, actor)
}

// placeAuto attaches an automatic mail to the ticket it answers; without one it waits in
// quarantine, where staff can still make a ticket of it.
func (s *IntakeService) placeAuto(tx *Tx, it ticket.IngestItem, match threadMatch, actor string) (ticket.IntakeResult, error) {
	m := it.Mail
	if match.t == nil && match.linkTo != 0 {
		// the reference in the subject is enough for automatic mail: it never reopens or answers
		t, err := tx.findTicket(match.linkTo)
		if err != nil {
			return ticket.IntakeResult{}, err
		}
		match = threadMatch{t: t}
	}
	if match.t != nil {
		match.answeredBy = ""
		return s.appendMail(tx, it, match, actor)
	}
	if m.Message.Auto == ticket.AutoBounce {
		return s.hold(tx, it, ticket.QuarantineBounce, "Returmeldingen gjelder ingen e-post vi finner igjen. "+sentence(m.AutoReason))
	}
	return s.hold(tx, it, ticket.QuarantineAuto, "Automatisk e-post som ikke hører til noen sak: "+sentence(m.AutoReason))
}

// sentence ends s with a full stop, for details staff read.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || strings.HasSuffix(s, ".") {
		return s
	}
	return s + "."
}

func validSender(addr string) bool {
	_, err := ticket.NormalizeEmail(addr)
	return err == nil
}

// actorOf is who the audit trail names for a mail: its sender, or the system.
func actorOf(msg *ticket.Message) string {
	if msg.From != "" {
		return msg.From
	}
	return "system"
}

// appendMail adds the mail to the matched ticket. A bounce is a system message; when it says the
// mail was not delivered, the mail it reports is marked returned in the outbox, with an event of
// its own, so staff see that the address did not work.
func (s *IntakeService) appendMail(tx *Tx, it ticket.IngestItem, match threadMatch, actor string) (ticket.IntakeResult, error) {
	m, msg := it.Mail, it.Mail.Message
	tx, undated := mailTx(tx, it, match.t.UpdatedAt)
	opts := ticket.AppendOptions{AnsweredBy: match.answeredBy}
	if msg.Auto == "" {
		opts.Participants = s.others(msg, match.t)
	}
	if msg.Auto == ticket.AutoBounce {
		msg.Direction = ticket.DirectionSystem
	}
	if err := msg.Validate(); err != nil {
		return ticket.IntakeResult{}, err
	}
	t, err := tx.appendToTicket(match.t.ID, msg, opts, actor)
	if err != nil {
		return ticket.IntakeResult{}, err
	}
	if msg.Auto == ticket.AutoBounce && !m.NoFailure {
		// the mail it reports may have been sent from a ticket merged into this one since
		family, err := tx.mergedFamily(t)
		if err != nil {
			return ticket.IntakeResult{}, err
		}
		var returned []*ticket.OutboundMail
		for _, id := range family {
			r, err := tx.returnMails(id, m.BouncedIDs, m.AutoReason)
			if err != nil {
				return ticket.IntakeResult{}, err
			}
			returned = append(returned, r...)
		}
		if err := tx.addBounceEvent(t.ID, m, returned); err != nil {
			return ticket.IntakeResult{}, err
		}
	}
	return ticket.IntakeResult{Outcome: ticket.IntakeAppended, TicketID: t.ID, Ref: t.Ref, Seq: msg.Seq, Undated: undated}, nil
}

// createFromMail opens a ticket for the mail, routed and acknowledged, unless its sender is over
// the limit.
func (s *IntakeService) createFromMail(tx *Tx, it ticket.IngestItem, linkTo uint64, actor string) (ticket.IntakeResult, error) {
	m, force := it.Mail, it.Options.Force
	msg := m.Message
	email, _ := ticket.NormalizeEmail(msg.From)
	mt, undated := mailTx(tx, it, time.Time{}) // the sender limit counts in the mails' own time too
	if !force && s.overSenderLimit(mt, email) {
		return s.hold(tx, it, ticket.QuarantineLoop, "Avsenderen har åpnet mange saker på kort tid. E-posten holdes tilbake i tilfelle det er en sløyfe med et autosvar.")
	}
	t := &ticket.Ticket{
		Subject: msg.Subject, Status: ticket.StatusNew, Priority: ticket.PriorityNormal, Channel: ticket.ChannelEmail,
		Requester: ticket.Requester{Name: msg.FromName, Email: email}, LinkedTo: linkTo,
	}
	if strings.TrimSpace(t.Subject) == "" {
		t.Subject = "(uten emne)"
	}
	addParticipants(t, s.others(msg, t))
	s.route(t, msg)
	if err := t.Validate(); err != nil {
		return ticket.IntakeResult{}, err
	}
	if err := msg.Validate(); err != nil {
		return ticket.IntakeResult{}, err
	}
	ack := s.Acknowledge
	if force || msg.Auto != "" || m.NoAck || email == "" {
		ack = nil
	}
	if err := mt.createTicket(t, msg, actor); err != nil {
		return ticket.IntakeResult{}, err
	}
	if err := tx.acknowledge(t, msg, ack); err != nil { // the acknowledgement goes out now, dated now
		return ticket.IntakeResult{}, err
	}
	if err := s.countSender(mt, email, t.ID); err != nil {
		return ticket.IntakeResult{}, err
	}
	return ticket.IntakeResult{Outcome: ticket.IntakeCreated, TicketID: t.ID, Ref: t.Ref, Seq: msg.Seq, Acknowledged: ack != nil, Undated: undated}, nil
}

// route applies the router's decision; without a router, or when it names no agency, the ticket
// goes to KS.
func (s *IntakeService) route(t *ticket.Ticket, msg *ticket.Message) {
	if s.Router != nil {
		s.Router.Route(t, msg).Apply(t)
	}
	if t.Agency == "" {
		t.Agency = ticket.AgencyKS
		if t.Routing.Rule == "" {
			t.Routing = ticket.Routing{Rule: "standard", Reason: "ingen regel valgte etat; saken går til KS"}
		}
	}
}

// others returns the addresses on To and Cc of msg (and its sender, when the ticket is not
// theirs) that are neither ours nor already on t: they take part from now on.
func (s *IntakeService) others(msg *ticket.Message, t *ticket.Ticket) []string {
	var out []string
	cands := append([]string{msg.From}, msg.To...)
	for _, a := range append(cands, msg.Cc...) {
		a, err := ticket.NormalizeEmail(a)
		if err != nil || t.IsParticipant(a) || slices.Contains(out, a) || s.isOwn(a) {
			continue
		}
		out = append(out, a)
	}
	return out
}

func (s *IntakeService) isOwn(addr string) bool {
	for _, o := range s.OwnAddresses {
		if strings.EqualFold(o, addr) {
			return true
		}
	}
	return false
}

// maxParticipants bounds the list, so a mail to a hundred addresses cannot bloat a ticket.
const maxParticipants = 50

// addParticipants adds addresses (already normalized) that t does not have yet.
func addParticipants(t *ticket.Ticket, addrs []string) {
	for _, a := range addrs {
		if len(t.Participants) >= maxParticipants {
			return
		}
		if a != "" && !t.IsParticipant(a) {
			t.Participants = append(t.Participants, a)
		}
	}
}
