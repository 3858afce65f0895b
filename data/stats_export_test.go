package data_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/data/datagen"
	"github.com/ks-no/digihjelpen/ticket"
)

// TestExportTickets checks the batched walk: every ticket of the period exactly once, in
// creation order, across batch boundaries, and nothing outside the period.
func TestExportTickets(t *testing.T) {
	ctx := context.Background()
	db, _ := mustOpenDB(t)
	to := time.Date(2026, 11, 23, 0, 0, 0, 0, ticket.Oslo)
	if err := datagen.Generate(ctx, db, datagen.Options{N: 1300, From: to.AddDate(0, -2, 0), To: to, Seed: 9}); err != nil {
		t.Fatal(err)
	}
	stats := data.NewStatsService(db)
	tests := []struct {
		name     string
		from, to time.Time
	}{
		{"all", to.AddDate(0, -3, 0), to},
		{"a week", ticket.WeekOf(to).Prev().Start(), ticket.WeekOf(to).Prev().End()},
		{"nothing", to, to.AddDate(0, 0, 1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, want, err := data.NewTicketService(db).FindTickets(ctx, ticket.TicketFilter{CreatedFrom: &tt.from, CreatedTo: &tt.to, Limit: 1})
			if err != nil {
				t.Fatal(err)
			}
			seen := map[uint64]bool{}
			var last time.Time
			err = stats.ExportTickets(ctx, ticket.ExportFilter{From: tt.from, To: tt.to}, func(tk *ticket.Ticket) error {
				if seen[tk.ID] || tk.CreatedAt.Before(last) || tk.CreatedAt.Before(tt.from) || !tk.CreatedAt.Before(tt.to) {
					t.Fatalf("ticket %s out of order, twice or outside the period", tk.Ref)
				}
				seen[tk.ID], last = true, tk.CreatedAt
				return nil
			})
			if err != nil || len(seen) != want {
				t.Fatalf("got %d tickets, %v; want %d", len(seen), err, want)
			}
		})
	}
	stop := errors.New("stop")
	n := 0
	err := stats.ExportTickets(ctx, ticket.ExportFilter{From: to.AddDate(-1, 0, 0), To: to}, func(*ticket.Ticket) error {
		if n++; n == 300 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || n != 300 {
		t.Errorf("an error from fn: got %v after %d tickets", err, n)
	}
}
