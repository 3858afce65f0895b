package data

import (
	"bytes"
	"fmt"

	"github.com/ks-no/digihjelpen/ticket"
)

// statsTicketChanged keeps the statistics of t after putTicket wrote it: the attributes come
// from t, the transitions stay as the events made them (statsEvent).
func (tx *Tx) statsTicketChanged(t *ticket.Ticket) error {
	if tx.bulk {
		return nil // bulkTicket computes them once, after the events
	}
	old, err := tx.statsTicket(t.ID)
	if err != nil {
		return err
	}
	st := &ticket.StatsTicket{}
	if old != nil {
		st.Transitions = append(st.Transitions, old.Transitions...)
	}
	st.SetTicket(t)
	st.Reconcile(t)
	if err := tx.putStatsNames(t); err != nil {
		return err
	}
	return tx.storeStats(old, st)
}

// statsEvent replays the ticket's status history when an event moved it in or out of the
// active statuses. The ticket is already written in this transaction (putTicket runs before
// the events of a change).
func (tx *Tx) statsEvent(ticketID uint64, kind ticket.EventKind, from, to string) error {
	if tx.bulk || ticketID == 0 {
		return nil
	}
	if _, ok := ticket.TransitionOf(kind, from, to, tx.now); !ok {
		return nil
	}
	t, err := tx.findTicket(ticketID)
	if ticket.ErrorCode(err) == ticket.ENOTFOUND {
		return nil // an event written before its ticket: putTicket reconciles with its status
	} else if err != nil {
		return err
	}
	events, err := tx.ticketEvents(ticketID)
	if err != nil {
		return err
	}
	return tx.refreshStats(t, events)
}

// refreshStats computes the statistics of t from t and its events, from scratch: what Verify
// and the migration do, and what BulkLoad does once per ticket.
func (tx *Tx) refreshStats(t *ticket.Ticket, events []*ticket.Event) error {
	old, err := tx.statsTicket(t.ID)
	if err != nil {
		return err
	}
	st := rebuildStats(t, events)
	if err := tx.putStatsNames(t); err != nil {
		return err
	}
	return tx.storeStats(old, st)
}

func rebuildStats(t *ticket.Ticket, events []*ticket.Event) *ticket.StatsTicket {
	st := &ticket.StatsTicket{}
	st.SetTicket(t)
	st.Replay(events, t)
	return st
}

// statsTicket reads the stored statistics of a ticket (nil when there are none yet).
func (tx *Tx) statsTicket(id uint64) (*ticket.StatsTicket, error) {
	v := tx.Bucket(bucketStatsTickets).Get(u64(id))
	if v == nil {
		return nil, nil
	}
	var r statsRecord
	if err := decode(v, &r); err != nil {
		return nil, fmt.Errorf("statistics of ticket %d: %w", id, err)
	}
	return r.stats(id), nil
}

// storeStats writes st and brings its facts and counters from old (nil: none) to st.
func (tx *Tx) storeStats(old, st *ticket.StatsTicket) error {
	if old != nil && old.Equal(st) {
		return nil
	}
	before, after := statsEntries(old), statsEntries(st)
	facts, counts := tx.Bucket(idxStatsFacts), tx.Bucket(bucketStatsCounts)
	for k, e := range before {
		if n, ok := after[k]; ok && bytes.Equal(n.value, e.value) {
			continue
		}
		if err := facts.Delete([]byte(k)); err != nil {
			return fmt.Errorf("delete fact of ticket %d: %w", st.ID, err)
		}
		if err := addStatsCount(counts, e.count, -1); err != nil {
			return err
		}
		tx.touchStatsWeek(e.count)
	}
	for k, e := range after {
		if o, ok := before[k]; ok && bytes.Equal(o.value, e.value) {
			continue
		}
		if err := facts.Put([]byte(k), e.value); err != nil {
			return fmt.Errorf("put fact of ticket %d: %w", st.ID, err)
		}
		if err := addStatsCount(counts, e.count, 1); err != nil {
			return err
		}
		tx.touchStatsWeek(e.count)
	}
	buf, err := encode(toStatsRecord(st))
	if err != nil {
		return err
	}
	return tx.Bucket(bucketStatsTickets).Put(u64(st.ID), buf)
}

// statsEntry is one fact as stored: its value and the counter it adds to.
type statsEntry struct {
	value []byte
	count []byte
}

// statsEntries maps the fact keys of st to their entries.
func statsEntries(st *ticket.StatsTicket) map[string]statsEntry {
	if st == nil || st.CreatedAt.IsZero() {
		return nil
	}
	facts := st.Facts()
	m := make(map[string]statsEntry, len(facts))
	for i := range facts {
		f := &facts[i]
		m[string(factKey(f))] = statsEntry{value: encodeFact(f), count: statsCountKey(f.Kind, ticket.WeekOf(f.At), f.Agency)}
	}
	return m
}

func addStatsCount(b interface {
	Get([]byte) []byte
	Put([]byte, []byte) error
	Delete([]byte) error
}, k []byte, delta int64) error {
	n := int64(btou64(b.Get(k))) + delta
	switch {
	case n < 0:
		return fmt.Errorf("statistics counter %x would be negative", k)
	case n == 0:
		return b.Delete(k)
	}
	return b.Put(k, u64(uint64(n)))
}

// putStatsNames remembers the display names of the ticket's municipality and county.
func (tx *Tx) putStatsNames(t *ticket.Ticket) error {
	b := tx.Bucket(bucketStatsNames)
	for _, n := range [][2]string{{"m" + t.Requester.Municipality.Number, t.Requester.Municipality.Name}, {"c" + t.Requester.County.Number, t.Requester.County.Name}} {
		if len(n[0]) == 1 || n[1] == "" || string(b.Get([]byte(n[0]))) == n[1] {
			continue
		}
		if err := b.Put([]byte(n[0]), []byte(n[1])); err != nil {
			return fmt.Errorf("put statistics name: %w", err)
		}
	}
	return nil
}

// ticketEvents reads the events of a ticket in the transaction, oldest first.
func (tx *Tx) ticketEvents(id uint64) ([]*ticket.Event, error) {
	var list []*ticket.Event
	prefix := u64(id)
	c := tx.Bucket(bucketEvents).Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		var r eventRecord
		if err := decode(v, &r); err != nil {
			return nil, fmt.Errorf("event %x: %w", k, err)
		}
		list = append(list, r.event())
	}
	return list, nil
}
