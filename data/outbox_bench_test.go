package data_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/ticket"
)

// BenchmarkOutboxCycle is the storage side of sending one mail: find it due, mark it sent (one
// commit with fsync).
func BenchmarkOutboxCycle(b *testing.B) {
	db, _ := mustOpenDB(b)
	o := data.NewOutboxService(db)
	ctx := context.Background()
	for i := range b.N {
		m := &ticket.OutboundMail{Kind: ticket.MailReport, To: []string{"leder@ks.no"}, Subject: "Rapport", Text: "Tekst",
			MessageID: fmt.Sprintf("<b%d@ks.no>", i)}
		if err := db.EnqueueMail(ctx, m); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for range b.N {
		due, err := o.FindDueMail(ctx, 1)
		if err != nil || len(due) != 1 {
			b.Fatal(err)
		}
		if err := o.MarkMailSent(ctx, due[0].ID); err != nil {
			b.Fatal(err)
		}
	}
}
