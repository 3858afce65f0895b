package data

import (
	"context"
	"fmt"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

// keyRetentionSetting, in meta, is the retention period an admin set (retentionSettingRecord).
var keyRetentionSetting = []byte("setting/retention")

type retentionSettingRecord struct {
	After int64     `json:"after"` // nanoseconds; 0: off
	By    string    `json:"by"`
	At    time.Time `json:"at"`
}

// retentionPreviewMax bounds the count of a preview: past it the page says «more than».
const retentionPreviewMax = 1_000_000

// RetentionSetting returns the setting an admin stored, or the configured Default.
func (s *RetentionService) RetentionSetting(ctx context.Context) (ticket.RetentionSetting, error) {
	var set ticket.RetentionSetting
	err := s.db.view(ctx, func(tx *Tx) (err error) {
		set, err = tx.retentionSetting(s.Default)
		return err
	})
	return set, err
}

func (tx *Tx) retentionSetting(def time.Duration) (ticket.RetentionSetting, error) {
	v := tx.Bucket(bucketMeta).Get(keyRetentionSetting)
	if v == nil {
		return ticket.RetentionSetting{After: def}, nil
	}
	var r retentionSettingRecord
	if err := decode(v, &r); err != nil {
		return ticket.RetentionSetting{}, fmt.Errorf("retention setting: %w", err)
	}
	return ticket.RetentionSetting{After: time.Duration(r.After), Stored: true, SetBy: r.By, SetAt: r.At}, nil
}

// SetRetention stores the setting and writes who changed it from what to what in the audit
// trail, in one transaction.
func (s *RetentionService) SetRetention(ctx context.Context, after time.Duration) (ticket.RetentionSetting, error) {
	if err := ticket.ValidateRetention(after); err != nil {
		return ticket.RetentionSetting{}, err
	}
	actor := ticket.ActorFromContext(ctx).Name
	var set ticket.RetentionSetting
	err := s.db.update(ctx, func(tx *Tx) error {
		old, err := tx.retentionSetting(s.Default)
		if err != nil {
			return err
		}
		buf, err := encode(retentionSettingRecord{After: int64(after), By: actor, At: tx.now})
		if err != nil {
			return err
		}
		if err := tx.Bucket(bucketMeta).Put(keyRetentionSetting, buf); err != nil {
			return fmt.Errorf("put retention setting: %w", err)
		}
		set = ticket.RetentionSetting{After: after, Stored: true, SetBy: actor, SetAt: tx.now}
		return tx.addEvent(0, ticket.EventSettings, actor, retentionText(old.After), retentionText(after), "oppbevaringstid for lukkede saker")
	})
	return set, err
}

// retentionText says a period as the audit trail shows it.
func retentionText(after time.Duration) string {
	if after <= 0 {
		return "av"
	}
	return fmt.Sprintf("%d dager", after/(24*time.Hour))
}

// PreviewRetention counts the closed tickets a run with cutoff would take, reading only the
// index, and reads the first limit of them.
func (s *RetentionService) PreviewRetention(ctx context.Context, cutoff time.Time, limit int) (ticket.RetentionPreview, error) {
	p := ticket.RetentionPreview{Cutoff: cutoff.UTC()}
	err := s.db.view(ctx, func(tx *Tx) (err error) {
		tx.eachRetentionCandidate(cutoff, func(k []byte) bool {
			if p.Count++; len(p.Tickets) < limit {
				var t *ticket.Ticket
				if t, err = tx.findTicket(btou64(k[len(k)-8:])); err != nil {
					return false
				}
				p.Tickets = append(p.Tickets, t)
			}
			return p.Count < retentionPreviewMax
		})
		return err
	})
	return p, err
}
