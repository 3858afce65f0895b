package ticket

import "time"

// ReferralStatus follows a referral from sent to answered.
type ReferralStatus string

// The referral statuses.
const (
	ReferralSent     ReferralStatus = "sendt"
	ReferralAnswered ReferralStatus = "besvart"
)

// Referral is a ticket sent on to an agency, which answers by mail.
type Referral struct {
	Agency string
	Status ReferralStatus
	Note   string
	By     string // staff email
	// MessageID of the referral mail, so the agency's answer threads back.
	MessageID  string
	SentAt     time.Time
	AnsweredAt time.Time
	// RemindAt is when staff are reminded if the agency has not answered. Zero means the
	// configured delay after SentAt (routing.referral_reminder_after).
	RemindAt time.Time
	// RemindedAt is when the reminder fired: the referral was marked overdue, the ticket got
	// TagReferralOverdue and an EventOverdue. Zero while it is not overdue.
	RemindedAt time.Time
}

// TagReferralOverdue marks a ticket with a referral the agency has not answered in time, so
// the inbox can filter on it. It goes when the last overdue referral is answered.
const TagReferralOverdue = "henvisning-ubesvart"

// Due returns when a reminder for r is due, given the configured delay (0: never, unless
// RemindAt is set).
func (r *Referral) Due(after time.Duration) (time.Time, bool) {
	switch {
	case !r.RemindAt.IsZero():
		return r.RemindAt, true
	case after > 0 && !r.SentAt.IsZero():
		return r.SentAt.Add(after), true
	}
	return time.Time{}, false
}

// OpenReferral is a referral still waiting for the agency's answer, with its ticket.
type OpenReferral struct {
	TicketID uint64
	Ref      Ref
	Subject  string
	Status   Status
	Index    int // position in Ticket.Referrals
	Referral Referral
}
