package mailbridge

import (
	"context"
	"fmt"
	"runtime"
	"sync"

	"github.com/ks-no/digihjelpen/ticket"
)

// Store is what intake needs of storage. data.IntakeService implements it; mailbridge never
// sees the database.
type Store interface {
	// IngestBatch stores mails in order, each all or nothing, advancing their checkpoints.
	IngestBatch(ctx context.Context, items []ticket.IngestItem) ([]ticket.IntakeResult, error)
	// Checkpoint returns how far a mailbox has been read.
	Checkpoint(ctx context.Context, mailbox string) (ticket.Checkpoint, error)
	// QuarantinedSource returns a quarantined mail with its source, to read it again.
	QuarantinedSource(ctx context.Context, id uint64) (*ticket.QuarantinedMail, []byte, error)
	FindQuarantine(ctx context.Context, f ticket.QuarantineFilter) ([]*ticket.QuarantinedMail, int, error)
	FindQuarantined(ctx context.Context, id uint64) (*ticket.QuarantinedMail, error)
	FindQuarantinedRaw(ctx context.Context, id uint64) ([]byte, error)
	DiscardQuarantined(ctx context.Context, id uint64) error
}

// Intake turns raw mail into tickets: it parses and hands the result to the Store, for IMAP
// and for import alike. It is also the quarantine as staff use it (ticket.QuarantineService).
type Intake struct {
	Store Store
	// OwnAddresses are the contact point's own addresses: mail from them is a loop.
	OwnAddresses []string
	// MaxMessageBytes is the largest mail taken in; a larger one is kept as its header only,
	// in quarantine. 0 means no limit.
	MaxMessageBytes int64
	// KeepDate stores each mail as having come at its own Date (ticket.IngestOptions.KeepDate):
	// import sets it, so migrated mail counts in the weeks it was written. IMAP intake leaves
	// it off: a question reached the contact point when it arrived in the mailbox.
	KeepDate bool
	// Observe, when set, hears the results of every batch and its error (for /metrics).
	Observe func(results []ticket.IntakeResult, err error)
}

var _ ticket.QuarantineService = (*Intake)(nil)

// Incoming is one raw mail as its source hands it over.
type Incoming struct {
	Raw []byte
	// Size is the size of the whole mail, when Raw holds only its header (the source did not
	// fetch more of a mail over the limit); 0 means len(Raw).
	Size int64
	// Source says where the mail came from, for staff ("IMAP INBOX uid 42").
	Source     string
	Checkpoint *ticket.Checkpoint
}

// Take parses mails, several at a time, and stores them in order in one commit (see
// Store.IngestBatch). The results are those of the mails stored, in order; on error, the mails
// after the last result were not stored.
func (in *Intake) Take(ctx context.Context, batch []Incoming) ([]ticket.IntakeResult, error) {
	items := make([]ticket.IngestItem, len(batch))
	parallel(len(batch), func(i int) {
		items[i] = ticket.IngestItem{Mail: in.Mail(batch[i]), Options: ticket.IngestOptions{Checkpoint: batch[i].Checkpoint, KeepDate: in.KeepDate}}
	})
	results, err := in.Store.IngestBatch(ctx, items)
	if in.Observe != nil {
		in.Observe(results, err)
	}
	return results, err
}

// parallel runs fn(0..n-1) on as many goroutines as there are processors.
func parallel(n int, fn func(i int)) {
	workers := min(n, runtime.GOMAXPROCS(0))
	if workers <= 1 {
		for i := range n {
			fn(i)
		}
		return
	}
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Go(func() {
			for i := range next {
				fn(i)
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}

// Mail turns one raw mail into what storage takes: parsed, or, when it is over the size limit
// or cannot be read at all, a mail marked with the problem, which storage keeps in quarantine.
func (in *Intake) Mail(inc Incoming) *ticket.InboundMail {
	size := max(inc.Size, int64(len(inc.Raw)))
	if in.MaxMessageBytes > 0 && size > in.MaxMessageBytes {
		return in.tooLarge(inc, size)
	}
	m, err := Parse(inc.Raw, in.OwnAddresses)
	if err != nil {
		return unreadable(inc.Raw, err, inc.Source)
	}
	m.Source, m.Size = inc.Source, size
	return m
}

// tooLarge keeps the header of a mail over the limit, so staff see who sent what.
func (in *Intake) tooLarge(inc Incoming, size int64) *ticket.InboundMail {
	head := headerBytes(inc.Raw)
	m, err := Parse(head, in.OwnAddresses)
	if err != nil {
		m = unreadable(head, err, inc.Source)
	}
	m.Message.Raw, m.Size, m.Source, m.Truncated = head, size, inc.Source, true
	m.Problem = ticket.QuarantineTooLarge
	m.ProblemDetail = fmt.Sprintf("E-posten er på %s, over grensen på %s (imap.max_message_bytes). Bare hodet er tatt vare på her; "+
		"hele e-posten ligger fortsatt i e-postkassen.", megabytes(size), megabytes(in.MaxMessageBytes))
	m.Message.Text = "(" + m.ProblemDetail + ")"
	m.Message.Attachments, m.Message.HTML, m.Message.QuoteStart = nil, "", 0
	return m
}

func megabytes(n int64) string {
	return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
}

// headerBytes is the raw header of a mail, up to and with the empty line that ends it.
func headerBytes(raw []byte) []byte {
	_, body := splitMessage(raw, true)
	if body == nil {
		return raw
	}
	return raw[:len(raw)-len(body)]
}

// unreadable is a mail that could not be parsed: kept raw for quarantine, with what can be seen
// of it, and a Message-ID from its bytes so the same mail is held only once.
func unreadable(raw []byte, err error, source string) *ticket.InboundMail {
	msg := &ticket.Message{Direction: ticket.DirectionIn, Raw: raw, Text: "(E-posten kunne ikke leses. Kildeteksten er tatt vare på.)"}
	h, _ := splitMessage(raw, true)
	if from := parseAddresses(h.raw("From")); len(from) > 0 {
		msg.From, msg.FromName = from[0].Addr, from[0].Name
	}
	msg.Subject = subjectOf(h)
	msg.MessageID = messageID(h, raw)
	return &ticket.InboundMail{
		Message: msg, Size: int64(len(raw)), Source: source,
		Problem: ticket.QuarantineUnreadable, ProblemDetail: "E-posten kunne ikke leses: " + err.Error() + ".",
	}
}
