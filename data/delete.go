package data

import (
	"bytes"
	"context"
	"fmt"

	"github.com/ks-no/digihjelpen/ticket"
)

// DeleteTicket removes a ticket for good: the record, its messages, raw sources, attachments no
// other mail uses, its outbox mail (a queued mail is not sent), its events, index entries,
// counters and statistics (the search index drops it on its next run). Every Message-ID of the
// ticket is tombstoned, so the mail is never imported again; one audit event with ticket id 0
// records who deleted which reference. The reference number is not reused.
func (s *TicketService) DeleteTicket(ctx context.Context, id uint64) error {
	actor := ticket.ActorFromContext(ctx).Name
	return s.db.update(ctx, func(tx *Tx) error { return tx.deleteTicket(id, actor) })
}

func (tx *Tx) deleteTicket(id uint64, actor string) error {
	t, err := tx.findTicket(id)
	if err != nil {
		return err
	}
	tx.ticketChanged()
	if err := tx.deleteTicketIndexes(t); err != nil {
		return err
	}
	if err := tx.noteRoutingLabel(t, nil); err != nil {
		return err
	}
	if err := tx.forgetSeen(id); err != nil {
		return err
	}
	reason := t.Ref.String() + " slettet"
	hashes, err := tx.deleteMessages(t, reason)
	if err != nil {
		return err
	}
	if err := tx.deleteOutboxOf(t, reason); err != nil {
		return err
	}
	if err := tx.deleteEvents(id); err != nil {
		return err
	}
	drafted, err := tx.deleteDraftsOf(id)
	if err != nil {
		return err
	}
	for h := range drafted {
		hashes[h] = true
	}
	if err := tx.forgetTicketSender(id); err != nil {
		return err
	}
	if err := tx.deleteStats(id); err != nil {
		return err
	}
	if err := tx.deleteFeedback(id); err != nil {
		return err
	}
	tx.db.tickets.forget(id)
	if err := tx.Bucket(bucketTickets).Delete(u64(id)); err != nil {
		return fmt.Errorf("delete ticket %d: %w", id, err)
	}
	if err := tx.deleteUnusedBlobs(hashes); err != nil {
		return err
	}
	if err := tx.unlinkMerges(t, actor); err != nil {
		return err
	}
	return tx.addEvent(0, ticket.EventDeleted, actor, t.Ref.String(), "", "sak slettet")
}

// deleteStats takes a deleted ticket out of the statistics: its facts, what they added to the
// weekly counters, and its record. A ticket deleted for good (spam, a mistake, a privacy
// request) no longer counts in any week's report.
func (tx *Tx) deleteStats(id uint64) error {
	st, err := tx.statsTicket(id)
	if err != nil || st == nil {
		return err
	}
	facts, counts := tx.Bucket(idxStatsFacts), tx.Bucket(bucketStatsCounts)
	for k, e := range statsEntries(st) {
		if err := facts.Delete([]byte(k)); err != nil {
			return fmt.Errorf("delete fact of ticket %d: %w", id, err)
		}
		if err := addStatsCount(counts, e.count, -1); err != nil {
			return err
		}
		tx.touchStatsWeek(e.count)
	}
	return tx.Bucket(bucketStatsTickets).Delete(u64(id))
}

// deleteMessages removes the thread of t with raw sources and Message-ID index entries,
// tombstones each Message-ID, and returns the attachment hashes it used.
func (tx *Tx) deleteMessages(t *ticket.Ticket, reason string) (map[string]bool, error) {
	hashes := map[string]bool{}
	prefix := u64(t.ID)
	records, err := tx.messageRecords(t.ID)
	if err != nil {
		return nil, err
	}
	for _, r := range records {
		for _, a := range r.Attachments {
			hashes[a.SHA256] = true
		}
		if err := tx.forgetMessageID(r.MessageID, t.ID, reason); err != nil {
			return nil, err
		}
	}
	if err := deletePrefix(tx, bucketMessages, prefix); err != nil {
		return nil, err
	}
	return hashes, tx.deleteRawOf(prefix)
}

// forgetMessageID tombstones a Message-ID and removes its index entry when it points at ticket id.
func (tx *Tx) forgetMessageID(mid string, id uint64, reason string) error {
	if mid == "" {
		return nil
	}
	if v := tx.Bucket(idxMessageID).Get([]byte(mid)); len(v) == 12 && btou64(v) == id {
		if err := tx.Bucket(idxMessageID).Delete([]byte(mid)); err != nil {
			return fmt.Errorf("unindex message id: %w", err)
		}
	}
	return tx.tombstone(mid, reason)
}

// deleteOutboxOf removes the outbox mail of t, queued, parked or sent, with its index entries.
func (tx *Tx) deleteOutboxOf(t *ticket.Ticket, reason string) error {
	prefix := u64(t.ID)
	var ids []uint64
	c := tx.Bucket(idxOutboxTicket).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		ids = append(ids, btou64(k[8:]))
	}
	for _, id := range ids {
		v := tx.Bucket(bucketOutbox).Get(u64(id))
		if v == nil {
			continue
		}
		var r outboxRecord
		if err := decode(v, &r); err != nil {
			return fmt.Errorf("outbox %d: %w", id, err)
		}
		if err := tx.forgetMessageID(r.MessageID, t.ID, reason); err != nil {
			return err
		}
		for _, ik := range []struct{ bucket, key []byte }{
			{idxOutboxDue, key(timeKey(r.NextTry), u64(id))}, {idxWebhookDue, key(timeKey(r.NextTry), u64(id))}, {idxOutboxParked, u64(id)}, {idxOutboxTicket, key(prefix, u64(id))}, {bucketOutbox, u64(id)},
		} {
			if err := tx.Bucket(ik.bucket).Delete(ik.key); err != nil {
				return fmt.Errorf("delete outbox mail %d from %s: %w", id, ik.bucket, err)
			}
		}
	}
	return nil
}

// deleteUnusedBlobs removes attachment bytes that no message or outbox mail refers to any more.
// Attachments are stored once per content, so another ticket may share them. Deleting a ticket
// is rare, so one scan (decoding only records that have attachments, as the anonymiser does) is
// cheaper than reference counts kept on every write.
func (tx *Tx) deleteUnusedBlobs(unused map[string]bool) error {
	if len(unused) == 0 {
		return nil
	}
	for _, b := range [][]byte{bucketMessages, bucketOutbox} {
		c := tx.Bucket(b).Cursor()
		for k, v := c.First(); k != nil && len(unused) > 0; k, v = c.Next() {
			if !bytes.Contains(v, []byte(`"att":`)) {
				continue
			}
			var r struct { // messages and outbox mail keep their files alike
				Attachments []attachmentRecord `json:"att"`
			}
			if err := decode(v, &r); err != nil {
				return fmt.Errorf("%s %x: %w", b, k, err)
			}
			for _, a := range r.Attachments {
				delete(unused, a.SHA256)
			}
		}
	}
	if err := tx.dropDraftHashes(unused); err != nil {
		return err
	}
	return tx.deleteBlobs(unused)
}

// deletePrefix removes every key of bucket b that starts with prefix (collected first: bbolt
// cursors must not delete while they walk).
func deletePrefix(tx *Tx, b, prefix []byte) error {
	bk := tx.Bucket(b)
	var keys [][]byte
	c := bk.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		keys = append(keys, copyBytes(k))
	}
	for _, k := range keys {
		if err := bk.Delete(k); err != nil {
			return fmt.Errorf("delete %s %x: %w", b, k, err)
		}
	}
	return nil
}
