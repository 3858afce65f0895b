// Package ticket is the domain of the Digihjelpen contact point: tickets, messages, referrals,
// events, agencies, users and the service interfaces the adapters (data, mailbridge, routing,
// web) implement or use. It imports only the standard library.
package ticket

import (
	"context"
	"net/mail"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Channel is how a ticket arrived.
type Channel string

// The channels.
const (
	ChannelEmail Channel = "email"
	ChannelWeb   Channel = "web"
)

// Priority orders the work. Most tickets are normal.
type Priority string

// The priorities.
const (
	PriorityLow    Priority = "lav"
	PriorityNormal Priority = "normal"
	PriorityHigh   Priority = "høy"
)

// Valid reports whether p is a known priority.
func (p Priority) Valid() bool {
	return p == PriorityLow || p == PriorityNormal || p == PriorityHigh
}

// Limits on what a ticket may hold, shared by the form, the API and intake.
const (
	MaxSubjectLen = 300
	MaxNameLen    = 200
)

// Ticket is one question from a municipality (or anyone else), with its state.
type Ticket struct {
	ID       uint64
	Ref      Ref
	Subject  string
	Status   Status
	Agency   string
	Priority Priority
	Assignee string // user email, "" when nobody
	Channel  Channel
	Tags     []string
	// Category is the topic picked in the web form ("" for mail).
	Category  string
	Requester Requester
	// Participants are other addresses that took part (Cc, agencies); their mail threads in.
	Participants []string
	Routing      Routing
	// Template names the acknowledgement template the routing rules chose ("" is the default
	// one), so the AckFunc that composes the acknowledgement can use it.
	Template string
	// StatusToken is the secret in the private status link /sak/<token>.
	StatusToken string
	// LinkedTo is the id of an older ticket this one follows up (a stranger quoting a reference).
	LinkedTo uint64
	// MergedInto is the id of the ticket this one was merged into (0: not merged). A merged
	// ticket is closed, its mail threads into that ticket, and it is never reopened.
	MergedInto uint64
	// MergedFrom lists the tickets merged into this one, oldest merge first.
	MergedFrom []uint64
	// Articles are the slugs of the handbook's articles that replies to the requester linked
	// to, each once: a ticket answered without one may show a gap in the handbook.
	Articles []string

	CreatedAt       time.Time
	UpdatedAt       time.Time
	FirstResponseAt time.Time
	ResolvedAt      time.Time
	// ReopenCount counts how often the ticket went from resolved/waiting back to open.
	ReopenCount  int
	Referrals    []Referral
	MessageCount int
	// Latest is the start of the latest message (not a system message), for the inbox.
	Latest MessagePreview
	// LastInboundAt is when the last message from outside (not automatic) came in: the inbox
	// marks a ticket whose last one came after the user last opened it.
	LastInboundAt time.Time
	// Version increases with every change; the web uses it to warn about concurrent edits.
	Version uint64
	// AnonymisedAt is when personal data was removed under the retention rule (zero: never).
	AnonymisedAt time.Time
}

// Requester is who asked.
type Requester struct {
	Name         string
	Email        string
	Municipality Municipality
	County       County
}

// Municipality is a Norwegian kommune by its four-digit number (2024 structure).
type Municipality struct {
	Number string
	Name   string
}

// County is a fylke by its two-digit number.
type County struct {
	Number string
	Name   string
}

// Routing is what the rules decided for a ticket and why, kept so staff can see it.
type Routing struct {
	Rule   string
	Reason string
}

// Validate checks what every ticket must have, before it is stored.
func (t *Ticket) Validate() error {
	var errs FieldErrors
	if strings.TrimSpace(t.Subject) == "" {
		errs = append(errs, FieldError("subject", "Skriv et emne."))
	} else if utf8.RuneCountInString(t.Subject) > MaxSubjectLen {
		errs = append(errs, FieldError("subject", "Emnet kan være høyst %d tegn.", MaxSubjectLen))
	}
	if !t.Status.Valid() {
		errs = append(errs, FieldError("status", "Ukjent status %q.", t.Status))
	}
	if t.Channel != ChannelEmail && t.Channel != ChannelWeb {
		errs = append(errs, FieldError("channel", "Ukjent kanal %q.", t.Channel))
	}
	if !t.Priority.Valid() {
		errs = append(errs, FieldError("priority", "Ukjent prioritet %q.", t.Priority))
	}
	if t.Agency == "" {
		errs = append(errs, FieldError("agency", "Saken mangler etat."))
	}
	if t.Requester.Email != "" {
		if _, err := NormalizeEmail(t.Requester.Email); err != nil {
			errs = append(errs, FieldError("email", "E-postadressen «%s» er ikke gyldig.", t.Requester.Email))
		}
	}
	if utf8.RuneCountInString(t.Requester.Name) > MaxNameLen {
		errs = append(errs, FieldError("name", "Navnet kan være høyst %d tegn.", MaxNameLen))
	}
	return errs.Err()
}

// HasTag reports whether the ticket carries tag.
func (t *Ticket) HasTag(tag string) bool {
	for _, x := range t.Tags {
		if x == tag {
			return true
		}
	}
	return false
}

// IsParticipant reports whether addr is the requester or a participant, compared case-insensitively.
// Intake uses it to decide whether a reference in a subject may thread a mail into this ticket.
func (t *Ticket) IsParticipant(addr string) bool {
	addr = strings.ToLower(strings.TrimSpace(addr))
	if addr == "" {
		return false
	}
	if strings.EqualFold(t.Requester.Email, addr) {
		return true
	}
	for _, p := range t.Participants {
		if strings.EqualFold(p, addr) {
			return true
		}
	}
	return false
}

// NormalizeEmail returns the bare address in lower case, or an EINVALID error.
func NormalizeEmail(s string) (string, error) {
	a, err := mail.ParseAddress(strings.TrimSpace(s))
	if err != nil || !strings.Contains(a.Address, "@") {
		return "", FieldError("email", "E-postadressen «%s» er ikke gyldig.", s)
	}
	return strings.ToLower(a.Address), nil
}

// EmailDomain returns the lower-case domain part of an address ("" if there is none).
func EmailDomain(addr string) string {
	i := strings.LastIndexByte(addr, '@')
	if i < 0 {
		return ""
	}
	return strings.ToLower(strings.TrimSpace(addr[i+1:]))
}

// SortOrder orders ticket lists.
type SortOrder string

// The sort orders of ticket lists.
const (
	SortUpdatedDesc SortOrder = "updated_desc" // newest activity first (the default)
	SortUpdatedAsc  SortOrder = "updated_asc"
	SortCreatedDesc SortOrder = "created_desc"
	SortCreatedAsc  SortOrder = "created_asc"
	SortDueAsc      SortOrder = "due_asc" // most overdue first (the overdue list)
)

// TicketFilter selects tickets. Pointer fields are unset when nil.
type TicketFilter struct {
	ID           *uint64
	Status       *Status
	Statuses     []Status // any of these; ignored when Status is set
	Agency       *string
	Assignee     *string // "" selects unassigned tickets
	Requester    *string // requester email
	Municipality *string // municipality number
	County       *string // county number
	Channel      *Channel
	Tag          *string
	CreatedFrom  *time.Time // inclusive
	CreatedTo    *time.Time // exclusive
	Sort         SortOrder
	// Cursor continues a list after the ticket it was made from (see Ticket.Cursor).
	Cursor string
	Limit  int
	// Overdue selects tickets whose deadline has passed (see Ticket.DueAt); they come most
	// overdue first (SortDueAsc).
	Overdue bool
	// Query is a full-text search over subjects, messages and requesters ("" for none).
	// Matches come newest first (SortCreatedDesc).
	Query string
}

// DefaultLimit and MaxLimit bound the size of one page of tickets.
const (
	DefaultLimit = 50
	MaxLimit     = 500
)

// TicketUpdate changes a ticket. Nil fields are left as they are.
type TicketUpdate struct {
	Subject  *string
	Status   *Status
	Agency   *string
	Priority *Priority
	Assignee *string
	Tags     *[]string
	// Routing is set when the agency changes because of a rule or a re-route by staff.
	Routing *Routing
	// Requester's municipality can be corrected by staff.
	Municipality *Municipality
	County       *County
	// IfVersion, when set, makes the update fail with ECONFLICT if the ticket changed since.
	IfVersion *uint64
}

// TicketService reads and changes tickets. data.TicketService implements it on bbolt.
type TicketService interface {
	// FindTicketByID returns ENOTFOUND when there is no such ticket.
	FindTicketByID(ctx context.Context, id uint64) (*Ticket, error)
	// FindTicketByRef finds a ticket by its human reference.
	FindTicketByRef(ctx context.Context, ref Ref) (*Ticket, error)
	// FindTicketByToken finds a ticket by the secret of its status link.
	FindTicketByToken(ctx context.Context, token string) (*Ticket, error)
	// FindTickets returns one page of tickets matching filter, and how many match in all.
	FindTickets(ctx context.Context, filter TicketFilter) ([]*Ticket, int, error)
	// CreateTicket stores a new ticket with its first message, assigns ID, Ref, StatusToken
	// and timestamps, records the events and queues what opts.Acknowledge composes, in one
	// transaction. A first message whose Message-ID is already stored gives ECONFLICT.
	CreateTicket(ctx context.Context, t *Ticket, first *Message, opts CreateOptions) error
	// UpdateTicket applies upd, records an event per changed field, and returns the new ticket.
	UpdateTicket(ctx context.Context, id uint64, upd TicketUpdate) (*Ticket, error)
	TicketMerger
}

// CreateOptions are what goes with a new ticket, in the same transaction.
type CreateOptions struct {
	// Acknowledge, when set, composes the mail to queue once the ticket has its ID, Ref and
	// StatusToken.
	Acknowledge AckFunc
}

// AckFunc composes the acknowledgement of a new ticket (reference, short text, private status
// link). The outbox implements it from an admin-editable template; intake and the web form
// pass it to CreateTicket. It runs inside the transaction, so it must not touch storage; an
// error aborts the whole creation. It is never called for auto-replies or bounces.
type AckFunc func(t *Ticket, first *Message) ([]*OutboundMail, error)

// Clone returns a copy of t that shares nothing with it that either could change: the slices
// are copied (Referral holds no slice). TestCloneSharesNothing fails when a field is added
// that Clone would share.
func (t *Ticket) Clone() *Ticket {
	c := *t
	c.Tags = slices.Clone(t.Tags)
	c.Participants = slices.Clone(t.Participants)
	c.MergedFrom = slices.Clone(t.MergedFrom)
	c.Articles = slices.Clone(t.Articles)
	c.Referrals = slices.Clone(t.Referrals)
	return &c
}
