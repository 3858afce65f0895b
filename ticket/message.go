package ticket

import (
	"context"
	"io"
	"strings"
	"time"
)

// Direction says what kind of entry a message is in the thread.
type Direction string

// The directions.
const (
	DirectionIn     Direction = "in"     // from the requester, an agency or anyone outside
	DirectionOut    Direction = "out"    // a reply or referral we sent
	DirectionNote   Direction = "note"   // an internal note, never sent
	DirectionSystem Direction = "system" // a system message, e.g. a bounce shown on the ticket
)

// MaxTextLen bounds the text of one message (form, API, notes); mail bodies are cut with a notice.
const MaxTextLen = 100_000

// Message is one entry in a ticket's thread.
type Message struct {
	TicketID  uint64
	Seq       int // position in the thread, from 1
	Direction Direction
	From      string
	FromName  string
	To        []string
	Cc        []string
	Subject   string
	// Text is the readable body in UTF-8; for mail, quoted history is kept after the new text.
	Text string
	// QuoteStart is the byte offset in Text where quoted history or a signature begins, so a page
	// can show the new text and put the rest behind «vis sitert tekst»; 0 when there is none.
	QuoteStart int
	// HTML is the sanitised HTML body, when the mail had one; never raw HTML from outside.
	HTML        string
	Author      string // staff email for out and note
	MessageID   string
	InReplyTo   string
	References  []string
	Attachments []Attachment
	// HasRaw is true when the raw source (.eml) is stored and can be downloaded.
	HasRaw bool
	// Raw carries the source on the way in; it is stored apart from the message.
	Raw []byte
	// Auto marks auto-replies and bounces, which never reopen a ticket or get an acknowledgement.
	Auto      string
	CreatedAt time.Time
}

// Attachment is a file that came with or went with a message. The bytes are stored apart, by
// their SHA-256, so the same file twice is stored once.
type Attachment struct {
	Name   string
	Type   string
	Size   int64
	SHA256 string
	// ContentID is set for inline images (cid: links in HTML).
	ContentID string
	Inline    bool
	// Data carries the bytes on the way in; it is not stored with the metadata.
	Data []byte
	// Decode, set instead of Data, writes the bytes (Size of them, hashing to SHA256) to w a
	// piece at a time: a large file of a mail is decoded from the mail's source while it is
	// stored, so that it is never in memory whole besides the source. Storage clears it.
	Decode func(w io.Writer) error
}

// Validate checks a message before it is stored.
func (m *Message) Validate() error {
	switch m.Direction {
	case DirectionIn, DirectionOut, DirectionNote, DirectionSystem:
	default:
		return FieldError("direction", "Ukjent meldingstype %q.", m.Direction)
	}
	if strings.TrimSpace(m.Text) == "" && len(m.Attachments) == 0 && m.HTML == "" {
		return FieldError("text", "Skriv en tekst.")
	}
	if len(m.Text) > 4*MaxTextLen {
		return Errorf(ETOOLARGE, "Teksten er for lang.")
	}
	return nil
}

// MessageService reads and appends messages.
type MessageService interface {
	// FindMessages returns the whole thread of a ticket, oldest first.
	FindMessages(ctx context.Context, ticketID uint64) ([]*Message, error)
	// AppendMessage adds m to the ticket's thread (setting Seq and CreatedAt) and, in the same
	// transaction, updates the ticket (first response, reopen on a requester's reply, message
	// count), applies opts and queues opts.Out in the outbox.
	AppendMessage(ctx context.Context, ticketID uint64, m *Message, opts AppendOptions) (*Ticket, error)
	// FindAttachment returns the metadata and bytes of attachment n (from 0) of a message.
	FindAttachment(ctx context.Context, ticketID uint64, seq, n int) (*Attachment, error)
	// FindRawMessage returns the stored source of a message.
	FindRawMessage(ctx context.Context, ticketID uint64, seq int) ([]byte, error)
}

// AppendOptions are the changes that go with a new message, in the same transaction.
type AppendOptions struct {
	// Out are mails to queue: the reply itself, a referral, a notice to the requester.
	Out []*OutboundMail
	// Status, when set, moves the ticket (a staff reply usually sets venter or løst).
	Status *Status
	// Referral, when set, is recorded on the ticket and moves it to henvist.
	Referral *Referral
	// AnsweredBy, when set, marks the open referral to that agency as answered.
	AnsweredBy string
	// IfVersion, when set, fails with ECONFLICT if the ticket changed since the page was opened.
	IfVersion *uint64
	// Participants are addresses to add to the ticket's participants (people on Cc of a reply).
	Participants []string
	// Assignee, when set, assigns the ticket (a reply with «tildel meg», or to an unassigned
	// ticket, assigns it to whoever answered).
	Assignee *string
	// DraftOf, when set, deletes that staff member's draft of a reply to the ticket: the
	// draft was sent.
	DraftOf string
}
