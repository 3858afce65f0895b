package ticket

import (
	"context"
	"time"
)

// EventKind names what happened in an audit event.
type EventKind string

// The event kinds. Every change to a ticket writes one, in the same transaction as the change.
const (
	EventCreated    EventKind = "created"
	EventRouted     EventKind = "routed"
	EventStatus     EventKind = "status"
	EventAssigned   EventKind = "assigned"
	EventAgency     EventKind = "agency"
	EventPriority   EventKind = "priority"
	EventTags       EventKind = "tags"
	EventSubject    EventKind = "subject"
	EventMessage    EventKind = "message"  // a mail or form message arrived
	EventReplied    EventKind = "replied"  // staff replied
	EventNote       EventKind = "note"     // staff wrote an internal note
	EventReferred   EventKind = "referred" // sent to an agency
	EventAnswered   EventKind = "answered" // an agency answered a referral
	EventReopened   EventKind = "reopened" // went back to open on a reply
	EventMunicipal  EventKind = "municipality"
	EventExported   EventKind = "exported"
	EventAnonymised EventKind = "anonymised"
	EventViewed     EventKind = "viewed" // personal data was viewed (raw mail, attachment)
	EventMailFailed EventKind = "mail_failed"
	EventLogin      EventKind = "login" // user events carry TicketID 0
	EventUser       EventKind = "user"
	EventToken      EventKind = "token"
	EventBackup     EventKind = "backup"           // an admin downloaded a copy of the database
	EventRules      EventKind = "rules"            // a routing rule set was saved or restored (TicketID 0)
	EventOverdue    EventKind = "referral_overdue" // an agency has not answered a referral in time
	// EventNotice: the requester was told where their question went (a referral's notice).
	EventNotice EventKind = "notice"
	// EventAgencyEdit: an administrator saved an agency's name, address or description
	// (TicketID 0; From is the agency key, To the version).
	EventAgencyEdit EventKind = "agency_edit"
	EventMasked     EventKind = "masked"   // a national identity number was masked before it was stored (To: the message)
	EventOpened     EventKind = "opened"   // staff opened a ticket page, or a program read a ticket through the API
	EventPerson     EventKind = "person"   // a person's data was exported or erased (TicketID 0)
	EventSettings   EventKind = "settings" // an admin changed a setting kept in the database (TicketID 0)
)

// Event is one line of the audit trail. For EventReferred, From is the address the referral
// went to (empty in events written before it was kept), To the agency and Detail the note.
type Event struct {
	ID       uint64
	TicketID uint64
	Kind     EventKind
	Actor    string // user email, "token:<name>", "system", or the requester's address
	From     string
	To       string
	Detail   string
	At       time.Time
}

// EventService reads the audit trail.
type EventService interface {
	// FindEvents returns the events of a ticket, oldest first (ticketID 0: events about no ticket).
	FindEvents(ctx context.Context, ticketID uint64) ([]*Event, error)
	// AddEvent records an event that belongs to no other change (a download, a viewed file),
	// with the actor of ctx.
	AddEvent(ctx context.Context, ticketID uint64, kind EventKind, detail string) error
}
