package data_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/data/datagen"
	"github.com/ks-no/digihjelpen/ticket"
)

// BenchmarkIndexSearch measures the full-text indexing cost per ticket: "backlog" indexes
// generated tickets 2,000 per transaction (an upgrade or an import), "live" indexes one new
// ticket per transaction on a database that already holds 20,000 (the steady state: the
// indexer wakes every second and finds one or two).
func BenchmarkIndexSearch(b *testing.B) {
	ctx := context.Background()
	to := time.Date(2026, 11, 23, 0, 0, 0, 0, ticket.Oslo)
	b.Run("backlog", func(b *testing.B) {
		db, _ := mustOpenDB(b)
		if err := datagen.Generate(ctx, db, datagen.Options{N: b.N, From: to.AddDate(-1, 0, 0), To: to, Seed: 2}); err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		for {
			n, err := db.IndexSearch(ctx, 2000)
			if err != nil {
				b.Fatal(err)
			}
			if n < 2000 {
				break
			}
		}
	})
	b.Run("live", func(b *testing.B) {
		db, _ := mustOpenDB(b)
		if err := datagen.Generate(ctx, db, datagen.Options{N: 20000, From: to.AddDate(-1, 0, 0), To: to, Seed: 2}); err != nil {
			b.Fatal(err)
		}
		mustIndex(b, db)
		s := data.NewTicketService(db)
		b.ResetTimer()
		for i := range b.N {
			b.StopTimer()
			tk, m := newTicket(fmt.Sprintf("Skattekortet til ny arbeidstaker %d", i), "kari@hamar.kommune.no", "skatteetaten")
			m.Text = "Hei! En innbygger har fått jobb og trenger skattekort, men har ikke BankID. Hvordan bestiller hun det?"
			if err := s.CreateTicket(ctx, tk, m, ticket.CreateOptions{}); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			if _, err := db.IndexSearch(ctx, 2000); err != nil {
				b.Fatal(err)
			}
		}
	})
}
