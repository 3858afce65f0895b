package data

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

// WarnDueSoon records an EventFirstResponseDue on every ticket whose first response is due
// within ticket.DueSoonWithin business time and that has not been warned about, so the
// notification queue takes it from there. A ticket is warned once: its first-response deadline
// follows from when it came in and never moves. It returns how many tickets it warned about.
func (s *NotifyService) WarnDueSoon(ctx context.Context) (int, error) {
	var n int
	err := s.db.update(ctx, func(tx *Tx) error {
		if err := tx.forgetPassedWarnings(); err != nil {
			return err
		}
		until := ticket.AddBusinessHours(tx.now, ticket.DueSoonWithin).UTC()
		for _, id := range tx.dueBetween(tx.now, until) {
			warned, err := tx.warnDueSoon(id, until)
			if err != nil {
				return err
			}
			if warned {
				n++
			}
		}
		return nil
	})
	return n, err
}

// dueBetween are the tickets whose deadline (ticket.DueAt) lies in (from, until], from the
// unfiltered dimension of the deadline index.
func (tx *Tx) dueBetween(from, until time.Time) []uint64 {
	var ids []uint64
	for _, p := range tx.duePrefixes(nil, nil) {
		c := tx.Bucket(idxDue).Cursor()
		end := key(p, timeKey(until), bytes.Repeat([]byte{0xff}, 8))
		for k, _ := c.Seek(key(p, timeKey(from.Add(time.Nanosecond)))); k != nil && bytes.Compare(k, end) <= 0; k, _ = c.Next() {
			ids = append(ids, btou64(k[len(k)-8:]))
		}
	}
	return ids
}

// warnDueSoon warns about ticket id when its first response (not a referral's reminder) is
// what falls due before until, once.
func (tx *Tx) warnDueSoon(id uint64, until time.Time) (bool, error) {
	t, err := tx.findTicket(id)
	if err != nil {
		return false, err
	}
	if !t.FirstResponseAt.IsZero() || (t.Status != ticket.StatusNew && t.Status != ticket.StatusOpen) {
		return false, nil
	}
	due := ticket.AddBusinessHours(t.CreatedAt, ticket.FirstResponseHours*time.Hour).UTC()
	if !due.After(tx.now) || due.After(until) {
		return false, nil
	}
	b := tx.Bucket(bucketNotifyDue)
	if b.Get(u64(id)) != nil {
		return false, nil
	}
	if err := b.Put(u64(id), timeKey(due)); err != nil {
		return false, fmt.Errorf("note warning of ticket %d: %w", id, err)
	}
	detail := "første svar forfaller " + due.In(ticket.Oslo).Format("02.01.2006 kl. 15:04")
	return true, tx.addEvent(id, ticket.EventFirstResponseDue, "system", "", t.Agency, detail)
}

// forgetPassedWarnings drops the notes of deadlines that have passed: they cannot come round
// again, so the bucket holds only the few deadlines of the coming hour.
func (tx *Tx) forgetPassedWarnings() error {
	b := tx.Bucket(bucketNotifyDue)
	var old [][]byte
	now := timeKey(tx.now)
	err := b.ForEach(func(k, v []byte) error {
		if bytes.Compare(v, now) <= 0 {
			old = append(old, copyBytes(k))
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range old {
		if err := b.Delete(k); err != nil {
			return fmt.Errorf("forget warning of ticket %d: %w", btou64(k), err)
		}
	}
	return nil
}
