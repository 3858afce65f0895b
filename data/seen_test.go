package data_test

import (
	"context"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/ticket"
)

// TestMarkers: a ticket that came after markers began is new to a user until they open it; a
// requester's reply after that marks it again; the user's own opening clears it; a note does
// not mark it. The ticket keeps the preview of its latest message.
func TestMarkers(t *testing.T) {
	db, clock := mustOpenDB(t)
	s, seen := data.NewTicketService(db), data.NewSeenService(db)
	ctx := context.Background()
	clock.Add(time.Minute)
	tk := mustCreate(t, s, "Kurs", "per@x.no", "ks")
	marker := func() ticket.Marker {
		t.Helper()
		got, _ := s.FindTicketByID(ctx, tk.ID)
		sn, err := seen.FindSeen(ctx, 7, []uint64{tk.ID})
		if err != nil {
			t.Fatal(err)
		}
		return got.MarkerFor(sn.At[tk.ID], sn.Since)
	}
	if m := marker(); m != ticket.MarkerNew {
		t.Fatalf("a new ticket: marker %q, want new", m)
	}
	clock.Add(time.Minute)
	if err := seen.MarkSeen(ctx, 7, tk); err != nil {
		t.Fatal(err)
	}
	if m := marker(); m != ticket.MarkerNone {
		t.Fatalf("opened: marker %q", m)
	}
	clock.Add(time.Minute)
	note := &ticket.Message{Direction: ticket.DirectionNote, Author: "ola@ks.no", Text: "Intern merknad her."}
	if _, err := s.AppendMessage(ctx, tk.ID, note, ticket.AppendOptions{}); err != nil {
		t.Fatal(err)
	}
	if m := marker(); m != ticket.MarkerNone {
		t.Fatalf("after a note: marker %q", m)
	}
	clock.Add(time.Minute)
	reply := &ticket.Message{Direction: ticket.DirectionIn, From: "per@x.no", Text: "Takk!\n\nDen 23.11.2026 skrev Digihjelpen:\n> Hei"}
	got, err := s.AppendMessage(ctx, tk.ID, reply, ticket.AppendOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if m := marker(); m != ticket.MarkerReply {
		t.Fatalf("after a reply: marker %q", m)
	}
	if got.Latest.Text != "Takk!" || got.Latest.Direction != ticket.DirectionIn {
		t.Errorf("preview %+v, want the new text without the quote", got.Latest)
	}
	clock.Add(time.Minute)
	if err := seen.MarkSeen(ctx, 7, got); err != nil {
		t.Fatal(err)
	}
	if m := marker(); m != ticket.MarkerNone {
		t.Fatalf("opened again: marker %q", m)
	}
	// the record of what user 7 saw goes with the ticket
	if err := s.DeleteTicket(ctx, tk.ID); err != nil {
		t.Fatal(err)
	}
	sn, _ := seen.FindSeen(ctx, 7, []uint64{tk.ID})
	if _, ok := sn.At[tk.ID]; ok {
		t.Error("what a user saw of a deleted ticket is kept")
	}
	mustVerify(t, db)
}

// TestMarkersBeginAtUpgrade: tickets from before markers began are not new to anyone.
func TestMarkersBeginAtUpgrade(t *testing.T) {
	db, clock := mustOpenDB(t)
	s, seen := data.NewTicketService(db), data.NewSeenService(db)
	clock.Add(-time.Hour) // a ticket written before the file got its markers
	old := mustCreate(t, s, "Gammel", "per@x.no", "ks")
	sn, err := seen.FindSeen(context.Background(), 7, []uint64{old.ID})
	if err != nil {
		t.Fatal(err)
	}
	if m := old.MarkerFor(sn.At[old.ID], sn.Since); m != ticket.MarkerNone {
		t.Errorf("an old ticket: marker %q", m)
	}
}

// TestFillPreviews: a ticket stored without a preview (before schema 11) gets its latest
// message's from the thread.
func TestFillPreviews(t *testing.T) {
	db, _ := mustOpenDB(t)
	s := data.NewTicketService(db)
	tk := mustCreate(t, s, "Kurs", "per@x.no", "ks")
	tk.Latest = ticket.MessagePreview{}
	if err := s.FillPreviews(context.Background(), []*ticket.Ticket{tk}); err != nil {
		t.Fatal(err)
	}
	if tk.Latest.Text != "Hei! Hvor finner jeg kursmateriell for nybegynnere?" {
		t.Errorf("preview %q", tk.Latest.Text)
	}
}

// TestAnonymiseScrubsPreview: the preview of an inbound message goes with the personal data.
func TestAnonymiseScrubsPreview(t *testing.T) {
	db, clock := mustOpenDB(t)
	s := data.NewTicketService(db)
	tk := mustCreate(t, s, "Kurs", "per@x.no", "ks")
	if _, err := s.UpdateTicket(context.Background(), tk.ID, ticket.TicketUpdate{Status: ptr(ticket.StatusClosed)}); err != nil {
		t.Fatal(err)
	}
	clock.Add(400 * 24 * time.Hour)
	if _, err := data.NewRetentionService(db).AnonymiseClosedBefore(context.Background(), clock.Now().Add(-365*24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	got, _ := s.FindTicketByID(context.Background(), tk.ID)
	if got.Latest.Text != ticket.AnonymisedText {
		t.Errorf("preview after anonymising: %q", got.Latest.Text)
	}
}

// TestOpenTicket: an opening is one commit with the audit event and the time seen: the marker
// clears, and every opening is in the audit trail (the second one too, which changes no marker).
func TestOpenTicket(t *testing.T) {
	db, clock := mustOpenDB(t)
	s, seen, events := data.NewTicketService(db), data.NewSeenService(db), data.NewEventService(db)
	ctx := as("kari@ks.no")
	clock.Add(time.Minute)
	tk := mustCreate(t, s, "Kurs", "per@x.no", "ks")
	clock.Add(time.Minute)
	for range 2 {
		if err := events.OpenTicket(ctx, 7, tk, "saksside"); err != nil {
			t.Fatal(err)
		}
	}
	sn, err := seen.FindSeen(ctx, 7, []uint64{tk.ID})
	if err != nil {
		t.Fatal(err)
	}
	if m := tk.MarkerFor(sn.At[tk.ID], sn.Since); m != ticket.MarkerNone {
		t.Errorf("marker %q after opening, want none", m)
	}
	list, _ := events.FindEvents(ctx, tk.ID)
	opened := 0
	for _, e := range list {
		if e.Kind == ticket.EventOpened {
			opened++
			if e.Actor != "kari@ks.no" || e.Detail != "saksside" {
				t.Errorf("opening event %+v", e)
			}
		}
	}
	if opened != 2 {
		t.Errorf("%d openings in the audit trail, want 2", opened)
	}
	mustVerify(t, db)
}
