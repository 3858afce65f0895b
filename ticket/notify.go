package ticket

import (
	"context"
	"slices"
	"time"
)

// Notifications tell staff by mail (and teams by webhook) that something happened to a ticket
// that is theirs to act on. They come from one place: the events every change writes in its
// transaction. Storage queues each event NotifyKindOf recognises, in that same transaction, and
// a background job turns the queue into mail and webhook posts (see docs/INBOX.md). So a new
// action gets its notifications by writing the events it already writes; no handler calls a
// notifier.

// NotifyKind is a kind of notification a staff member can choose.
type NotifyKind string

// The kinds of notification.
const (
	// NotifyNewTicket: a new ticket for an agency the user follows.
	NotifyNewTicket NotifyKind = "ny-sak"
	// NotifyAssigned: a ticket was assigned to the user (by someone else).
	NotifyAssigned NotifyKind = "tildelt"
	// NotifyReply: the requester (or anyone outside) wrote, or an agency answered a referral,
	// on a ticket assigned to the user.
	NotifyReply NotifyKind = "svar"
	// NotifyReferralOverdue: an agency has not answered a referral the user sent (or, when
	// nobody is named on it, a referral on the user's ticket) in time.
	NotifyReferralOverdue NotifyKind = "henvisning-forfalt"
	// NotifyDueSoon: the first response to the user's ticket (or an unassigned ticket of an
	// agency the user follows) is due within one business hour.
	NotifyDueSoon NotifyKind = "svarfrist"
)

// NotifyKinds are the kinds in the order the settings page lists them.
var NotifyKinds = []NotifyKind{NotifyAssigned, NotifyReply, NotifyNewTicket, NotifyReferralOverdue, NotifyDueSoon}

// Label is the kind as the settings page names it.
func (k NotifyKind) Label() string {
	switch k {
	case NotifyNewTicket:
		return "Ny sak for en etat jeg følger"
	case NotifyAssigned:
		return "En sak er tildelt meg"
	case NotifyReply:
		return "Svar fra innsender eller etat i en sak som er tildelt meg"
	case NotifyReferralOverdue:
		return "En henvisning jeg sendte, er ikke besvart i tide"
	case NotifyDueSoon:
		return "Første svar i en sak forfaller innen én arbeidstime"
	}
	return string(k)
}

// Valid reports whether k is a known kind.
func (k NotifyKind) Valid() bool { return slices.Contains(NotifyKinds, k) }

// EventFirstResponseDue records that a ticket's first response is due within one business
// hour; it is written once per deadline, by the notification job, so the warning is in the
// history as well as in the mail.
const EventFirstResponseDue EventKind = "first_response_due"

// DueSoonWithin is how close (in business time) a first-response deadline must be for
// NotifyDueSoon.
const DueSoonWithin = time.Hour

// NotifyKindOf says which kind of notification an event may lead to, if any. It is the one
// mapping from what storage records to what staff are told: storage queues exactly the events
// it accepts. An automatic mail (an out-of-office) is recorded with its kind in From and leads
// to nothing.
func NotifyKindOf(kind EventKind, from string) (NotifyKind, bool) {
	switch kind {
	case EventCreated:
		return NotifyNewTicket, true
	case EventAssigned:
		return NotifyAssigned, true
	case EventMessage:
		return NotifyReply, from == ""
	case EventAnswered:
		return NotifyReply, true
	case EventOverdue:
		return NotifyReferralOverdue, true
	case EventFirstResponseDue:
		return NotifyDueSoon, true
	}
	return "", false
}

// DefaultDigestHour is the hour (Oslo time) a daily digest goes out unless the user picks another.
const DefaultDigestHour = 7

// NotifySettings are what one staff member wants to be told, and how.
type NotifySettings struct {
	UserID uint64
	// Kinds are the kinds that are on.
	Kinds []NotifyKind
	// Agencies are the agencies whose new tickets (and unassigned deadlines) the user follows.
	Agencies []string
	// Digest collects the notifications into one mail a day at DigestHour (Oslo time) instead
	// of a mail per event.
	Digest     bool
	DigestHour int
	// DigestSentOn is the Oslo date ("2006-01-02") of the last digest, so a day gets one.
	DigestSentOn string
}

// DefaultNotifySettings are the settings of a user who never saved any: on are the two kinds
// that concern only the user's own work, one mail per event.
func DefaultNotifySettings(userID uint64) NotifySettings {
	return NotifySettings{UserID: userID, Kinds: []NotifyKind{NotifyAssigned, NotifyReply}, DigestHour: DefaultDigestHour}
}

// Wants reports whether kind k is on.
func (s NotifySettings) Wants(k NotifyKind) bool { return slices.Contains(s.Kinds, k) }

// Follows reports whether the user follows agency.
func (s NotifySettings) Follows(agency string) bool { return slices.Contains(s.Agencies, agency) }

// Validate checks settings from the form against the known agencies.
func (s *NotifySettings) Validate(agencies Agencies) error {
	var errs FieldErrors
	for _, k := range s.Kinds {
		if !k.Valid() {
			errs = append(errs, FieldError("varsel", "Ukjent varsel «%s».", k))
		}
	}
	for _, a := range s.Agencies {
		if _, ok := agencies.Find(a); !ok {
			errs = append(errs, FieldError("etat", "Ukjent etat «%s».", a))
		}
	}
	if s.DigestHour < 0 || s.DigestHour > 23 {
		errs = append(errs, FieldError("klokkeslett", "Velg et klokkeslett mellom 0 og 23."))
	}
	return errs.Err()
}

// Notification is one thing that happened, as a recipient is told about it.
type Notification struct {
	EventID uint64
	Kind    NotifyKind
	// Event is the kind of event it came from (a reply may be a message or an agency's answer).
	Event    EventKind
	TicketID uint64
	Ref      Ref
	Subject  string
	Agency   string
	// Actor is who did it (a user's address, an outside address, "system"); ActorName is how
	// a sentence names them ("" for the system and the rules).
	Actor     string
	ActorName string
	// Party is who else it is about: «innsender» or «deltaker» for a message, the agency that
	// answered or was referred to, the name of the user a ticket was assigned to.
	Party string
	At    time.Time
	// Due is the first-response deadline a NotifyDueSoon warns of.
	Due time.Time
}

// NotifyEvent is a queued event with its ticket as it is when the queue is read (nil when the
// ticket has been deleted since).
type NotifyEvent struct {
	Event  *Event
	Ticket *Ticket
}

// NotifyBatch is everything the planner needs to decide who is told what: the queued events
// of a burst, the staff with their settings, and the webhooks.
type NotifyBatch struct {
	Events   []NotifyEvent
	Users    []*User
	Settings map[uint64]NotifySettings // by user id; a user missing has the defaults
	Webhooks []*Webhook
	Now      time.Time
}

// SettingsOf returns u's settings, the defaults when u saved none.
func (b NotifyBatch) SettingsOf(u *User) NotifySettings {
	if s, ok := b.Settings[u.ID]; ok {
		return s
	}
	return DefaultNotifySettings(u.ID)
}

// NotifyPlan is what a batch becomes: mail to send now, notifications held for digests, and
// webhook posts. Storage writes all of it, and takes the batch off the queue, in one
// transaction.
type NotifyPlan struct {
	Mails    []*OutboundMail
	Digest   map[uint64][]Notification // by user id
	Webhooks []*OutboundMail
}

// NotifyFunc plans a batch. It runs inside the transaction that takes the batch off the queue,
// so it must not touch storage.
type NotifyFunc func(b NotifyBatch) (NotifyPlan, error)

// DigestFunc composes the daily digest of one user (nil: nothing to send).
type DigestFunc func(u *User, items []Notification, now time.Time) (*OutboundMail, error)

// NotifyService keeps the settings and drains the notification queue.
type NotifyService interface {
	// FindNotifySettings returns the user's settings, the defaults when none are saved.
	FindNotifySettings(ctx context.Context, userID uint64) (NotifySettings, error)
	// SaveNotifySettings stores s for s.UserID.
	SaveNotifySettings(ctx context.Context, s NotifySettings) error
}
