package data_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/ticket"
)

// BenchmarkFindQuarantine is the quarantine page with 10,000 held mails (a month of newsletters
// and out-of-office replies nobody cleared): one page and the count.
func BenchmarkFindQuarantine(b *testing.B) {
	db, _ := mustOpenDB(b)
	intake := data.NewIntakeService(db)
	ctx := context.Background()
	var items []ticket.IngestItem
	for i := range 10_000 {
		m := mail(fmt.Sprintf("robot%d@x.no", i%50), "Autosvar", fmt.Sprintf("<q%d@x>", i))
		m.Message.Auto, m.AutoReason = ticket.AutoReply, "Auto-Submitted: auto-replied"
		items = append(items, ticket.IngestItem{Mail: m})
		if len(items) == 1000 {
			if _, err := intake.IngestBatch(ctx, items); err != nil {
				b.Fatal(err)
			}
			items = nil
		}
	}
	for _, f := range []ticket.QuarantineFilter{{}, {Reason: ticket.QuarantineAuto}, {Reason: ticket.QuarantineBounce}} {
		b.Run("reason="+string(f.Reason), func(b *testing.B) {
			for b.Loop() {
				if _, _, err := intake.FindQuarantine(ctx, f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
