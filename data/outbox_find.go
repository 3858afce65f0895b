package data

import (
	"context"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

// FindOutbox lists mail of the outbox without attachment bytes: queued mail soonest first;
// parked mail, a ticket's mail and all mail newest first.
func (s *OutboxService) FindOutbox(ctx context.Context, f ticket.OutboxFilter) ([]*ticket.OutboundMail, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = ticket.DefaultLimit
	}
	limit = min(limit, ticket.MaxLimit)
	var list []*ticket.OutboundMail
	err := s.db.view(ctx, func(tx *Tx) error {
		add := func(id uint64) (bool, error) {
			m, err := tx.findOutbound(id)
			if err != nil {
				return false, err
			}
			if f.State == nil || m.State == *f.State {
				list = append(list, m)
			}
			return len(list) < limit, nil
		}
		switch {
		case f.TicketID != nil:
			prefix := u64(*f.TicketID)
			return walkBack(tx.Bucket(idxOutboxTicket).Cursor(), prefix, nil, func(k, _ []byte) (bool, error) { return add(btou64(k[8:])) })
		case f.State != nil && *f.State == ticket.OutboxQueued:
			for _, idx := range [][]byte{idxOutboxDue, idxWebhookDue} {
				c := tx.Bucket(idx).Cursor()
				for k, _ := c.First(); k != nil; k, _ = c.Next() {
					if more, err := add(btou64(k[8:])); err != nil || !more {
						return err
					}
				}
			}
			return nil
		case f.State != nil && *f.State == ticket.OutboxParked:
			return walkBack(tx.Bucket(idxOutboxParked).Cursor(), nil, nil, func(k, _ []byte) (bool, error) { return add(btou64(k)) })
		}
		return walkBack(tx.Bucket(bucketOutbox).Cursor(), nil, nil, func(k, _ []byte) (bool, error) { return add(btou64(k)) })
	})
	return list, err
}

// CountOutbox returns how many mails wait in the queue and how many are parked.
func (s *OutboxService) CountOutbox(ctx context.Context) (queued, parked int, err error) {
	err = s.db.view(ctx, func(tx *Tx) error {
		queued = tx.Bucket(idxOutboxDue).Stats().KeyN + tx.Bucket(idxWebhookDue).Stats().KeyN
		parked = tx.Bucket(idxOutboxParked).Stats().KeyN
		return nil
	})
	return queued, parked, err
}

// VerifyOutbox rebuilds the outbox indexes from the records and compares them with what is
// stored; it returns the first difference. Verify runs it too.
func (db *DB) VerifyOutbox(ctx context.Context) error {
	return db.view(ctx, func(tx *Tx) error {
		due, hooks, parked, byTicket := map[string][]byte{}, map[string][]byte{}, map[string][]byte{}, map[string][]byte{}
		err := tx.Bucket(bucketOutbox).ForEach(func(k, v []byte) error {
			var r outboxRecord
			if err := decode(v, &r); err != nil {
				return err
			}
			m := r.mail()
			switch m.State {
			case ticket.OutboxQueued:
				if m.Kind == ticket.MailWebhook {
					hooks[string(dueKey(m))] = nil
				} else {
					due[string(dueKey(m))] = nil
				}
			case ticket.OutboxParked:
				parked[string(u64(m.ID))] = nil
			}
			if m.TicketID != 0 {
				byTicket[string(key(u64(m.TicketID), u64(m.ID)))] = nil
			}
			return nil
		})
		if err != nil {
			return err
		}
		for name, want := range map[string]map[string][]byte{string(idxOutboxDue): due, string(idxWebhookDue): hooks, string(idxOutboxParked): parked, string(idxOutboxTicket): byTicket} {
			if err := compareBucket(tx, name, want); err != nil {
				return err
			}
		}
		return nil
	})
}

// OutboxDue is how the queue stands, for /readyz and /metrics.
type OutboxDue struct {
	Queued int // mails waiting to be sent
	Parked int // mails stopped until staff send them again
	// OldestDue is the time the first due mail became due (zero when none is): how long mail
	// has waited that should have gone.
	OldestDue time.Time
}

// DueState reads the queue's length and its oldest due mail: a few keys, never the records.
func (s *OutboxService) DueState(ctx context.Context) (OutboxDue, error) {
	var d OutboxDue
	err := s.db.view(ctx, func(tx *Tx) error {
		due := tx.Bucket(idxOutboxDue)
		d.Queued, d.Parked = due.Stats().KeyN, tx.Bucket(idxOutboxParked).Stats().KeyN
		if k, _ := due.Cursor().First(); k != nil {
			if at := time.Unix(0, int64(btou64(k[:8]))).UTC(); !at.After(tx.now) {
				d.OldestDue = at
			}
		}
		return nil
	})
	return d, err
}
