package data_test

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/ticket"
)

// auditLog is a store with a ticket and a year of sign-ins and openings by two agents.
func auditLog(t *testing.T) (*data.DB, *testClock, *data.AuditService, *ticket.Ticket) {
	db, clock := mustOpenDB(t)
	s, events := data.NewTicketService(db), data.NewEventService(db)
	tk := mustCreate(t, s, "Kurs", "kari@hamar.kommune.no", "ks")
	for i := 0; i < 30; i++ {
		clock.Add(12 * 24 * time.Hour)
		who := []string{"ola@ks.no", "siri@ks.no"}[i%2]
		if err := events.AddEvent(as(who), 0, ticket.EventLogin, "passord"); err != nil {
			t.Fatal(err)
		}
		if err := events.AddEvent(as(who), tk.ID, ticket.EventOpened, "saksside"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.UpdateTicket(as("ola@ks.no"), tk.ID, ticket.TicketUpdate{Status: ptr(ticket.StatusClosed)}); err != nil {
		t.Fatal(err)
	}
	mustVerify(t, db)
	return db, clock, data.NewAuditService(db), tk
}

func TestAuditLogFilters(t *testing.T) {
	db, clock, audit, tk := auditLog(t)
	ctx := context.Background()
	mid := clock.Now().Add(-180*24*time.Hour + time.Hour) // openings and sign-ins every 12 days, up to now
	tests := []struct {
		name string
		f    ticket.AuditFilter
		want int
	}{
		{"all", ticket.AuditFilter{}, 30 + 30 + 2}, // sign-ins, openings, created and closed
		{"sign-ins", ticket.AuditFilter{Kind: ticket.EventLogin}, 30},
		{"one agent's openings", ticket.AuditFilter{Kind: ticket.EventOpened, Person: "SIRI@"}, 15},
		{"the ticket", ticket.AuditFilter{TicketID: tk.ID}, 30 + 2},
		{"the ticket's openings since mid-year", ticket.AuditFilter{TicketID: tk.ID, Kind: ticket.EventOpened, From: mid}, 15},
		{"a period", ticket.AuditFilter{From: mid, To: clock.Now().Add(-90 * 24 * time.Hour)}, 14},
		{"the requester", ticket.AuditFilter{Person: "kari@hamar"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var all []*ticket.Event
			f := tt.f
			f.Limit = 7
			for pages := 0; ; pages++ {
				page, err := audit.FindAuditEvents(ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				all = append(all, page.Events...)
				if page.Next == "" {
					break
				}
				if pages > 20 {
					t.Fatal("no end to the pages")
				}
				f.Cursor = page.Next
			}
			if len(all) != tt.want {
				t.Fatalf("got %d events, want %d", len(all), tt.want)
			}
			seen := map[uint64]bool{}
			for i, e := range all {
				if seen[e.ID] {
					t.Fatalf("event %d twice", e.ID)
				}
				seen[e.ID] = true
				if i > 0 && e.At.After(all[i-1].At) {
					t.Fatalf("not newest first at %d", i)
				}
			}
			var each int
			if err := audit.EachAuditEvent(ctx, tt.f, func(*ticket.Event) error { each++; return nil }); err != nil || each != len(all) {
				t.Fatalf("EachAuditEvent gave %d, %v; pages gave %d", each, err, len(all))
			}
		})
	}
	if db == nil {
		t.Fatal("no database")
	}
}

func TestAuditPruneKeepsTicketHistory(t *testing.T) {
	db, clock, audit, tk := auditLog(t)
	ctx := context.Background()
	report := func() []byte {
		r, err := data.NewStatsService(db).WeeklyReport(ctx, ticket.WeekOf(clock.Now()))
		if err != nil {
			t.Fatal(err)
		}
		buf, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		return buf
	}
	clock.Add(24 * time.Hour)
	before := report()
	cutoff := clock.Now().Add(-200 * 24 * time.Hour)
	n, err := audit.PruneAudit(ctx, cutoff)
	if err != nil {
		t.Fatal(err)
	}
	mustVerify(t, db)
	var left []*ticket.Event
	if err := audit.EachAuditEvent(ctx, ticket.AuditFilter{}, func(e *ticket.Event) error { left = append(left, e); return nil }); err != nil {
		t.Fatal(err)
	}
	for _, e := range left {
		if e.Prunable() && e.At.Before(cutoff) {
			t.Errorf("kept an old %s event from %s", e.Kind, e.At)
		}
	}
	history, _ := data.NewEventService(db).FindEvents(ctx, tk.ID)
	kinds := map[ticket.EventKind]int{}
	for _, e := range history {
		kinds[e.Kind]++
	}
	if kinds[ticket.EventCreated] != 1 || kinds[ticket.EventStatus] != 1 || n == 0 || n != 60-kinds[ticket.EventOpened]-countLogins(left) {
		t.Errorf("pruned %d; the ticket keeps %v", n, kinds)
	}
	if again, err := audit.PruneAudit(ctx, cutoff); err != nil || again != 0 {
		t.Errorf("second prune: %d %v", again, err)
	}
	if !bytes.Equal(report(), before) {
		t.Errorf("the statistics changed:\n%s\n%s", before, report())
	}
}

func countLogins(list []*ticket.Event) int {
	n := 0
	for _, e := range list {
		if e.Kind == ticket.EventLogin {
			n++
		}
	}
	return n
}
