package data_test

import (
	"context"
	"testing"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/ticket"
)

// TestTicketCacheNeverStale reads tickets through the cache of decoded records: what a caller
// changes on a ticket it read is not what the next reader gets, and every write and deletion
// is seen at once.
func TestTicketCacheNeverStale(t *testing.T) {
	db, _ := mustOpenDB(t)
	s := data.NewTicketService(db)
	ctx := context.Background()
	created := mustCreate(t, s, "Skattekort", "kari@hamar.kommune.no", ticket.AgencyKS)
	read := func() *ticket.Ticket {
		t.Helper()
		got, err := s.FindTicketByID(ctx, created.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	first := read()
	first.Subject, first.Tags = "endret av en leser", append(first.Tags, "lekk")
	second := read()
	if second.Subject != "Skattekort" || len(second.Tags) != 0 {
		t.Fatalf("a reader's change reached the next reader: %q %v", second.Subject, second.Tags)
	}
	second.Tags = append(second.Tags, "x")
	if _, err := s.UpdateTicket(ctx, created.ID, ticket.TicketUpdate{Status: ptr(ticket.StatusOpen), Tags: ptr([]string{"skatt"})}); err != nil {
		t.Fatal(err)
	}
	if got := read(); got.Status != ticket.StatusOpen || len(got.Tags) != 1 || got.Tags[0] != "skatt" {
		t.Fatalf("after the update: status %s, tags %v", got.Status, got.Tags)
	}
	list, _, err := s.FindTickets(ctx, ticket.TicketFilter{Limit: 10})
	if err != nil || len(list) != 1 || list[0].Status != ticket.StatusOpen {
		t.Fatalf("the list after the update: %v, %v", list, err)
	}
	if err := s.DeleteTicket(ctx, created.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.FindTicketByID(ctx, created.ID); ticket.ErrorCode(err) != ticket.ENOTFOUND {
		t.Fatalf("after deletion: %v", err)
	}
}
