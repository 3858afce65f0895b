package ticket

import (
	"context"
	"time"
)

// The audit log is the events of every ticket and those about no ticket, read across the
// whole trail: who signed in (or failed to), who opened which ticket, what was downloaded or
// exported, what administrators changed. It is never edited: the only changes are those of
// forgetting (a person's address and name become [anonymisert] and [navn]), and events older
// than the audit period go, except a ticket's own history, which the statistics are built from
// and which lives as long as the ticket.

// DefaultAuditKeep is how long the audit log keeps events when audit.keep is not set: two years.
const DefaultAuditKeep = 2 * 365 * 24 * time.Hour

// AuditFilter selects audit events. Zero fields select everything.
type AuditFilter struct {
	From, To time.Time // the period: From inclusive, To exclusive
	Kind     EventKind
	// Person is part of an address or name: the actor or whom the event is about.
	Person string
	// TicketID selects the events of one ticket.
	TicketID uint64
	// Cursor continues a list where AuditPage.Next left it.
	Cursor string
	Limit  int
}

// AuditPage is one page of the audit log, newest first.
type AuditPage struct {
	Events []*Event
	// Next continues the list ("" at the end).
	Next string
	// Partial is set when the page stopped after reading its share of the log without filling
	// up (a rare person over a long period); ReadTo is how far back it read.
	Partial bool
	ReadTo  time.Time
}

// AuditService reads the audit log and keeps it to its period.
type AuditService interface {
	// FindAuditEvents returns one page of events matching f, newest first.
	FindAuditEvents(ctx context.Context, f AuditFilter) (AuditPage, error)
	// EachAuditEvent calls fn with every event matching f (Cursor and Limit ignored), newest
	// first, for the CSV download.
	EachAuditEvent(ctx context.Context, f AuditFilter, fn func(*Event) error) error
	// PruneAudit removes the events before cutoff that are not a ticket's own history, and
	// returns how many.
	PruneAudit(ctx context.Context, cutoff time.Time) (int, error)
}

// auditKinds are the kinds a ticket's own history never needs: they record what someone saw or
// did around the tickets, not what happened to one, so they go after the audit period.
var auditKinds = map[EventKind]bool{
	EventOpened: true, EventViewed: true, EventExported: true, EventLogin: true, EventBackup: true,
	EventPerson: true, EventSettings: true, EventUser: true, EventToken: true, EventRules: true,
	EventTemplate: true, EventDeleted: true,
}

// Prunable reports whether an event goes when it is older than the audit period: every event
// about no ticket, and the access events (openings, downloads, exports) of a ticket.
func (e *Event) Prunable() bool { return e.TicketID == 0 || auditKinds[e.Kind] }

// EventKindLabels names the kinds in Norwegian, for the audit log's filter and its CSV.
var EventKindLabels = []struct {
	Kind  EventKind
	Label string
}{
	{EventLogin, "Innlogging"},
	{EventOpened, "Sak åpnet"},
	{EventViewed, "Personopplysninger åpnet (vedlegg, kildetekst)"},
	{EventExported, "Eksport"},
	{EventBackup, "Sikkerhetskopi lastet ned"},
	{EventPerson, "Innsyn og sletting for en person"},
	{EventSettings, "Innstillinger"},
	{EventUser, "Brukere"},
	{EventToken, "API-nøkler"},
	{EventRules, "Regelsett"},
	{EventTemplate, "Maler"},
	{EventDeleted, "Slettet"},
	{EventAnonymised, "Anonymisert"},
	{EventMasked, "Fødselsnummer maskert"},
	{EventCreated, "Sak opprettet"},
	{EventRouted, "Rutet"},
	{EventMessage, "Melding kom inn"},
	{EventAcknowledged, "Kvittering sendt"},
	{EventStatus, "Status endret"},
	{EventReopened, "Gjenåpnet"},
	{EventAssigned, "Tildelt"},
	{EventAgency, "Etat endret"},
	{EventPriority, "Prioritet endret"},
	{EventTags, "Stikkord endret"},
	{EventSubject, "Emne endret"},
	{EventMunicipal, "Kommune endret"},
	{EventReplied, "Svar sendt"},
	{EventNote, "Intern merknad"},
	{EventReferred, "Henvist"},
	{EventAnswered, "Henvisning besvart"},
	{EventOverdue, "Henvisning ubesvart"},
	{EventMergedInto, "Slått sammen inn i en annen"},
	{EventMergedFrom, "En annen slått sammen inn"},
	{EventMailFailed, "E-post ikke sendt"},
	{EventMailRetry, "E-post sendt igjen"},
}

// KindLabel is the Norwegian name of a kind, or the kind itself.
func KindLabel(k EventKind) string {
	for _, l := range EventKindLabels {
		if l.Kind == k {
			return l.Label
		}
	}
	return string(k)
}
