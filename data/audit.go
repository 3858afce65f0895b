package data

import (
	"bytes"
	"context"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

// The audit log reads events across all tickets by time: idx_event_time holds one entry per
// event, time|event id -> ticket id|kind, kept with the event in the same transaction, so a
// period is a cursor walk and a kind is filtered without reading the record.
var idxEventTime = []byte("idx_event_time")

func init() { registerBuckets(idxEventTime) }

// auditReadLimit is how many index entries one page reads at most before it returns what it
// has (AuditPage.Partial), so a rare person over years of log never holds a page for long.
const auditReadLimit = 200_000

func eventTimeKey(at time.Time, id uint64) []byte { return key(timeKey(at), u64(id)) }

func eventTimeValue(ticketID uint64, kind ticket.EventKind) []byte {
	return key(u64(ticketID), []byte(kind))
}

// AuditService implements ticket.AuditService.
type AuditService struct{ db *DB }

var _ ticket.AuditService = (*AuditService)(nil)

// NewAuditService returns the audit log of db.
func NewAuditService(db *DB) *AuditService { return &AuditService{db: db} }

// FindAuditEvents returns one page of the log, newest first; see ticket.AuditService.
func (s *AuditService) FindAuditEvents(ctx context.Context, f ticket.AuditFilter) (ticket.AuditPage, error) {
	if f.Limit <= 0 || f.Limit > ticket.MaxLimit {
		f.Limit = 100
	}
	var page ticket.AuditPage
	err := s.db.view(ctx, func(tx *Tx) error {
		read := 0
		var last []byte // the key of the last event on the page: the next page starts below it
		return tx.walkAudit(f, func(k []byte, e *ticket.Event) (bool, error) {
			if e == nil { // an entry read and passed over
				if read++; read >= auditReadLimit {
					page.Partial, page.ReadTo, page.Next = true, e0Time(k, f.TicketID != 0), hex.EncodeToString(k)
					return false, nil
				}
				return true, nil
			}
			if len(page.Events) == f.Limit {
				page.Next = hex.EncodeToString(last)
				return false, nil
			}
			page.Events, last = append(page.Events, e), copyBytes(k)
			return true, nil
		})
	})
	return page, err
}

// EachAuditEvent calls fn with every matching event, newest first.
func (s *AuditService) EachAuditEvent(ctx context.Context, f ticket.AuditFilter, fn func(*ticket.Event) error) error {
	f.Cursor = ""
	return s.db.view(ctx, func(tx *Tx) error {
		return tx.walkAudit(f, func(_ []byte, e *ticket.Event) (bool, error) {
			if err := ctx.Err(); err != nil {
				return false, err
			}
			if e == nil {
				return true, nil
			}
			return true, fn(e)
		})
	})
}

// e0Time is the time of an index key of the log, for AuditPage.ReadTo (zero for a ticket's
// own events, which are keyed by id).
func e0Time(k []byte, byTicket bool) time.Time {
	if byTicket {
		return time.Time{}
	}
	return time.Unix(0, int64(btou64(k))).UTC()
}

// walkAudit walks the events of f newest first, from its cursor. fn gets each matching event,
// and nil for an entry it read and passed over; the key is where a next page would start.
func (tx *Tx) walkAudit(f ticket.AuditFilter, fn func(k []byte, e *ticket.Event) (bool, error)) error {
	match := auditMatcher(f)
	var below []byte
	if f.Cursor != "" {
		var err error
		if below, err = hex.DecodeString(f.Cursor); err != nil {
			return ticket.FieldError("cursor", "Ugyldig fortsettelse av listen.")
		}
	}
	if f.TicketID != 0 {
		return tx.walkTicketAudit(f.TicketID, below, match, fn)
	}
	if below == nil && !f.To.IsZero() {
		below = timeKey(f.To)
	}
	var from []byte
	if !f.From.IsZero() {
		from = timeKey(f.From)
	}
	events := tx.Bucket(bucketEvents)
	return walkBack(tx.Bucket(idxEventTime).Cursor(), nil, below, func(k, v []byte) (bool, error) {
		if from != nil && bytes.Compare(k, from) < 0 {
			return false, nil
		}
		if f.Kind != "" && string(v[8:]) != string(f.Kind) {
			return fn(k, nil)
		}
		rv := events.Get(key(v[:8], k[8:16]))
		if rv == nil {
			return fn(k, nil) // an index entry without its event: Verify reports it
		}
		var r eventRecord
		if err := decode(rv, &r); err != nil {
			return false, fmt.Errorf("event %d: %w", btou64(k[8:]), err)
		}
		e := r.event()
		if !match(e) {
			return fn(k, nil)
		}
		return fn(k, e)
	})
}

// walkTicketAudit walks one ticket's events, newest first; its cursor is the event key.
func (tx *Tx) walkTicketAudit(id uint64, below []byte, match func(*ticket.Event) bool, fn func([]byte, *ticket.Event) (bool, error)) error {
	prefix := u64(id)
	if below != nil && !bytes.HasPrefix(below, prefix) {
		below = nil
	} else if below != nil {
		below = below[8:]
	}
	return walkBack(tx.Bucket(bucketEvents).Cursor(), prefix, below, func(k, v []byte) (bool, error) {
		var r eventRecord
		if err := decode(v, &r); err != nil {
			return false, fmt.Errorf("event %x: %w", k, err)
		}
		e := r.event()
		if !match(e) {
			return fn(k, nil)
		}
		return fn(k, e)
	})
}

// auditMatcher checks what the index cannot: the period of a ticket's events, the kind, the
// person.
func auditMatcher(f ticket.AuditFilter) func(*ticket.Event) bool {
	person := strings.ToLower(strings.TrimSpace(f.Person))
	return func(e *ticket.Event) bool {
		if (!f.From.IsZero() && e.At.Before(f.From)) || (!f.To.IsZero() && !e.At.Before(f.To)) {
			return false
		}
		if f.Kind != "" && e.Kind != f.Kind {
			return false
		}
		if person == "" {
			return true
		}
		for _, s := range []string{e.Actor, e.From, e.To, e.Detail} {
			if strings.Contains(strings.ToLower(s), person) {
				return true
			}
		}
		return false
	}
}

// verifyEventIndex rebuilds idx_event_time from the events and compares.
func (tx *Tx) verifyEventIndex() error {
	want := map[string][]byte{}
	err := tx.eachEvent(nil, func(_ []byte, r *eventRecord) error {
		want[string(eventTimeKey(r.At, r.ID))] = eventTimeValue(r.TicketID, ticket.EventKind(r.Kind))
		return nil
	})
	if err != nil {
		return err
	}
	return compareBucket(tx, string(idxEventTime), want)
}
