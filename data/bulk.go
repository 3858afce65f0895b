package data

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"github.com/ks-no/digihjelpen/ticket"
)

// BulkTicket is a ticket with its whole history, as a migration or the benchmark generator
// has it: every time is kept as given.
type BulkTicket struct {
	// Ticket is stored as it is, times and status included; ID, Ref (by the Oslo year of
	// CreatedAt), StatusToken and MessageCount are assigned.
	Ticket   *ticket.Ticket
	Messages []*ticket.Message // in thread order; CreatedAt is kept
	Events   []*ticket.Event   // CreatedAt-ordered; At is kept
}

// BulkLoad stores items in one transaction, with indexes and counters as for any other write.
// It is for loading many tickets fast (call it with a few thousand at a time): one fsync per
// call instead of one per ticket. It does not queue mail.
func (db *DB) BulkLoad(ctx context.Context, items []BulkTicket) error {
	return db.update(ctx, func(tx *Tx) error {
		for _, it := range items {
			if err := tx.bulkTicket(it); err != nil {
				return err
			}
		}
		return nil
	})
}

func (tx *Tx) bulkTicket(it BulkTicket) error {
	t := it.Ticket
	if err := t.Validate(); err != nil {
		return fmt.Errorf("bulk ticket %q: %w", t.Subject, err)
	}
	id, err := tx.Bucket(bucketTickets).NextSequence()
	if err != nil {
		return fmt.Errorf("next ticket id: %w", err)
	}
	if t.Ref, err = tx.nextRef(t.CreatedAt.In(ticket.Oslo).Year()); err != nil {
		return err
	}
	t.ID, t.StatusToken, t.MessageCount = id, uuid.NewString(), 0
	t.Requester.Email = strings.ToLower(t.Requester.Email)
	if t.Version == 0 {
		t.Version = 1
	}
	updated := t.UpdatedAt
	for _, m := range it.Messages {
		if err := tx.storeMessage(t, m, m.CreatedAt); err != nil {
			return err
		}
	}
	if updated.After(t.UpdatedAt) {
		t.UpdatedAt = updated
	}
	tx.bulk = true // the statistics follow once, from the whole history
	defer func() { tx.bulk = false }()
	if err := tx.putTicket(nil, t); err != nil {
		return err
	}
	for _, e := range it.Events {
		if err := tx.addEventAt(t.ID, e.Kind, e.Actor, e.From, e.To, e.Detail, e.At); err != nil {
			return err
		}
	}
	tx.bulk = false
	return tx.refreshStats(t, it.Events)
}
