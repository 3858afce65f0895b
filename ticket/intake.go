package ticket

import (
	"strings"
	"time"
)

// The kinds of automatic mail, kept in Message.Auto. Automatic mail never opens a ticket, never
// reopens one and never gets an acknowledgement; when it belongs to a ticket it is shown there.
const (
	AutoReply   = "auto-reply" // out of office, vacation, autoresponders (RFC 3834 and the common headers)
	AutoBulk    = "bulk"       // Precedence bulk/junk/list: newsletters, mailing lists, notifications
	AutoBounce  = "bounce"     // delivery status notifications, MAILER-DAEMON, null sender
	AutoReceipt = "receipt"    // read receipts (message disposition notifications)
	AutoOwn     = "own"        // sent from our own address: a loop
)

// InboundMail is a mail as intake hands it to storage: the message it becomes, and what the
// parser found out about it.
type InboundMail struct {
	// Message is the mail as a thread entry (Direction in, Raw set, Auto set for automatic mail).
	Message *Message
	// Size is the size of the whole source in bytes; more than len(Message.Raw) when only the
	// header was kept (Truncated).
	Size int64
	// AutoReason says, for staff, which header or sign made the mail automatic.
	AutoReason string
	// NoAck is set when the sender asked for no automatic answers (X-Auto-Response-Suppress),
	// in a mail that is otherwise written by a person.
	NoAck bool
	// BouncedIDs are the Message-IDs of the mails a bounce reports as undelivered.
	BouncedIDs []string
	// NoFailure is set on a delivery report none of whose recipients failed (Action delayed,
	// delivered, relayed or expanded): the mail may still arrive, or did. Any other bounce
	// says the mail was not delivered.
	NoFailure bool
	// Problem, when set, is why the mail cannot become a ticket as it is; it goes to quarantine.
	Problem       QuarantineReason
	ProblemDetail string
	// Truncated is set when Message.Raw holds only the header (the mail was too large).
	Truncated bool
	// Source says where the mail came from, for staff: "IMAP INBOX uid 42", "import brev.eml".
	Source string
	// Date is when the sender's program says the mail was written (its Date header); zero when
	// the mail has none, or one that cannot be read (DateUnreadable).
	Date           time.Time
	DateUnreadable bool
}

// Checkpoint is how far intake has read an IMAP mailbox. It is stored in the same transaction as
// the tickets the mails became, so a restart neither loses nor repeats a mail.
type Checkpoint struct {
	Mailbox     string
	UIDValidity uint32
	UID         uint32
}

// IngestOptions go with one mail into storage.
type IngestOptions struct {
	// Checkpoint, when set, is advanced in the same transaction.
	Checkpoint *Checkpoint
	// Force is staff's «opprett sak likevel»: the mail becomes a ticket (or joins its ticket)
	// even when it is automatic, from ourselves, over the sender limit or unreadable. Forced
	// mail is never acknowledged.
	Force bool
	// QuarantineID is the quarantine entry this mail comes from (retry, create anyway); it is
	// removed in the same transaction when the mail is stored, or updated when it fails again.
	QuarantineID uint64
	// KeepDate stores the mail as having come at its own Date (InboundMail.MailTime): its
	// ticket, message, history and statistics. Import sets it, so a migration counts old mail
	// in its own weeks; IMAP intake does not, because there the question reached us when it
	// arrived. Mail added to a ticket never goes before the ticket's last change.
	KeepDate bool
}

// IngestItem is one mail with its options, for storing several in one commit.
type IngestItem struct {
	Mail    *InboundMail
	Options IngestOptions
}

// IntakeOutcome is what became of a mail.
type IntakeOutcome string

// The outcomes.
const (
	IntakeCreated     IntakeOutcome = "created"     // a new ticket
	IntakeAppended    IntakeOutcome = "appended"    // a message on an existing ticket (bounces too)
	IntakeDuplicate   IntakeOutcome = "duplicate"   // already stored, deleted, or already in quarantine
	IntakeQuarantined IntakeOutcome = "quarantined" // kept raw for staff
)

// IntakeResult is what storage did with one mail.
type IntakeResult struct {
	Outcome      IntakeOutcome
	TicketID     uint64
	Ref          Ref
	Seq          int
	QuarantineID uint64
	Reason       QuarantineReason
	Acknowledged bool
	// Undated says why a mail stored with KeepDate got the time of storing instead of its own
	// ("" when its Date was used, or not asked for).
	Undated DateFallback
}

// NormalizeMessageID returns a Message-ID in its stored form, "<local@domain>", without space
// and with exactly one pair of angle brackets; "" when s holds none.
func NormalizeMessageID(s string) string {
	s = strings.Join(strings.Fields(s), "")
	s = strings.TrimLeft(s, "<")
	s = strings.TrimRight(s, ">")
	if s == "" {
		return ""
	}
	return "<" + s + ">"
}

// ParseMessageIDs returns the Message-IDs in a References or In-Reply-To header, in order, each
// normalized. Text outside angle brackets (comments, phrases some clients add) is skipped; a
// header with no brackets at all is read as space-separated IDs.
func ParseMessageIDs(h string) []string {
	var ids []string
	if !strings.Contains(h, "<") {
		for _, f := range strings.Fields(h) {
			if strings.Contains(f, "@") {
				ids = append(ids, NormalizeMessageID(f))
			}
		}
		return ids
	}
	for {
		i := strings.IndexByte(h, '<')
		if i < 0 {
			return ids
		}
		j := strings.IndexByte(h[i:], '>')
		if j < 0 {
			return ids
		}
		if id := NormalizeMessageID(h[i : i+j+1]); id != "" {
			ids = append(ids, id)
		}
		h = h[i+j+1:]
	}
}
