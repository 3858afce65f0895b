package ticket

import "time"

// FirstResponseHours is the promise to municipalities: a first answer within one working day
// (8 business hours). A new or open ticket without any reply after that is overdue.
const FirstResponseHours = 8

// OverdueDefinition is the definition of "forfalt" shown to staff beside the list.
const OverdueDefinition = "En sak er forfalt når den er ny eller åpen og ikke har fått noe svar innen 8 arbeidstimer " +
	"(hverdager 08–16, helligdager regnes ikke med), eller når en henvisning til en etat ikke er besvart innen fristen for påminnelse. " +
	"Saker som venter på innsender, og løste eller lukkede saker, er aldri forfalt."

// DueAt returns when the ticket becomes overdue, or the zero time when no deadline runs: the
// first-response deadline of a new or open ticket nobody has answered, or the reminder time of
// an open referral, whichever comes first.
func (t *Ticket) DueAt() time.Time {
	if !t.Status.Active() || t.Status == StatusWaiting {
		return time.Time{}
	}
	var due time.Time
	if t.FirstResponseAt.IsZero() && (t.Status == StatusNew || t.Status == StatusOpen) {
		due = AddBusinessHours(t.CreatedAt, FirstResponseHours*time.Hour).UTC()
	}
	for _, r := range t.Referrals {
		if at := r.overdueFrom(); !at.IsZero() && (due.IsZero() || at.Before(due)) {
			due = at.UTC()
		}
	}
	return due
}

// overdueFrom is when an open referral becomes overdue: its own reminder time, or, under the
// configured delay (routing.referral_reminder_after), when the reminder job marked it.
func (r *Referral) overdueFrom() time.Time {
	switch {
	case r.Status != ReferralSent:
		return time.Time{}
	case !r.RemindAt.IsZero():
		return r.RemindAt
	}
	return r.RemindedAt
}

// Overdue reports whether the ticket's deadline has passed at now.
func (t *Ticket) Overdue(now time.Time) bool {
	due := t.DueAt()
	return !due.IsZero() && !now.Before(due)
}

// OverdueReason says in a sentence why the ticket is overdue at now, or "" when it is not.
func (t *Ticket) OverdueReason(now time.Time) string {
	if !t.Overdue(now) {
		return ""
	}
	for _, r := range t.Referrals {
		if at := r.overdueFrom(); !at.IsZero() && !now.Before(at) {
			return "Henvisningen til " + r.Agency + " er ikke besvart."
		}
	}
	return "Ikke besvart innen 8 arbeidstimer."
}
