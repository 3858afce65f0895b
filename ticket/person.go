package ticket

import (
	"context"
	"time"
)

// A person's data: what the contact point holds about one address, for a person who asks what
// is stored about them (innsyn), and its erasure (sletting) on request.

// PersonRole says how a ticket concerns a person.
type PersonRole string

// The roles of a person in a ticket.
const (
	PersonRequester   PersonRole = "innsender" // asked the question
	PersonParticipant PersonRole = "deltaker"  // took part: on copy, or wrote in the thread
	PersonMentioned   PersonRole = "nevnt"     // named in someone else's ticket
)

// PersonTicket is one ticket with what it holds about the person: the whole thread for their
// own tickets; the messages that name them in someone else's.
type PersonTicket struct {
	Ticket   *Ticket
	Role     PersonRole
	Messages []*Message
	Events   []*Event
	Mail     []*OutboundMail // outbox mail of the ticket that was addressed to them
}

// PersonData is everything stored about one address.
type PersonData struct {
	Email string
	// Names are the names stored with the address (the form, the mail's display names).
	Names   []string
	Tickets []PersonTicket
	// Events are audit events about no ticket that name them (a sign-in attempt, an export).
	Events []*Event
	// Mail is outbox mail that belongs to no ticket, addressed to them.
	Mail []*OutboundMail
	// Quarantine is mail from them (or naming them) that waits in the quarantine, with the
	// stored source of each by its id.
	Quarantine        []*QuarantinedMail
	QuarantineSources map[uint64][]byte
	// RegisterEntries are the municipality register's entries whose contact or note names them.
	RegisterEntries []*Offer
	// Account is their staff account, when the address has one (the password hash left out).
	Account     *User
	CollectedAt time.Time
}

// Erasure is what erasing a person did.
type Erasure struct {
	// Tickets they asked, anonymised whole; Scrubbed: others' tickets they were taken out of.
	Tickets, Scrubbed int
	// Entries outside tickets removed or changed (audit events, quarantine, mail).
	Other int
	// Remaining is how many tickets a search for the address or a name still finds: 0 unless
	// someone else with the same name has tickets of their own.
	Remaining int
	// Tag is what the audit log names the erasure by instead of the address: a keyed hash of it.
	Tag string
}

// PersonService finds and erases what is stored about a person. Both are written to the audit
// trail in the same transaction as the work.
type PersonService interface {
	// FindPerson collects everything stored about email; ENOTFOUND when there is nothing.
	FindPerson(ctx context.Context, email string) (*PersonData, error)
	// ErasePerson anonymises everything stored about email: their own tickets whole (as the
	// retention rule does), their address and names out of everyone else's, the audit trail,
	// the quarantine and the outbox. The statistics stay as they were. An address with a staff
	// account is refused (ECONFLICT): its name is the actor of what they did in the audit log.
	ErasePerson(ctx context.Context, email string) (Erasure, error)
}
