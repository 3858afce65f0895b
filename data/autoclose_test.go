package data_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/data/datagen"
	"github.com/ks-no/digihjelpen/ticket"
)

// TestAutoCloseGeneratedStore: on a generated year of tickets, with the clock moved a month
// past its end, every ticket resolved more than 14 days ago is closed as the system's change,
// and nothing else; a second run finds nothing; the indexes and statistics still agree.
func TestAutoCloseGeneratedStore(t *testing.T) {
	ctx := context.Background()
	to := time.Date(2026, 11, 1, 0, 0, 0, 0, ticket.Oslo)
	clock := &testClock{now: to}
	db := data.NewDB(filepath.Join(t.TempDir(), "gen.db"))
	db.Now = clock.Now
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := datagen.Generate(ctx, db, datagen.Options{N: 3000, From: to.AddDate(-1, 0, 0), To: to, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	s := data.NewTicketService(db)
	before := ticketsByID(t, s)
	clock.Add(31 * 24 * time.Hour)
	cutoff := clock.Now().Add(-ticket.DefaultCloseResolvedAfter)
	want := map[uint64]bool{}
	for _, tk := range before {
		if tk.Status == ticket.StatusResolved && tk.ResolvedAt.Before(cutoff) {
			want[tk.ID] = true
		}
	}
	if len(want) == 0 {
		t.Fatal("the generated store has no resolved ticket to close")
	}
	reason := ticket.AutoCloseReason(ticket.DefaultCloseResolvedAfter)
	n, err := s.CloseResolvedBefore(ctx, cutoff, reason)
	if err != nil || n != len(want) {
		t.Fatalf("closed %d (%v), want %d", n, err, len(want))
	}
	for _, tk := range ticketsByID(t, s) {
		was := before[tk.ID]
		switch {
		case want[tk.ID] && tk.Status != ticket.StatusClosed:
			t.Fatalf("%s: %s, want lukket", tk.Ref, tk.Status)
		case !want[tk.ID] && tk.Status != was.Status:
			t.Fatalf("%s moved from %s to %s, resolved at %v", tk.Ref, was.Status, tk.Status, was.ResolvedAt)
		case want[tk.ID] && !tk.ResolvedAt.Equal(was.ResolvedAt):
			t.Fatalf("%s: resolution time moved from %v to %v", tk.Ref, was.ResolvedAt, tk.ResolvedAt)
		}
	}
	var one uint64
	for id := range want {
		one = id
		break
	}
	events, err := data.NewEventService(db).FindEvents(ctx, one)
	if err != nil {
		t.Fatal(err)
	}
	last := events[len(events)-1]
	if last.Kind != ticket.EventStatus || last.Actor != "system" || last.From != "løst" || last.To != "lukket" || last.Detail != reason {
		t.Errorf("last event %+v, want the system closing it with %q", last, reason)
	}
	if n, err := s.CloseResolvedBefore(ctx, cutoff, reason); err != nil || n != 0 {
		t.Errorf("second run closed %d (%v), want 0", n, err)
	}
	mustVerify(t, db)
}

func ticketsByID(t *testing.T, s *data.TicketService) map[uint64]*ticket.Ticket {
	t.Helper()
	out := map[uint64]*ticket.Ticket{}
	f := ticket.TicketFilter{Limit: ticket.MaxLimit, Sort: ticket.SortCreatedAsc}
	for {
		list, _, err := s.FindTickets(context.Background(), f)
		if err != nil {
			t.Fatal(err)
		}
		for _, tk := range list {
			out[tk.ID] = tk
		}
		if len(list) < f.Limit {
			return out
		}
		f.Cursor = list[len(list)-1].Cursor(f.Sort)
	}
}

// TestAutoCloseThenMail: a resolved ticket the requester does not answer is closed after the
// time; changed meanwhile (a note), it is still closed by its resolution time; the requester's
// mail after that opens a new ticket linked to it, as for any closed ticket.
func TestAutoCloseThenMail(t *testing.T) {
	e := newIntakeEnv(t)
	ctx := context.Background()
	tk := e.ticket(e.ingest(mail("kari@hamar.kommune.no", "Kurs", "<a@h>")).TicketID)
	if _, err := e.tickets.UpdateTicket(ctx, tk.ID, ticket.TicketUpdate{Status: ptr(ticket.StatusResolved)}); err != nil {
		t.Fatal(err)
	}
	recent := e.ticket(e.ingest(mail("per@hamar.kommune.no", "Nettbrett", "<n@h>")).TicketID)
	e.clock.Add(10 * 24 * time.Hour)
	note := &ticket.Message{Direction: ticket.DirectionNote, Author: "agent@ks.no", Text: "Ringte henne."}
	if _, err := e.tickets.AppendMessage(ctx, tk.ID, note, ticket.AppendOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.tickets.UpdateTicket(ctx, recent.ID, ticket.TicketUpdate{Status: ptr(ticket.StatusResolved)}); err != nil {
		t.Fatal(err)
	}
	e.clock.Add(5 * 24 * time.Hour)
	n, err := e.tickets.CloseResolvedBefore(ctx, e.clock.Now().Add(-14*24*time.Hour), "automatisk")
	if err != nil || n != 1 {
		t.Fatalf("closed %d (%v), want 1", n, err)
	}
	if got := e.ticket(tk.ID); got.Status != ticket.StatusClosed {
		t.Errorf("resolved 15 days ago: %s, want lukket", got.Status)
	}
	if got := e.ticket(recent.ID); got.Status != ticket.StatusResolved {
		t.Errorf("resolved 5 days ago: %s, want løst", got.Status)
	}
	res := e.ingest(reply(mail("kari@hamar.kommune.no", "SV: Kurs", "<b@h>"), "<a@h>"))
	if res.Outcome != ticket.IntakeCreated || e.ticket(res.TicketID).LinkedTo != tk.ID {
		t.Errorf("mail after the close: %+v, want a new ticket linked to %d", res, tk.ID)
	}
	mustVerify(t, e.db)
}
