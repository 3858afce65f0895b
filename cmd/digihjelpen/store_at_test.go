package main

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/ticket"
)

// storeAt opens a store in a temporary folder whose clock reads *now (set db.Now to move on),
// with file, which files Kari's question from the web form and moves it to a status.
func storeAt(t *testing.T, now *time.Time) (*data.DB, *data.TicketService, func(ticket.Status) *ticket.Ticket) {
	t.Helper()
	db := data.NewDB(filepath.Join(t.TempDir(), "jobs.db"))
	db.Now = func() time.Time { return *now }
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	tickets := data.NewTicketService(db)
	file := func(status ticket.Status) *ticket.Ticket {
		t.Helper()
		tk := &ticket.Ticket{Subject: "Sak", Status: ticket.StatusNew, Agency: "ks", Priority: ticket.PriorityNormal, Channel: ticket.ChannelWeb,
			Requester: ticket.Requester{Name: "Kari", Email: "kari@lillehammer.kommune.no"}}
		m := &ticket.Message{Direction: ticket.DirectionIn, From: tk.Requester.Email, Text: "Hei"}
		if err := tickets.CreateTicket(context.Background(), tk, m, ticket.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
		if _, err := tickets.UpdateTicket(context.Background(), tk.ID, ticket.TicketUpdate{Status: &status}); err != nil {
			t.Fatal(err)
		}
		return tk
	}
	return db, tickets, file
}
