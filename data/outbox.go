package data

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

var (
	idxOutboxParked = []byte("idx_outbox_parked") // mail id, parked mail only
	idxOutboxTicket = []byte("idx_outbox_ticket") // ticket id|mail id, mail that belongs to a ticket
	idxWebhookDue   = []byte("idx_webhook_due")   // next try|post id, queued webhook posts only
)

func init() { registerBuckets(idxOutboxParked, idxOutboxTicket, idxWebhookDue) }

// dueIndexOf is the queue m waits in: webhook posts have their own, so the SMTP sender never
// reads them and the webhook sender reads nothing else.
func dueIndexOf(m *ticket.OutboundMail) []byte {
	if m.Kind == ticket.MailWebhook {
		return idxWebhookDue
	}
	return idxOutboxDue
}

// outboxRecord is how a queued mail is stored.
type outboxRecord struct {
	ID          uint64             `json:"id"`
	TicketID    uint64             `json:"tid,omitempty"`
	Seq         int                `json:"seq,omitempty"`
	Kind        string             `json:"k"`
	To          []string           `json:"to"`
	Cc          []string           `json:"cc,omitempty"`
	Subject     string             `json:"subj"`
	Text        string             `json:"text"`
	HTML        string             `json:"html,omitempty"`
	MessageID   string             `json:"mid"`
	InReplyTo   string             `json:"irt,omitempty"`
	References  []string           `json:"refs,omitempty"`
	AutoReply   bool               `json:"auto,omitempty"`
	Attachments []attachmentRecord `json:"att,omitempty"`
	State       string             `json:"st"`
	Attempts    int                `json:"n,omitempty"`
	LastError   string             `json:"err,omitempty"`
	NextTry     time.Time          `json:"next"`
	CreatedAt   time.Time          `json:"at"`
	SentAt      time.Time          `json:"sat,omitzero"`
	ReturnedAt  time.Time          `json:"ret,omitzero"`
	WebhookID   uint64             `json:"hook,omitempty"`
}

func toOutboxRecord(m *ticket.OutboundMail) *outboxRecord {
	r := &outboxRecord{
		ID: m.ID, TicketID: m.TicketID, Seq: m.Seq, Kind: string(m.Kind), To: m.To, Cc: m.Cc,
		Subject: m.Subject, Text: m.Text, HTML: m.HTML, MessageID: m.MessageID, InReplyTo: m.InReplyTo,
		References: m.References, AutoReply: m.AutoReply, State: string(m.State), Attempts: m.Attempts,
		LastError: m.LastError, NextTry: m.NextTry, CreatedAt: m.CreatedAt, SentAt: m.SentAt, ReturnedAt: m.ReturnedAt,
		WebhookID: m.WebhookID,
	}
	for _, a := range m.Attachments {
		r.Attachments = append(r.Attachments, attachmentRecord{Name: a.Name, Type: a.Type, Size: a.Size, SHA256: a.SHA256})
	}
	return r
}

func (r *outboxRecord) mail() *ticket.OutboundMail {
	m := &ticket.OutboundMail{
		ID: r.ID, TicketID: r.TicketID, Seq: r.Seq, Kind: ticket.MailKind(r.Kind), To: r.To, Cc: r.Cc,
		Subject: r.Subject, Text: r.Text, HTML: r.HTML, MessageID: r.MessageID, InReplyTo: r.InReplyTo,
		References: r.References, AutoReply: r.AutoReply, State: ticket.OutboxState(r.State),
		Attempts: r.Attempts, LastError: r.LastError, NextTry: r.NextTry, CreatedAt: r.CreatedAt, SentAt: r.SentAt,
		ReturnedAt: r.ReturnedAt, WebhookID: r.WebhookID,
	}
	for _, a := range r.Attachments {
		m.Attachments = append(m.Attachments, ticket.Attachment{Name: a.Name, Type: a.Type, Size: a.Size, SHA256: a.SHA256})
	}
	return m
}

// enqueueMails queues mails for t in the caller's transaction. Each keeps the Message-ID it was
// given (it must have one), which is also indexed so that answers to it thread into t. A mail
// that sends a thread message stored in this transaction (same Message-ID) gets its Seq.
func (tx *Tx) enqueueMails(t *ticket.Ticket, mails []*ticket.OutboundMail) error {
	for _, m := range mails {
		if t != nil {
			m.TicketID = t.ID
		}
		if m.MessageID == "" {
			return fmt.Errorf("queue %s mail for ticket %d: no Message-ID", m.Kind, m.TicketID)
		}
		if m.TicketID != 0 {
			v := tx.Bucket(idxMessageID).Get([]byte(m.MessageID))
			switch {
			case v == nil:
				if err := tx.Bucket(idxMessageID).Put([]byte(m.MessageID), msgKey(m.TicketID, m.Seq)); err != nil {
					return fmt.Errorf("index outgoing message id: %w", err)
				}
			case len(v) == 12 && btou64(v[:8]) == m.TicketID:
				m.Seq = int(binary.BigEndian.Uint32(v[8:]))
			}
		}
		if err := tx.putOutbound(m); err != nil {
			return err
		}
	}
	if len(mails) > 0 && tx.db.MailQueued != nil {
		tx.OnCommit(tx.db.MailQueued)
	}
	return nil
}

// putOutbound writes a new queued mail with its attachments stored as blobs.
func (tx *Tx) putOutbound(m *ticket.OutboundMail) error {
	b := tx.Bucket(bucketOutbox)
	id, err := b.NextSequence()
	if err != nil {
		return fmt.Errorf("next outbox id: %w", err)
	}
	m.ID, m.State, m.CreatedAt, m.NextTry = id, ticket.OutboxQueued, tx.now, tx.now
	for i := range m.Attachments {
		if m.Attachments[i].Data != nil {
			if err := tx.putBlob(&m.Attachments[i]); err != nil {
				return err
			}
		}
	}
	if err := tx.writeOutbound(m); err != nil {
		return err
	}
	if m.TicketID != 0 {
		if err := tx.Bucket(idxOutboxTicket).Put(key(u64(m.TicketID), u64(id)), nil); err != nil {
			return fmt.Errorf("index outbox mail %d by ticket: %w", id, err)
		}
	}
	return tx.Bucket(dueIndexOf(m)).Put(dueKey(m), nil)
}

func dueKey(m *ticket.OutboundMail) []byte { return key(timeKey(m.NextTry), u64(m.ID)) }

// writeOutbound stores the record of m; its indexes are the caller's.
func (tx *Tx) writeOutbound(m *ticket.OutboundMail) error {
	buf, err := encode(toOutboxRecord(m))
	if err != nil {
		return err
	}
	if err := tx.Bucket(bucketOutbox).Put(u64(m.ID), buf); err != nil {
		return fmt.Errorf("put outbox mail %d: %w", m.ID, err)
	}
	return nil
}

// findOutbound reads one mail of the outbox, without attachment bytes.
func (tx *Tx) findOutbound(id uint64) (*ticket.OutboundMail, error) {
	v := tx.Bucket(bucketOutbox).Get(u64(id))
	if v == nil {
		return nil, notFound("e-posten i utboksen")
	}
	var r outboxRecord
	if err := decode(v, &r); err != nil {
		return nil, fmt.Errorf("outbox mail %d: %w", id, err)
	}
	return r.mail(), nil
}

// loadAttachmentData copies the bytes of m's attachments out of the blob store.
func (tx *Tx) loadAttachmentData(m *ticket.OutboundMail) error {
	for i := range m.Attachments {
		a := &m.Attachments[i]
		sum, err := hex.DecodeString(a.SHA256)
		if err != nil {
			return fmt.Errorf("outbox mail %d attachment hash %q: %w", m.ID, a.SHA256, err)
		}
		if a.Data, err = tx.blob(sum); err != nil {
			return fmt.Errorf("outbox mail %d attachment %s: %w", m.ID, a.SHA256, err)
		}
		if a.Data == nil && a.Size > 0 {
			return fmt.Errorf("outbox mail %d attachment %s: bytes missing", m.ID, a.SHA256)
		}
	}
	return nil
}

// EnqueueMail queues a mail that belongs to no ticket (the weekly report). Mail that belongs
// to a ticket is queued with the change it comes from (CreateTicket, AppendMessage).
func (db *DB) EnqueueMail(ctx context.Context, m *ticket.OutboundMail) error {
	return db.update(ctx, func(tx *Tx) error {
		return tx.enqueueMails(nil, []*ticket.OutboundMail{m})
	})
}
