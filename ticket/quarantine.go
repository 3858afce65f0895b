package ticket

import (
	"context"
	"time"
)

// QuarantineReason says why a mail was kept back from the inbox.
type QuarantineReason string

// The reasons a mail goes to quarantine.
const (
	QuarantineUnreadable QuarantineReason = "parse"    // the mail could not be read
	QuarantineUnstorable QuarantineReason = "store"    // it was read but could not be stored
	QuarantineTooLarge   QuarantineReason = "oversize" // over imap.max_message_bytes
	QuarantineAuto       QuarantineReason = "auto"     // an automatic reply that belongs to no ticket
	QuarantineBounce     QuarantineReason = "bounce"   // a bounce of a mail we cannot find
	QuarantineOwn        QuarantineReason = "own"      // sent from our own address
	QuarantineLoop       QuarantineReason = "loop"     // the sender is over the ticket limit (a mail loop?)
	QuarantineSender     QuarantineReason = "sender"   // no usable sender address
)

// QuarantineReasons lists every reason, in the order staff see them.
var QuarantineReasons = []QuarantineReason{
	QuarantineUnreadable, QuarantineUnstorable, QuarantineTooLarge, QuarantineSender,
	QuarantineLoop, QuarantineOwn, QuarantineBounce, QuarantineAuto,
}

// Valid reports whether r is a known reason.
func (r QuarantineReason) Valid() bool {
	for _, x := range QuarantineReasons {
		if x == r {
			return true
		}
	}
	return false
}

// Label is the reason as staff read it.
func (r QuarantineReason) Label() string {
	switch r {
	case QuarantineUnreadable:
		return "Kunne ikke leses"
	case QuarantineUnstorable:
		return "Kunne ikke lagres"
	case QuarantineTooLarge:
		return "For stor"
	case QuarantineAuto:
		return "Automatisk svar"
	case QuarantineBounce:
		return "Returmelding"
	case QuarantineOwn:
		return "Fra vår egen adresse"
	case QuarantineLoop:
		return "Mulig e-postsløyfe"
	case QuarantineSender:
		return "Mangler avsender"
	}
	return string(r)
}

// QuarantinedMail is a mail kept raw for staff, with why. The raw source is stored apart.
type QuarantinedMail struct {
	ID        uint64
	Reason    QuarantineReason
	Detail    string // a Norwegian sentence for staff
	From      string
	Subject   string
	MessageID string
	Size      int64
	Source    string
	// Truncated is set when only the header was kept (the mail was too large).
	Truncated  bool
	ReceivedAt time.Time
	Attempts   int       // how often staff retried it
	LastTry    time.Time // zero until retried
}

// QuarantineFilter selects quarantined mail, newest first.
type QuarantineFilter struct {
	Reason QuarantineReason // "" for all
	// Before continues a list below this id; 0 starts at the newest.
	Before uint64
	Limit  int
}

// QuarantineService is the quarantine as staff use it: list, look, retry, create a ticket
// anyway, discard.
type QuarantineService interface {
	// FindQuarantine returns one page of quarantined mail, newest first, and how many match.
	FindQuarantine(ctx context.Context, f QuarantineFilter) ([]*QuarantinedMail, int, error)
	// FindQuarantined returns one entry; ENOTFOUND when there is none.
	FindQuarantined(ctx context.Context, id uint64) (*QuarantinedMail, error)
	// FindQuarantinedRaw returns the stored source and records that staff viewed it.
	FindQuarantinedRaw(ctx context.Context, id uint64) ([]byte, error)
	// RetryQuarantined runs the mail through intake again; on success the entry is gone.
	RetryQuarantined(ctx context.Context, id uint64) (IntakeResult, error)
	// CreateFromQuarantine makes a ticket of the mail whatever it is (IngestOptions.Force).
	CreateFromQuarantine(ctx context.Context, id uint64) (IntakeResult, error)
	// DiscardQuarantined deletes the mail and remembers its Message-ID, so it never comes back.
	DiscardQuarantined(ctx context.Context, id uint64) error
}

// EventDeleted is the audit event of a deleted ticket (kept with TicketID 0) and of a discarded
// quarantined mail.
const EventDeleted EventKind = "deleted"
