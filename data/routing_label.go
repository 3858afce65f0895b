package data

import (
	"context"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/ks-no/digihjelpen/ticket"
)

// idxRoutingLabel lists the tickets that have a routing label (ticket.RoutingLabel: staff
// moved the ticket to its agency, or resolved or closed it there): ticket id. The routing
// model learns from them. It is one of the ticket indexes (ticketIndexKeys), so it changes
// with the ticket and Verify checks it.
var idxRoutingLabel = []byte("idx_routing_label")

func init() { registerBuckets(idxRoutingLabel) }

// keyRoutingLabelsVersion in the meta bucket counts the changes of labels, so the learner
// knows without a scan whether there is anything new to learn.
var keyRoutingLabelsVersion = []byte("routing_labels_version")

var _ ticket.RoutingLabelService = (*TicketService)(nil)

func routingLabelKeys(t *ticket.Ticket) [][]byte {
	if _, _, ok := t.RoutingLabel(); ok {
		return [][]byte{u64(t.ID)}
	}
	return nil
}

// labelOf is what a change of label is compared on; the zero value for nil or no label.
func labelOf(t *ticket.Ticket) [2]string {
	if t == nil {
		return [2]string{}
	}
	agency, source, ok := t.RoutingLabel()
	if !ok {
		return [2]string{}
	}
	return [2]string{agency, string(source)}
}

// noteRoutingLabel counts a change of label from old to t (either nil: created, deleted).
func (tx *Tx) noteRoutingLabel(old, t *ticket.Ticket) error {
	if labelOf(old) == labelOf(t) {
		return nil
	}
	meta := tx.Bucket(bucketMeta)
	if err := meta.Put(keyRoutingLabelsVersion, u64(btou64(meta.Get(keyRoutingLabelsVersion))+1)); err != nil {
		return fmt.Errorf("count routing label change: %w", err)
	}
	return nil
}

// RoutingLabelsVersion changes whenever a ticket gains, loses or changes its routing label.
func (s *TicketService) RoutingLabelsVersion(ctx context.Context) (uint64, error) {
	var v uint64
	err := s.db.view(ctx, func(tx *Tx) error {
		v = btou64(tx.Bucket(bucketMeta).Get(keyRoutingLabelsVersion))
		return nil
	})
	return v, err
}

// labelBatch is how many labelled tickets one read transaction takes. Training reads them all,
// which at a million tickets takes long enough that one transaction would hold back a writer that
// must grow the file (bbolt remaps only when no read transaction is open); batches keep every
// transaction short, so intake never waits for the learner.
var labelBatch = 2000

// ForEachRoutingLabel calls fn with every labelled ticket and its first message, oldest ticket
// first, reading labelBatch tickets per read transaction and calling fn outside it. A ticket
// that changes between batches is seen as it was when its batch was read.
func (s *TicketService) ForEachRoutingLabel(ctx context.Context, fn func(t *ticket.Ticket, first *ticket.Message) error) error {
	var after uint64 // the last ticket id read
	for {
		batch, err := s.routingLabelBatch(ctx, after)
		if err != nil {
			return err
		}
		for _, l := range batch {
			if err := fn(l.t, l.first); err != nil {
				return err
			}
		}
		if len(batch) < labelBatch {
			return nil
		}
		after = batch[len(batch)-1].t.ID
	}
}

type labelled struct {
	t     *ticket.Ticket
	first *ticket.Message
}

// routingLabelBatch reads the next labelBatch labelled tickets after ticket id after (0: from
// the first).
func (s *TicketService) routingLabelBatch(ctx context.Context, after uint64) ([]labelled, error) {
	var batch []labelled
	err := s.db.view(ctx, func(tx *Tx) error {
		msgs := tx.Bucket(bucketMessages)
		c := tx.Bucket(idxRoutingLabel).Cursor()
		k, _ := c.Seek(u64(after + 1))
		for ; k != nil && len(batch) < labelBatch; k, _ = c.Next() {
			t, err := tx.findTicket(btou64(k))
			if err != nil {
				return fmt.Errorf("labelled ticket: %w", err)
			}
			first, err := firstMessage(msgs, t.ID)
			if err != nil {
				return err
			}
			batch = append(batch, labelled{t, first})
		}
		return nil
	})
	return batch, err
}

// indexRoutingLabels fills idx_routing_label for the tickets stored before it (schema 8 -> 9):
// the tickets staff moved by hand or resolved become the model's first labels.
func indexRoutingLabels(btx *bolt.Tx) error {
	idx := btx.Bucket(idxRoutingLabel)
	n := uint64(0)
	err := btx.Bucket(bucketTickets).ForEach(func(k, v []byte) error {
		var r ticketRecord
		if err := decode(v, &r); err != nil {
			return fmt.Errorf("ticket %d: %w", btou64(k), err)
		}
		for _, ik := range routingLabelKeys(r.ticket()) {
			n++
			if err := idx.Put(ik, nil); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil || n == 0 {
		return err
	}
	return btx.Bucket(bucketMeta).Put(keyRoutingLabelsVersion, u64(n))
}
