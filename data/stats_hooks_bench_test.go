package data

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

// BenchmarkStatsHooks measures what the statistics add to a write, inside one transaction and
// without the commit: a ticket write (putTicket's hook) and a status event (the replay of a
// history of 12 events).
func BenchmarkStatsHooks(b *testing.B) {
	db := NewDB(filepath.Join(b.TempDir(), "d.db"))
	if err := db.Open(); err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	at := time.Date(2026, 11, 16, 9, 0, 0, 0, ticket.Oslo)
	t := &ticket.Ticket{Subject: "x", Status: ticket.StatusResolved, Agency: "nav", Priority: ticket.PriorityNormal, Channel: ticket.ChannelEmail,
		CreatedAt: at, UpdatedAt: at.Add(time.Hour), FirstResponseAt: at.Add(30 * time.Minute), ResolvedAt: at.Add(time.Hour),
		Requester: ticket.Requester{Email: "a@b.no", Municipality: ticket.Municipality{Number: "3405", Name: "Lillehammer"}, County: ticket.County{Number: "34", Name: "Innlandet"}}}
	var events []*ticket.Event
	for i := range 12 {
		from, to := "åpen", "løst"
		if i%2 == 1 {
			from, to = "løst", "åpen"
		}
		events = append(events, &ticket.Event{Kind: ticket.EventStatus, From: from, To: to, At: at.Add(time.Duration(i) * time.Minute)})
	}
	err := db.BulkLoad(ctx, []BulkTicket{{Ticket: t, Messages: []*ticket.Message{{Direction: ticket.DirectionIn, Text: "x", CreatedAt: at}}, Events: events}})
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name string
		fn   func(tx *Tx) error
	}{
		{"ticket-write", func(tx *Tx) error { return tx.statsTicketChanged(t) }},
		{"status-event", func(tx *Tx) error { return tx.statsEvent(t.ID, ticket.EventStatus, "løst", "åpen") }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			err := db.update(ctx, func(tx *Tx) error {
				for b.Loop() {
					if err := bc.fn(tx); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
		})
	}
}
