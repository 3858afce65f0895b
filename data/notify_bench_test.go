package data_test

import (
	"context"
	"testing"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/ticket"
)

// BenchmarkDrainNotifications plans a burst of 1,000 assignments (a bulk change of a thousand
// tickets, or an import): one transaction reads the queued events with their tickets, plans,
// queues one mail per recipient and empties the queue.
func BenchmarkDrainNotifications(b *testing.B) {
	db, _ := mustOpenDB(b)
	s, n := data.NewTicketService(db), data.NewNotifyService(db)
	users := data.NewUserService(db)
	for _, email := range []string{"kari@ks.no", "ola@ks.no"} {
		if err := users.CreateUser(context.Background(), &ticket.User{Email: email, Name: email, Role: ticket.RoleAgent, PasswordHash: "x"}); err != nil {
			b.Fatal(err)
		}
	}
	var items []ticket.BulkItem
	for range 1000 {
		tk := mustCreate(b, s, "Spørsmål", "per@x.no", "ks")
		items = append(items, ticket.BulkItem{TicketID: tk.ID})
	}
	planner := (&notifyEnv{}).plannerForBench()
	ctx := ticket.NewContextWithActor(context.Background(), ticket.Actor{Name: "leder@ks.no"})
	if _, err := n.DrainNotifications(context.Background(), planner.Plan); err != nil { // the tickets' creation
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		to := []string{"kari@ks.no", "ola@ks.no"}[i%2]
		for j := range items {
			got, _ := s.FindTicketByID(ctx, items[j].TicketID)
			items[j].Version = got.Version
		}
		if res, err := s.UpdateTickets(ctx, items, ticket.BulkChange{Update: ticket.TicketUpdate{Assignee: &to}}); err != nil || len(res.Changed) != len(items) {
			b.Fatalf("%d changed, %v", len(res.Changed), err)
		}
		b.StartTimer()
		got, err := n.DrainNotifications(context.Background(), planner.Plan)
		if err != nil || got != len(items) {
			b.Fatalf("drained %d, %v", got, err)
		}
	}
}
