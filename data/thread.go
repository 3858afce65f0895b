package data

import (
	"slices"

	"github.com/ks-no/digihjelpen/ticket"
)

// threadMatch is where a mail belongs: the ticket it answers (t), or an older ticket a new one
// should link to (linkTo), and the agency whose referral it answers.
type threadMatch struct {
	t          *ticket.Ticket
	linkTo     uint64
	answeredBy string
}

// thread finds the ticket a mail belongs to. Any Message-ID we stored or sent counts, newest
// reference first (In-Reply-To, then References from the end; for a bounce, the mails it
// reports). The reference in the subject counts only when the sender takes part in that ticket
// (the requester, a participant, or someone at an agency it was referred to); a stranger's mail
// with a reference gets a new ticket linked to the old one. Mail to a ticket that was merged
// into another goes to that one (followMerges).
func (s *IntakeService) thread(tx *Tx, m *ticket.InboundMail) (threadMatch, error) {
	msg := m.Message
	ids := threadIDs(m)
	for _, id := range ids {
		t, _, err := tx.findByMessageID(id)
		if ticket.ErrorCode(err) == ticket.ENOTFOUND {
			continue
		} else if err != nil {
			return threadMatch{}, err
		}
		if t, err = tx.followMerges(t); err != nil {
			return threadMatch{}, err
		}
		agency, err := s.answeredBy(tx, t, msg, ids)
		return threadMatch{t: t, answeredBy: agency}, err
	}
	ref, ok := ticket.FindRefInSubject(msg.Subject)
	if !ok {
		return threadMatch{}, nil
	}
	v := tx.Bucket(idxRef).Get([]byte(ref.String()))
	if v == nil {
		return threadMatch{}, nil
	}
	t, err := tx.findTicket(btou64(v))
	if err == nil {
		t, err = tx.followMerges(t)
	}
	if err != nil {
		return threadMatch{}, err
	}
	agency, err := s.answeredBy(tx, t, msg, nil)
	if err != nil {
		return threadMatch{}, err
	}
	if t.IsParticipant(msg.From) || agency != "" {
		return threadMatch{t: t, answeredBy: agency}, nil
	}
	return threadMatch{linkTo: t.ID}, nil
}

// threadIDs lists the Message-IDs a mail refers to, most specific first.
func threadIDs(m *ticket.InboundMail) []string {
	var ids []string
	add := func(id string) {
		if id = ticket.NormalizeMessageID(id); id != "" && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	if m.Message.Auto == ticket.AutoBounce {
		for _, id := range m.BouncedIDs {
			add(id)
		}
	}
	add(m.Message.InReplyTo)
	for i := len(m.Message.References) - 1; i >= 0; i-- {
		add(m.Message.References[i])
	}
	return ids
}

// answeredBy returns the agency whose open referral on t the mail answers: it replies to the
// referral mail, or comes from the domain of the agency's referral address (as administrators
// keep it now, or the address the referral went to). Automatic mail answers nothing.
func (s *IntakeService) answeredBy(tx *Tx, t *ticket.Ticket, msg *ticket.Message, ids []string) (string, error) {
	if msg.Auto != "" {
		return "", nil
	}
	for _, r := range t.Referrals {
		if r.Status == ticket.ReferralSent && r.MessageID != "" && slices.Contains(ids, ticket.NormalizeMessageID(r.MessageID)) {
			return r.Agency, nil
		}
	}
	domain := ticket.EmailDomain(msg.From)
	if domain == "" || !slices.ContainsFunc(t.Referrals, func(r ticket.Referral) bool { return r.Status == ticket.ReferralSent }) {
		return "", nil
	}
	agencies, err := tx.agenciesInForce(s.Agencies)
	if err != nil {
		return "", err
	}
	for _, r := range t.Referrals {
		if a, ok := agencies.Find(r.Agency); ok && r.Status == ticket.ReferralSent && a.Email != "" && ticket.EmailDomain(a.Email) == domain {
			return r.Agency, nil
		}
	}
	return "", nil
}
