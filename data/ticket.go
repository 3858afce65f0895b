package data

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/ks-no/digihjelpen/ticket"
)

// TicketService implements ticket.TicketService and ticket.MessageService on the database.
type TicketService struct {
	db *DB
}

var (
	_ ticket.TicketService  = (*TicketService)(nil)
	_ ticket.MessageService = (*TicketService)(nil)
)

// NewTicketService returns the ticket service of db.
func NewTicketService(db *DB) *TicketService { return &TicketService{db: db} }

// FindTicketByID returns the ticket with id.
func (s *TicketService) FindTicketByID(ctx context.Context, id uint64) (*ticket.Ticket, error) {
	var t *ticket.Ticket
	err := s.db.view(ctx, func(tx *Tx) (err error) {
		t, err = tx.findTicket(id)
		return err
	})
	return t, err
}

// FindTicketByRef returns the ticket with a human reference.
func (s *TicketService) FindTicketByRef(ctx context.Context, ref ticket.Ref) (*ticket.Ticket, error) {
	return s.findBy(ctx, idxRef, ref.String(), "saken "+ref.String())
}

// FindTicketByToken returns the ticket whose status link carries token.
func (s *TicketService) FindTicketByToken(ctx context.Context, token string) (*ticket.Ticket, error) {
	if token == "" {
		return nil, notFound("saken")
	}
	return s.findBy(ctx, idxToken, token, "saken")
}

func (s *TicketService) findBy(ctx context.Context, idx []byte, k, what string) (*ticket.Ticket, error) {
	var t *ticket.Ticket
	err := s.db.view(ctx, func(tx *Tx) (err error) {
		v := tx.Bucket(idx).Get([]byte(k))
		if v == nil {
			return notFound(what)
		}
		t, err = tx.findTicket(btou64(v))
		return err
	})
	return t, err
}

func (tx *Tx) findTicket(id uint64) (*ticket.Ticket, error) {
	v := tx.Bucket(bucketTickets).Get(u64(id))
	if v == nil {
		return nil, notFound("saken")
	}
	if t := tx.db.tickets.get(id, v); t != nil {
		return t, nil
	}
	var r ticketRecord
	if err := decode(v, &r); err != nil {
		return nil, fmt.Errorf("ticket %d: %w", id, err)
	}
	t := r.ticket()
	tx.db.tickets.put(id, v, t)
	return t, nil
}

// CreateTicket stores t with its first message in one transaction; see ticket.TicketService.
func (s *TicketService) CreateTicket(ctx context.Context, t *ticket.Ticket, first *ticket.Message, opts ticket.CreateOptions) error {
	if first == nil {
		return ticket.Errorf(ticket.EINVALID, "En ny sak må ha en første melding.")
	}
	if err := t.Validate(); err != nil {
		return err
	}
	if err := first.Validate(); err != nil {
		return err
	}
	actor := ticket.ActorFromContext(ctx)
	return s.db.update(ctx, func(tx *Tx) error {
		return tx.createAndAcknowledge(t, first, actor.Name, opts.Acknowledge)
	})
}

// createAndAcknowledge is createTicket followed by queueing what ack composes (nil: nothing).
func (tx *Tx) createAndAcknowledge(t *ticket.Ticket, first *ticket.Message, actor string, ack ticket.AckFunc) error {
	if err := tx.createTicket(t, first, actor); err != nil {
		return err
	}
	return tx.acknowledge(t, first, ack)
}

// acknowledge queues what ack composes for the new ticket t (nil: nothing).
func (tx *Tx) acknowledge(t *ticket.Ticket, first *ticket.Message, ack ticket.AckFunc) error {
	if ack == nil {
		return nil
	}
	out, err := ack(t, first)
	if err != nil {
		return fmt.Errorf("compose acknowledgement of %s: %w", t.Ref, err)
	}
	if err := tx.enqueueMails(t, out); err != nil {
		return err
	}
	return tx.recordAckTemplates(t, out)
}

// createTicket is CreateTicket inside a transaction, for intake, which also dedupes, threads and
// advances its checkpoint in the same transaction.
func (tx *Tx) createTicket(t *ticket.Ticket, first *ticket.Message, actor string) error {
	if first.MessageID != "" && tx.Bucket(idxMessageID).Get([]byte(first.MessageID)) != nil {
		return ticket.Errorf(ticket.ECONFLICT, "Meldingen %s er allerede lagret.", first.MessageID)
	}
	id, err := tx.Bucket(bucketTickets).NextSequence()
	if err != nil {
		return fmt.Errorf("next ticket id: %w", err)
	}
	ref, err := tx.nextRef(tx.now.In(ticket.Oslo).Year())
	if err != nil {
		return err
	}
	t.ID, t.Ref, t.StatusToken, t.Version = id, ref, uuid.NewString(), 1
	t.CreatedAt, t.UpdatedAt, t.MessageCount = tx.now, tx.now, 0
	t.Requester.Email = strings.ToLower(t.Requester.Email)
	masked := maskNationalIDs(t, first) // before anything is stored, the subject of the event too
	if err := tx.storeMessage(t, first, tx.now); err != nil {
		return err
	}
	if err := tx.putTicket(nil, t); err != nil {
		return err
	}
	if err := tx.addEvent(t.ID, ticket.EventCreated, actor, "", string(t.Channel), t.Subject); err != nil {
		return err
	}
	if err := tx.addMaskedEvent(t.ID, first.Seq, masked); err != nil {
		return err
	}
	if t.Routing.Rule != "" {
		return tx.addEvent(t.ID, ticket.EventRouted, "system", "", t.Agency, t.Routing.Rule+": "+t.Routing.Reason)
	}
	return nil
}

// nextRef numbers tickets from 1 each calendar year in Oslo.
func (tx *Tx) nextRef(year int) (ticket.Ref, error) {
	k := []byte(fmt.Sprintf("ref/%d", year))
	meta := tx.Bucket(bucketMeta)
	n := btou64(meta.Get(k)) + 1
	if err := meta.Put(k, u64(n)); err != nil {
		return ticket.Ref{}, fmt.Errorf("advance reference counter: %w", err)
	}
	return ticket.Ref{Year: year, Number: int(n)}, nil
}

// storeMessage stores m, stamped at, as the next message of t, with its attachments and raw
// source apart, and advances t's message count and update time; the caller writes t.
func (tx *Tx) storeMessage(t *ticket.Ticket, m *ticket.Message, at time.Time) error {
	masked := maskNationalIDs(nil, m)
	t.MessageCount++
	m.TicketID, m.Seq, m.CreatedAt = t.ID, t.MessageCount, at
	if err := tx.addMaskedEvent(t.ID, m.Seq, masked); err != nil {
		return err
	}
	k := msgKey(t.ID, m.Seq)
	for i := range m.Attachments {
		if err := tx.putBlob(&m.Attachments[i]); err != nil {
			return err
		}
	}
	if len(m.Raw) > 0 {
		if err := tx.putRaw(k, m.Raw); err != nil {
			return err
		}
		m.HasRaw = true
	}
	if m.MessageID != "" {
		if err := tx.Bucket(idxMessageID).Put([]byte(m.MessageID), k); err != nil {
			return fmt.Errorf("index message id: %w", err)
		}
	}
	buf, err := encode(toMessageRecord(m))
	if err != nil {
		return err
	}
	if err := tx.Bucket(bucketMessages).Put(k, buf); err != nil {
		return fmt.Errorf("put message %d/%d: %w", t.ID, m.Seq, err)
	}
	t.UpdatedAt = at
	notePreview(t, m)
	return nil
}

// notePreview keeps the start of m on t for the inbox, and when someone outside last wrote.
func notePreview(t *ticket.Ticket, m *ticket.Message) {
	if p, ok := previewOf(m); ok {
		t.Latest = p
	}
	if m.Direction == ticket.DirectionIn && m.Auto == "" {
		t.LastInboundAt = m.CreatedAt
	}
}

// putBlob stores attachment bytes once per content and clears Data from the metadata. An
// attachment whose bytes were stored ahead (storeLargeValues: Data gone, SHA256 and Size kept),
// or a file of a draft (stored when the draft was saved), refers to the stored bytes, which must
// be there; bytes stored ahead are no longer pending once referred to.
func (tx *Tx) putBlob(a *ticket.Attachment) error {
	if a.Data == nil && a.Decode != nil { // not stored ahead (no intake took it): whole, then
		var b bytes.Buffer
		b.Grow(int(a.Size))
		if err := a.Decode(&b); err != nil {
			return fmt.Errorf("decode attachment %s: %w", a.Name, err)
		}
		a.Data, a.Decode = b.Bytes(), nil
	}
	if a.Data == nil && a.SHA256 != "" {
		sum, err := hex.DecodeString(a.SHA256)
		if err != nil || !tx.hasBlob(sum) {
			return ticket.Errorf(ticket.EINVALID, "Vedlegget «%s» finnes ikke lenger. Legg det ved på nytt.", a.Name)
		}
		return tx.referred(chunkFile, sum)
	}
	sum := sha256.Sum256(a.Data)
	a.SHA256 = hex.EncodeToString(sum[:])
	a.Size = int64(len(a.Data))
	b := tx.Bucket(bucketBlobs)
	if b.Get(sum[:]) == nil {
		if err := b.Put(sum[:], a.Data); err != nil {
			return fmt.Errorf("put attachment %s: %w", a.Name, err)
		}
	}
	a.Data = nil
	return nil
}

// FindTicketByMessageID returns the ticket that holds (or sent) the mail with messageID, and
// the message's position in the thread (0 for an outbox mail that is not a thread message).
func (s *TicketService) FindTicketByMessageID(ctx context.Context, messageID string) (*ticket.Ticket, int, error) {
	var t *ticket.Ticket
	var seq int
	err := s.db.view(ctx, func(tx *Tx) (err error) {
		t, seq, err = tx.findByMessageID(messageID)
		return err
	})
	return t, seq, err
}

func (tx *Tx) findByMessageID(messageID string) (*ticket.Ticket, int, error) {
	v := tx.Bucket(idxMessageID).Get([]byte(messageID))
	if len(v) != 12 {
		return nil, 0, notFound("meldingen")
	}
	t, err := tx.findTicket(btou64(v[:8]))
	if err != nil {
		return nil, 0, err
	}
	return t, int(binary.BigEndian.Uint32(v[8:])), nil
}
