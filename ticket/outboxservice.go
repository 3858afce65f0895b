package ticket

import (
	"context"
	"time"
)

// Retry policy of the outbox. A mail the SMTP server refuses for now (4xx, a broken connection
// in the middle of a mail) is tried again after RetryDelay; after MaxMailAttempts tries, or at
// once on a permanent refusal (5xx), it is parked for staff. While the server cannot be reached
// at all, mail waits without using up its tries: nothing is wrong with the mail itself.
const (
	MaxMailAttempts = 10
	firstRetryDelay = time.Minute
	maxRetryDelay   = time.Hour
)

// RetryDelay is how long to wait after the attempts-th failed try: 1, 2, 4 ... minutes, at
// most an hour.
func RetryDelay(attempts int) time.Duration {
	d := firstRetryDelay
	for i := 1; i < attempts && d < maxRetryDelay; i++ {
		d *= 2
	}
	return min(d, maxRetryDelay)
}

// MailFailure is why one try to send a mail failed.
type MailFailure struct {
	// Reason is the server's answer or the error, shown to staff.
	Reason string
	// Permanent parks the mail at once (the server refused it for good, 5xx).
	Permanent bool
}

// EventMailRetry records that staff put a parked mail back in the queue.
const EventMailRetry EventKind = "mail_retry"

// OutboxFilter selects mail in the outbox. Nil fields are unset.
type OutboxFilter struct {
	State    *OutboxState
	TicketID *uint64
	Limit    int // 0: DefaultLimit
}

// OutboxService is the durable queue of outgoing mail. data.OutboxService implements it; the
// sender in mailbridge drains it and the web shows it.
type OutboxService interface {
	// FindDueMail returns up to limit queued mails whose next try is due, soonest first, with
	// the bytes of their attachments.
	FindDueMail(ctx context.Context, limit int) ([]*OutboundMail, error)
	// MarkMailSent records that the SMTP server took the mail.
	MarkMailSent(ctx context.Context, id uint64) error
	// MarkMailFailed records a failed try: the mail is retried later (RetryDelay) or parked,
	// with an EventMailFailed on its ticket. It returns the mail as it is now.
	MarkMailFailed(ctx context.Context, id uint64, f MailFailure) (*OutboundMail, error)
	// NoteMailWaiting records on queued mails why they wait (the server could not be
	// reached) without using up a try or moving their turn.
	NoteMailWaiting(ctx context.Context, ids []uint64, reason string) error
	// RetryMail puts a parked mail back in the queue, due now, with its tries reset.
	RetryMail(ctx context.Context, id uint64) (*OutboundMail, error)
	// FindOutbox lists mail: queued soonest first, parked and per ticket newest first.
	FindOutbox(ctx context.Context, f OutboxFilter) ([]*OutboundMail, error)
	// CountOutbox returns how many mails are queued and parked.
	CountOutbox(ctx context.Context) (queued, parked int, err error)
}
