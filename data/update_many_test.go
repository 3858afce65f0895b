package data_test

import (
	"context"
	"testing"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/ticket"
)

// TestUpdateTicketsLeavesOutWhatChanged: of three tickets chosen, one is changed by someone
// else before the bulk change and one cannot take the status; the third changes, with one
// history entry, and the other two are named with why.
func TestUpdateTicketsLeavesOutWhatChanged(t *testing.T) {
	db, _ := mustOpenDB(t)
	s := data.NewTicketService(db)
	ctx := as("ola@ks.no")
	a := mustCreate(t, s, "A", "a@x.no", "ks")
	b := mustCreate(t, s, "B", "b@x.no", "ks")
	c := mustCreate(t, s, "C", "c@x.no", "ks")
	if _, err := s.UpdateTicket(ctx, c.ID, ticket.TicketUpdate{Status: ptr(ticket.StatusClosed)}); err != nil {
		t.Fatal(err)
	}
	c, _ = s.FindTicketByID(ctx, c.ID)
	items := []ticket.BulkItem{{TicketID: a.ID, Version: a.Version}, {TicketID: b.ID, Version: b.Version}, {TicketID: c.ID, Version: c.Version}}
	// meanwhile Kari takes B
	if _, err := s.UpdateTicket(as("kari@ks.no"), b.ID, ticket.TicketUpdate{Assignee: ptr("kari@ks.no")}); err != nil {
		t.Fatal(err)
	}
	res, err := s.UpdateTickets(ctx, items, ticket.BulkChange{Update: ticket.TicketUpdate{Status: ptr(ticket.StatusWaiting)}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Changed) != 1 || res.Changed[0].ID != a.ID || res.Changed[0].Status != ticket.StatusWaiting {
		t.Fatalf("changed %v, want only A", res.Changed)
	}
	if len(res.Refused) != 2 {
		t.Fatalf("refused %d, want B (changed) and C (closed)", len(res.Refused))
	}
	for _, r := range res.Refused {
		switch r.Ticket.ID {
		case b.ID:
			if !r.Changed || r.Ticket.Ref != b.Ref {
				t.Errorf("B: %+v, want named as changed meanwhile", r)
			}
		case c.ID:
			if r.Changed || r.Reason == "" {
				t.Errorf("C: %+v, want a reason", r)
			}
		}
	}
	if got, _ := s.FindTicketByID(ctx, b.ID); got.Status != ticket.StatusNew {
		t.Errorf("B was changed: %s", got.Status)
	}
	events, _ := data.NewEventService(db).FindEvents(ctx, a.ID)
	n := 0
	for _, e := range events {
		if e.Kind == ticket.EventStatus && e.Actor == "ola@ks.no" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("A has %d status events from the bulk change, want 1", n)
	}
	mustVerify(t, db)
}

func TestUpdateTicketsAddsTags(t *testing.T) {
	db, _ := mustOpenDB(t)
	s := data.NewTicketService(db)
	a := mustCreate(t, s, "A", "a@x.no", "ks")
	if _, err := s.UpdateTicket(context.Background(), a.ID, ticket.TicketUpdate{Tags: &[]string{"bankid"}}); err != nil {
		t.Fatal(err)
	}
	a, _ = s.FindTicketByID(context.Background(), a.ID)
	b := mustCreate(t, s, "B", "b@x.no", "ks")
	res, err := s.UpdateTickets(context.Background(), []ticket.BulkItem{{TicketID: a.ID, Version: a.Version}, {TicketID: b.ID, Version: b.Version}},
		ticket.BulkChange{AddTags: []string{"kurs", "bankid"}})
	if err != nil || len(res.Changed) != 2 {
		t.Fatalf("%d changed, %v", len(res.Changed), err)
	}
	got, _ := s.FindTicketByID(context.Background(), a.ID)
	if len(got.Tags) != 2 || got.Tags[0] != "bankid" || got.Tags[1] != "kurs" {
		t.Errorf("A's tags %v, want bankid, kurs", got.Tags)
	}
	mustVerify(t, db)
}
