package data

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

// EventService implements ticket.EventService.
type EventService struct {
	db *DB
}

var _ ticket.EventService = (*EventService)(nil)

// NewEventService returns the audit trail of db.
func NewEventService(db *DB) *EventService { return &EventService{db: db} }

type eventRecord struct {
	ID       uint64    `json:"id"`
	TicketID uint64    `json:"tid"`
	Kind     string    `json:"k"`
	Actor    string    `json:"a"`
	From     string    `json:"f,omitempty"`
	To       string    `json:"t,omitempty"`
	Detail   string    `json:"d,omitempty"`
	At       time.Time `json:"at"`
}

func (r *eventRecord) event() *ticket.Event {
	return &ticket.Event{ID: r.ID, TicketID: r.TicketID, Kind: ticket.EventKind(r.Kind), Actor: r.Actor,
		From: r.From, To: r.To, Detail: r.Detail, At: r.At}
}

// addEvent appends one line to the audit trail in the caller's transaction.
func (tx *Tx) addEvent(ticketID uint64, kind ticket.EventKind, actor, from, to, detail string) error {
	return tx.addEventAt(ticketID, kind, actor, from, to, detail, tx.now)
}

// addEventAt is addEvent with a time of its own, for history loaded in bulk.
func (tx *Tx) addEventAt(ticketID uint64, kind ticket.EventKind, actor, from, to, detail string, at time.Time) error {
	b := tx.Bucket(bucketEvents)
	id, err := b.NextSequence()
	if err != nil {
		return fmt.Errorf("next event id: %w", err)
	}
	buf, err := encode(eventRecord{ID: id, TicketID: ticketID, Kind: string(kind), Actor: actor, From: from, To: to, Detail: detail, At: at})
	if err != nil {
		return err
	}
	if err := b.Put(key(u64(ticketID), u64(id)), buf); err != nil {
		return fmt.Errorf("put event of ticket %d: %w", ticketID, err)
	}
	if err := tx.queueNotification(id, ticketID, kind, from, buf); err != nil {
		return err
	}
	if err := tx.Bucket(idxEventTime).Put(eventTimeKey(at, id), eventTimeValue(ticketID, kind)); err != nil {
		return fmt.Errorf("index event of ticket %d: %w", ticketID, err)
	}
	return tx.statsEvent(ticketID, kind, from, to)
}

// AddEvent records an event that belongs to no other change (a login, a viewed attachment).
func (s *EventService) AddEvent(ctx context.Context, ticketID uint64, kind ticket.EventKind, detail string) error {
	actor := ticket.ActorFromContext(ctx).Name
	return s.db.update(ctx, func(tx *Tx) error {
		return tx.addEvent(ticketID, kind, actor, "", "", detail)
	})
}

// FindEvents returns the events of a ticket, oldest first.
func (s *EventService) FindEvents(ctx context.Context, ticketID uint64) ([]*ticket.Event, error) {
	var list []*ticket.Event
	err := s.db.view(ctx, func(tx *Tx) error {
		prefix := u64(ticketID)
		c := tx.Bucket(bucketEvents).Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			var r eventRecord
			if err := decode(v, &r); err != nil {
				return fmt.Errorf("event %x: %w", k, err)
			}
			list = append(list, r.event())
		}
		return nil
	})
	return list, err
}
