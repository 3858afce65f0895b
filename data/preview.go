package data

import (
	"context"
	"fmt"

	"github.com/ks-no/digihjelpen/ticket"
	"github.com/ks-no/digihjelpen/ticket/quote"
)

// FillPreviews gives tickets stored before previews were kept (schema 10 and older) the preview
// of their latest message, read from the thread backwards; tickets that have one are left as
// they are, so a page of new tickets reads nothing. Nothing is written: the next message
// stores the preview on the record.
func (s *TicketService) FillPreviews(ctx context.Context, list []*ticket.Ticket) error {
	var missing []*ticket.Ticket
	for _, t := range list {
		if t.Latest.Empty() && t.MessageCount > 0 {
			missing = append(missing, t)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	return s.db.view(ctx, func(tx *Tx) error {
		for _, t := range missing {
			if err := tx.fillPreview(t); err != nil {
				return err
			}
		}
		return nil
	})
}

// fillPreview walks t's thread from the end to the latest message that has a preview.
func (tx *Tx) fillPreview(t *ticket.Ticket) error {
	return walkBack(tx.Bucket(bucketMessages).Cursor(), u64(t.ID), nil, func(k, v []byte) (bool, error) {
		var r messageRecord
		if err := decode(v, &r); err != nil {
			return false, fmt.Errorf("message %x: %w", k, err)
		}
		p, ok := previewOf(r.message())
		if ok {
			t.Latest = p
		}
		return !ok, nil
	})
}

// previewOf is the preview of m; a text without intake's mark of where quoted history begins
// (the form, a note, older mail) is marked by the same rule first, as the ticket page does.
func previewOf(m *ticket.Message) (ticket.MessagePreview, bool) {
	if m.QuoteStart == 0 && m.Direction == ticket.DirectionIn {
		cp := *m
		cp.Text, cp.QuoteStart = quote.Split(m.Text)
		m = &cp
	}
	return ticket.PreviewOf(m)
}
