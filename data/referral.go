package data

import (
	"context"
	"encoding/binary"
	"fmt"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/ks-no/digihjelpen/ticket"
)

// idxReferralOpen lists the referrals of active tickets still waiting for the agency:
// sent|ticket id|index. It is one of the ticket indexes (ticketIndexKeys), so it changes with
// the ticket and Verify checks it.
var idxReferralOpen = []byte("idx_referral_open")

func init() { registerBuckets(idxReferralOpen) }

// referralIndexKeys returns the open-referral index entries of t: its referrals still waiting
// for an answer while the ticket is active. A resolved or closed ticket needs no reminder, and
// leaving it out keeps the index the size of the backlog; a reopened ticket comes back.
func referralIndexKeys(t *ticket.Ticket) [][]byte {
	if !t.Status.Active() {
		return nil
	}
	var keys [][]byte
	for i, r := range t.Referrals {
		if r.Status != ticket.ReferralSent || r.SentAt.IsZero() {
			continue
		}
		n := make([]byte, 4)
		binary.BigEndian.PutUint32(n, uint32(i))
		keys = append(keys, key(timeKey(r.SentAt), u64(t.ID), n))
	}
	return keys
}

// indexOpenReferrals is the migration that fills idx_referral_open from the tickets stored
// before the index existed. It is idempotent.
func indexOpenReferrals(btx *bolt.Tx) error {
	idx := btx.Bucket(idxReferralOpen)
	return btx.Bucket(bucketTickets).ForEach(func(k, v []byte) error {
		var r ticketRecord
		if err := decode(v, &r); err != nil {
			return fmt.Errorf("ticket %d: %w", btou64(k), err)
		}
		for _, ik := range referralIndexKeys(r.ticket()) {
			if err := idx.Put(ik, nil); err != nil {
				return err
			}
		}
		return nil
	})
}

// FindOpenReferrals returns every referral of an active ticket still waiting for the agency,
// oldest first. Those whose reminder has fired have Referral.RemindedAt set.
func (s *TicketService) FindOpenReferrals(ctx context.Context) ([]ticket.OpenReferral, error) {
	var list []ticket.OpenReferral
	err := s.db.view(ctx, func(tx *Tx) (err error) {
		list, err = tx.openReferrals()
		return err
	})
	return list, err
}

// FindOverdueReferrals returns the open referrals whose reminder is due at now, given the
// configured delay; the inbox and the reminder job use it.
func (s *TicketService) FindOverdueReferrals(ctx context.Context, now time.Time, after time.Duration) ([]ticket.OpenReferral, error) {
	open, err := s.FindOpenReferrals(ctx)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(open, func(o ticket.OpenReferral) bool { return !isDue(o.Referral, now, after) }), nil
}

func isDue(r ticket.Referral, now time.Time, after time.Duration) bool {
	due, ok := r.Due(after)
	return ok && !due.After(now)
}

func (tx *Tx) openReferrals() ([]ticket.OpenReferral, error) {
	var list []ticket.OpenReferral
	c := tx.Bucket(idxReferralOpen).Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		if len(k) != 20 {
			return nil, fmt.Errorf("open referral index: bad key %x", k)
		}
		t, err := tx.findTicket(btou64(k[8:16]))
		if err != nil {
			return nil, err
		}
		i := int(binary.BigEndian.Uint32(k[16:]))
		if i >= len(t.Referrals) {
			return nil, fmt.Errorf("open referral index: ticket %d has no referral %d", t.ID, i)
		}
		list = append(list, ticket.OpenReferral{TicketID: t.ID, Ref: t.Ref, Subject: t.Subject, Status: t.Status, Index: i, Referral: t.Referrals[i]})
	}
	return list, nil
}

// MarkOverdueReferrals flags every open referral whose reminder is due and has not fired yet:
// it sets RemindedAt, tags the ticket with ticket.TagReferralOverdue (so the inbox can filter
// on it), moves the ticket to the top of the inbox and records an EventOverdue, each ticket in
// the same transaction as its event. It returns the referrals it flagged. It works in
// transactions of remindBatch tickets, so the first run on a database with years of unanswered
// referrals does not hold the write lock, or memory, for all of them at once.
func (s *TicketService) MarkOverdueReferrals(ctx context.Context, after time.Duration) ([]ticket.OpenReferral, error) {
	var marked []ticket.OpenReferral
	for {
		var batch []ticket.OpenReferral
		more := false
		err := s.db.update(ctx, func(tx *Tx) error {
			open, err := tx.openReferrals()
			if err != nil {
				return err
			}
			for _, o := range open { // the index is read in full before any ticket changes
				if !o.Referral.RemindedAt.IsZero() || !isDue(o.Referral, tx.now, after) {
					continue
				}
				if len(batch) == remindBatch {
					more = true
					break
				}
				if err := tx.markOverdue(o); err != nil {
					return err
				}
				o.Referral.RemindedAt = tx.now
				batch = append(batch, o)
			}
			return nil
		})
		if err != nil {
			return marked, err
		}
		marked = append(marked, batch...)
		if !more {
			return marked, nil
		}
	}
}

// remindBatch is how many tickets one transaction of MarkOverdueReferrals changes.
const remindBatch = 500

func (tx *Tx) markOverdue(o ticket.OpenReferral) error {
	t, err := tx.findTicket(o.TicketID)
	if err != nil {
		return err
	}
	old := *t
	t.Referrals = slices.Clone(t.Referrals)
	t.Referrals[o.Index].RemindedAt = tx.now
	if !t.HasTag(ticket.TagReferralOverdue) {
		t.Tags = append(slices.Clone(t.Tags), ticket.TagReferralOverdue)
	}
	t.UpdatedAt = tx.now
	if err := tx.putTicket(&old, t); err != nil {
		return err
	}
	sent := o.Referral.SentAt.In(ticket.Oslo).Format("02.01.2006")
	return tx.addEvent(t.ID, ticket.EventOverdue, "system", "", o.Referral.Agency, "henvist "+sent+", ikke besvart")
}

// clearOverdueTag removes ticket.TagReferralOverdue when no overdue referral is left open,
// after an agency's answer.
func clearOverdueTag(t *ticket.Ticket, ch *changes) {
	if !t.HasTag(ticket.TagReferralOverdue) {
		return
	}
	for _, r := range t.Referrals {
		if r.Status == ticket.ReferralSent && !r.RemindedAt.IsZero() {
			return
		}
	}
	old := slices.Clone(t.Tags)
	t.Tags = slices.DeleteFunc(slices.Clone(t.Tags), func(s string) bool { return s == ticket.TagReferralOverdue })
	ch.add(ticket.EventTags, strings.Join(old, ","), strings.Join(t.Tags, ","), "alle henvisninger er besvart")
}
