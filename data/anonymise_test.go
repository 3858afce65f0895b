package data_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/ticket"
)

// closedTicket makes a ticket from kari with an attachment, the raw mail, a Cc, our answer
// and a note, and closes it.
func closedTicket(t *testing.T, s *data.TicketService, subject string, file []byte) *ticket.Ticket {
	t.Helper()
	ctx := context.Background()
	tk, m := newTicket(subject, "kari@lillehammer.kommune.no", "ks")
	tk.Requester.Municipality = ticket.Municipality{Number: "3405", Name: "Lillehammer"}
	tk.Participants = []string{"ola@lillehammer.kommune.no"}
	m.Cc = []string{"ola@lillehammer.kommune.no"}
	m.Raw = []byte("From: kari@lillehammer.kommune.no\r\n\r\nHei")
	m.Attachments = []ticket.Attachment{{Name: "skjerm.png", Type: "image/png", Data: file}}
	if err := s.CreateTicket(ctx, tk, m, ticket.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	reply := &ticket.Message{Direction: ticket.DirectionOut, From: "digihjelpen@ks.no", To: []string{"kari@lillehammer.kommune.no"},
		Author: "agent@ks.no", Text: "Hei Kari, slik gjør du det."}
	note := &ticket.Message{Direction: ticket.DirectionNote, Author: "agent@ks.no", Text: "Intern merknad."}
	for _, m := range []*ticket.Message{reply, note} {
		if _, err := s.AppendMessage(ctx, tk.ID, m, ticket.AppendOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	tk, err := s.UpdateTicket(ctx, tk.ID, ticket.TicketUpdate{Status: ptr(ticket.StatusClosed)})
	if err != nil {
		t.Fatal(err)
	}
	return tk
}

func TestAnonymiseClosedBefore(t *testing.T) {
	ctx := context.Background()
	db, clock := mustOpenDB(t)
	s, r := data.NewTicketService(db), data.NewRetentionService(db)
	old := closedTicket(t, s, "Gammel sak fra kari@lillehammer.kommune.no", []byte("unik fil"))
	shared := closedTicket(t, s, "Gammel sak med delt fil", []byte("delt fil"))
	open := mustCreate(t, s, "Åpen gammel sak", "per@oslo.kommune.no", "ks")
	clock.Add(400 * 24 * time.Hour)
	cutoff := clock.Now().Add(-365 * 24 * time.Hour)
	recent := closedTicket(t, s, "Ny lukket sak", []byte("delt fil"))

	run, err := r.AnonymiseClosedBefore(ctx, cutoff)
	if err != nil {
		t.Fatal(err)
	}
	if run.Anonymised != 2 || run.Total != 2 {
		t.Fatalf("got run %+v, want 2 anonymised", run)
	}
	mustVerify(t, db)
	for _, id := range []uint64{old.ID, shared.ID} {
		checkAnonymised(t, db, s, id)
	}
	for _, tk := range []*ticket.Ticket{open, recent} {
		got, _ := s.FindTicketByID(ctx, tk.ID)
		if got.Requester.Email == "" || !got.AnonymisedAt.IsZero() {
			t.Fatalf("ticket %s was anonymised: %+v", tk.Ref, got.Requester)
		}
	}
	if !db.HasBlobForTest(sha("delt fil")) {
		t.Fatal("a file another ticket still holds was deleted")
	}
	if got, err := s.FindAttachment(ctx, recent.ID, 1, 0); err != nil || string(got.Data) != "delt fil" {
		t.Fatalf("attachment of the recent ticket: %v %v", got, err)
	}
	if db.HasBlobForTest(sha("unik fil")) {
		t.Fatal("the file only the anonymised ticket held is still stored")
	}

	again, err := r.AnonymiseClosedBefore(ctx, cutoff)
	if err != nil || again.Anonymised != 0 || again.Total != 2 {
		t.Fatalf("second run: got %+v %v, want nothing new", again, err)
	}
	last, err := r.LastRetentionRun(ctx)
	if err != nil || last.Total != 2 || !last.At.Equal(again.At) {
		t.Fatalf("last run: got %+v %v", last, err)
	}
}

// TestAnonymiseAfterReopen checks that a ticket reopened and closed again after a run is
// anonymised again by a later run (the checkpoint does not hide it).
func TestAnonymiseAfterReopen(t *testing.T) {
	ctx := context.Background()
	db, clock := mustOpenDB(t)
	s, r := data.NewTicketService(db), data.NewRetentionService(db)
	tk := closedTicket(t, s, "Sak", []byte("fil"))
	clock.Add(48 * time.Hour)
	if run, err := r.AnonymiseClosedBefore(ctx, clock.Now().Add(-24*time.Hour)); err != nil || run.Anonymised != 1 {
		t.Fatalf("first run: %+v %v", run, err)
	}
	if _, err := s.UpdateTicket(ctx, tk.ID, ticket.TicketUpdate{Status: ptr(ticket.StatusOpen)}); err != nil {
		t.Fatal(err)
	}
	m := &ticket.Message{Direction: ticket.DirectionIn, From: "ny@bodo.kommune.no", Text: "Nytt spørsmål"}
	if _, err := s.AppendMessage(ctx, tk.ID, m, ticket.AppendOptions{Status: ptr(ticket.StatusClosed)}); err != nil {
		t.Fatal(err)
	}
	clock.Add(48 * time.Hour)
	if run, err := r.AnonymiseClosedBefore(ctx, clock.Now().Add(-24*time.Hour)); err != nil || run.Anonymised != 1 {
		t.Fatalf("second run: got %+v %v, want the reopened ticket again", run, err)
	}
	msgs, _ := s.FindMessages(ctx, tk.ID)
	if last := msgs[len(msgs)-1]; last.From != "" || last.Text != ticket.AnonymisedText {
		t.Fatalf("new message kept: %+v", last)
	}
	mustVerify(t, db)
}

func checkAnonymised(t *testing.T, db *data.DB, s *data.TicketService, id uint64) {
	t.Helper()
	ctx := context.Background()
	got, err := s.FindTicketByID(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if got.Requester.Name != "" || got.Requester.Email != "" || got.Participants != nil || got.AnonymisedAt.IsZero() {
		t.Fatalf("requester kept: %+v %v", got.Requester, got.Participants)
	}
	if got.Requester.Municipality.Number != "3405" || got.Status != ticket.StatusClosed || got.ResolvedAt.IsZero() || got.Agency != "ks" {
		t.Fatalf("statistics fields lost: %+v", got)
	}
	if strings.Contains(got.Subject, "kari@") {
		t.Fatalf("subject keeps the address: %q", got.Subject)
	}
	if list, _, _ := s.FindTickets(ctx, ticket.TicketFilter{Requester: ptr("kari@lillehammer.kommune.no")}); len(list) != 0 {
		for _, l := range list {
			if l.ID == id {
				t.Fatal("still found by the requester's address")
			}
		}
	}
	msgs, _ := s.FindMessages(ctx, id)
	for _, m := range msgs {
		if m.From != "" || m.To != nil || m.Cc != nil || m.HasRaw {
			t.Fatalf("message %d keeps addresses or raw: %+v", m.Seq, m)
		}
		switch m.Direction {
		case ticket.DirectionIn:
			if m.Text != ticket.AnonymisedText || m.Attachments != nil {
				t.Fatalf("inbound message kept: %+v", m)
			}
		case ticket.DirectionOut:
			if m.Text != "Hei [navn], slik gjør du det." { // the name of the requester goes from what we wrote too
				t.Fatalf("our answer changed: %q", m.Text)
			}
		}
		if _, err := s.FindRawMessage(ctx, id, m.Seq); ticket.ErrorCode(err) != ticket.ENOTFOUND {
			t.Fatalf("raw source of %d kept: %v", m.Seq, err)
		}
	}
	events, _ := data.NewEventService(db).FindEvents(ctx, id)
	var anonymised bool
	for _, e := range events {
		all := e.Actor + e.From + e.To + e.Detail
		if strings.Contains(all, "kari@") || strings.Contains(all, "ola@") {
			t.Fatalf("event keeps an address: %+v", e)
		}
		anonymised = anonymised || e.Kind == ticket.EventAnonymised
	}
	if !anonymised {
		t.Fatal("no anonymised event")
	}
}

func sha(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}
