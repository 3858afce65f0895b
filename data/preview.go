package data

import (
	"context"

	"github.com/ks-no/digihjelpen/ticket"
	"github.com/ks-no/digihjelpen/ticket/quote"
)

// FillPreviews gives tickets stored without a preview the preview of their latest message, read
// from the thread backwards; tickets that have one are left as they are, so a page of new
// tickets reads nothing. Schema 15 stores the preview on every older ticket when the file is
// opened read-write (preview_migrate.go); what is left without one is a file opened read-only
// while that migration was cut short, and tickets none of whose messages has a preview (system
// messages only). Nothing is written.
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
			if err := tx.fillThreadEnd(t); err != nil {
				return err
			}
		}
		return nil
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
