package ticket

import "time"

// DefaultFromName is the display name on our mail when the configuration gives none.
const DefaultFromName = "Digihjelpen kontaktpunkt"

// MailKind says why we send a mail.
type MailKind string

// The kinds of outgoing mail.
const (
	MailAck      MailKind = "ack"      // acknowledgement of a new ticket
	MailReply    MailKind = "reply"    // staff reply to the requester
	MailReferral MailKind = "referral" // referral to an agency
	MailNotice   MailKind = "notice"   // telling the requester where the question went
	MailReport   MailKind = "report"   // the weekly statistics mail
	// MailPasswordReset carries a «Glemt passord?» link to a staff member.
	MailPasswordReset MailKind = "password_reset"
	// MailAlarm tells the administrators of an operational problem (the mailbox not read,
	// mail waiting), once per incident.
	MailAlarm MailKind = "alarm"
	// MailNotification tells a staff member what happened to their tickets (never sent to a
	// requester); MailDigest is the daily digest of them.
	MailNotification MailKind = "notification"
	MailDigest       MailKind = "digest"
	// MailWebhook is not a mail: a JSON post to a team's webhook (Text is the body), kept in
	// the outbox so it is retried and shown like mail. The SMTP sender never sees it.
	MailWebhook MailKind = "webhook"
)

// OutboxState is where an outgoing mail is.
type OutboxState string

// The outbox states.
const (
	OutboxQueued OutboxState = "queued" // waiting to be sent, or to be retried
	OutboxSent   OutboxState = "sent"
	OutboxParked OutboxState = "parked" // given up; staff can send it again
)

// OutboundMail is a mail in the outbox. It is written in the same transaction as the message it
// belongs to, with its Message-ID fixed before the first try, so a resend after a crash is the
// same mail to the recipient's client.
type OutboundMail struct {
	ID         uint64
	TicketID   uint64
	Seq        int // the thread message this mail sends
	Kind       MailKind
	To         []string
	Cc         []string
	Subject    string
	Text       string
	HTML       string
	MessageID  string
	InReplyTo  string
	References []string
	// AutoReply adds "Auto-Submitted: auto-replied" (acknowledgements). The weekly report
	// (MailReport) goes out as "auto-generated" without it.
	AutoReply   bool
	Attachments []Attachment
	// WebhookID is the webhook a MailWebhook post goes to (To holds its name, for people).
	WebhookID uint64
	// Template says which acknowledgement template made an acknowledgement (nil for other
	// mail); CreateTicket records it in the ticket's history. It is not kept in the outbox.
	Template *AckUse

	State     OutboxState
	Attempts  int
	LastError string
	NextTry   time.Time
	CreatedAt time.Time
	SentAt    time.Time
	// ReturnedAt is when a bounce reported the sent mail as not delivered; the mail is then
	// parked with the bounce's words in LastError, so staff see the address did not work and
	// can send it again.
	ReturnedAt time.Time
}
