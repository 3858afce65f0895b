package data

import (
	"context"
	"encoding/hex"
	"fmt"

	"github.com/ks-no/digihjelpen/ticket"
)

// EnqueueReportMail queues the weekly report mail m for week ("2026-W47") unless the mail for
// that week was queued before, and marks it, in one transaction: across restarts, and with
// two servers racing, a week's mail is queued once. It reports whether it queued m.
func (db *DB) EnqueueReportMail(ctx context.Context, week string, m *ticket.OutboundMail) (bool, error) {
	queued := false
	err := db.update(ctx, func(tx *Tx) error {
		marks := tx.Bucket(bucketStatsMail)
		if marks.Get([]byte(week)) != nil {
			return nil
		}
		if err := tx.enqueueMails(nil, []*ticket.OutboundMail{m}); err != nil {
			return err
		}
		queued = true
		return marks.Put([]byte(week), key(u64(m.ID), timeKey(tx.now)))
	})
	return queued, err
}

// ReportMail returns the weekly report mail queued for week, with its attachments' bytes, or
// ENOTFOUND when none was.
func (db *DB) ReportMail(ctx context.Context, week string) (*ticket.OutboundMail, error) {
	var m *ticket.OutboundMail
	err := db.view(ctx, func(tx *Tx) error {
		mark := tx.Bucket(bucketStatsMail).Get([]byte(week))
		if len(mark) < 8 {
			return notFound("ukerapporten for " + week)
		}
		v := tx.Bucket(bucketOutbox).Get(mark[:8])
		if v == nil {
			return notFound("ukerapporten for " + week)
		}
		var r outboxRecord
		if err := decode(v, &r); err != nil {
			return fmt.Errorf("outbox mail %d: %w", btou64(mark[:8]), err)
		}
		m = r.mail()
		for i := range m.Attachments {
			sum, err := hex.DecodeString(m.Attachments[i].SHA256)
			if err != nil {
				return fmt.Errorf("attachment hash %q: %w", m.Attachments[i].SHA256, err)
			}
			if m.Attachments[i].Data, err = tx.blob(sum); err != nil {
				return fmt.Errorf("attachment %s: %w", m.Attachments[i].SHA256, err)
			}
		}
		return nil
	})
	return m, err
}
