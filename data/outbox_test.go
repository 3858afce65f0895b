package data_test

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/ticket"
)

// queueReply stores a staff reply on tk with its mail and returns the mail.
func queueReply(t *testing.T, s *data.TicketService, tk *ticket.Ticket, n int) *ticket.OutboundMail {
	t.Helper()
	id := fmt.Sprintf("<reply-%d-%d@digihjelpen.ks.no>", tk.ID, n)
	m := &ticket.Message{Direction: ticket.DirectionOut, From: "kontakt@ks.no", To: []string{tk.Requester.Email}, Text: "Svar", MessageID: id}
	out := &ticket.OutboundMail{Kind: ticket.MailReply, To: m.To, Subject: "[" + tk.Ref.String() + "] " + tk.Subject, Text: "Svar", MessageID: id}
	if _, err := s.AppendMessage(context.Background(), tk.ID, m, ticket.AppendOptions{Out: []*ticket.OutboundMail{out}}); err != nil {
		t.Fatal(err)
	}
	return out
}

func dueIDs(t *testing.T, o *data.OutboxService) []uint64 {
	t.Helper()
	due, err := o.FindDueMail(context.Background(), 100)
	if err != nil {
		t.Fatal(err)
	}
	var ids []uint64
	for _, m := range due {
		ids = append(ids, m.ID)
	}
	return ids
}

func TestOutboxLifecycle(t *testing.T) {
	ctx := context.Background()
	db, clock := mustOpenDB(t)
	var wakes atomic.Int32
	db.MailQueued = func() { wakes.Add(1) }
	s, o := data.NewTicketService(db), data.NewOutboxService(db)
	tk := mustCreate(t, s, "Kurs", "kari@hamar.kommune.no", "ks")
	a, b := queueReply(t, s, tk, 1), queueReply(t, s, tk, 2)
	if a.Seq != 2 || b.Seq != 3 {
		t.Fatalf("seq %d %d, want the thread messages 2 and 3", a.Seq, b.Seq)
	}
	if wakes.Load() != 2 {
		t.Fatalf("MailQueued called %d times, want 2", wakes.Load())
	}

	t.Run("due mail, oldest first", func(t *testing.T) {
		if got := dueIDs(t, o); len(got) != 2 || got[0] != a.ID || got[1] != b.ID {
			t.Fatalf("got %v, want [%d %d]", got, a.ID, b.ID)
		}
	})
	t.Run("sent mail leaves the queue", func(t *testing.T) {
		if err := o.MarkMailSent(ctx, a.ID); err != nil {
			t.Fatal(err)
		}
		if got := dueIDs(t, o); len(got) != 1 || got[0] != b.ID {
			t.Fatalf("got %v, want [%d]", got, b.ID)
		}
		mustVerify(t, db)
	})
	t.Run("temporary failure waits with backoff", func(t *testing.T) {
		m, err := o.MarkMailFailed(ctx, b.ID, ticket.MailFailure{Reason: "451 4.3.0 prøv igjen"})
		if err != nil || m.State != ticket.OutboxQueued || m.Attempts != 1 || m.LastError != "451 4.3.0 prøv igjen" {
			t.Fatalf("got %+v %v", m, err)
		}
		if got := dueIDs(t, o); len(got) != 0 {
			t.Fatalf("due right after a failure: %v", got)
		}
		clock.Add(ticket.RetryDelay(1))
		if got := dueIDs(t, o); len(got) != 1 {
			t.Fatalf("not due again after the delay: %v", got)
		}
		mustVerify(t, db)
	})
	t.Run("mail waiting for the server keeps its tries and its turn", func(t *testing.T) {
		before, _ := o.FindOutbox(ctx, ticket.OutboxFilter{State: ptr(ticket.OutboxQueued)})
		if err := o.NoteMailWaiting(ctx, []uint64{b.ID}, "dial tcp: connection refused"); err != nil {
			t.Fatal(err)
		}
		got, _ := o.FindOutbox(ctx, ticket.OutboxFilter{State: ptr(ticket.OutboxQueued)})
		if len(got) != 1 || got[0].Attempts != 1 || got[0].LastError != "dial tcp: connection refused" || !got[0].NextTry.Equal(before[0].NextTry) {
			t.Fatalf("got %+v, before %+v", got, before)
		}
		if got := dueIDs(t, o); len(got) != 1 {
			t.Fatalf("due %v, want the mail still due", got)
		}
		mustVerify(t, db)
	})
	t.Run("too many tries parks the mail with an event", func(t *testing.T) {
		for i := 2; i <= ticket.MaxMailAttempts; i++ {
			m, err := o.MarkMailFailed(ctx, b.ID, ticket.MailFailure{Reason: "421 busy"})
			if err != nil {
				t.Fatal(err)
			}
			want := ticket.OutboxQueued
			if i == ticket.MaxMailAttempts {
				want = ticket.OutboxParked
			}
			if m.State != want {
				t.Fatalf("after %d tries: %s, want %s", i, m.State, want)
			}
		}
		parked, _ := o.FindOutbox(ctx, ticket.OutboxFilter{State: ptr(ticket.OutboxParked)})
		if len(parked) != 1 || parked[0].ID != b.ID {
			t.Fatalf("parked %+v", parked)
		}
		events, _ := data.NewEventService(db).FindEvents(ctx, tk.ID)
		last := events[len(events)-1]
		if last.Kind != ticket.EventMailFailed || !strings.Contains(last.Detail, "421 busy") || !strings.Contains(last.Detail, "etter 10 forsøk") {
			t.Fatalf("last event %+v", last)
		}
		if q, p, _ := o.CountOutbox(ctx); q != 0 || p != 1 {
			t.Fatalf("counts %d %d, want 0 1", q, p)
		}
		mustVerify(t, db)
	})
	t.Run("send again", func(t *testing.T) {
		staff := ticket.NewContextWithActor(ctx, ticket.Actor{Name: "admin@ks.no", Role: ticket.RoleAdmin})
		m, err := o.RetryMail(staff, b.ID)
		if err != nil || m.State != ticket.OutboxQueued || m.Attempts != 0 {
			t.Fatalf("got %+v %v", m, err)
		}
		if got := dueIDs(t, o); len(got) != 1 {
			t.Fatalf("not due after send again: %v", got)
		}
		if _, err := o.RetryMail(staff, b.ID); ticket.ErrorCode(err) != ticket.ECONFLICT {
			t.Fatalf("second send again: got %v, want ECONFLICT", err)
		}
		events, _ := data.NewEventService(db).FindEvents(ctx, tk.ID)
		if last := events[len(events)-1]; last.Kind != ticket.EventMailRetry || last.Actor != "admin@ks.no" {
			t.Fatalf("last event %+v", last)
		}
		mustVerify(t, db)
	})
	t.Run("permanent failure parks at once", func(t *testing.T) {
		m, err := o.MarkMailFailed(ctx, b.ID, ticket.MailFailure{Reason: "550 5.1.1 no such user", Permanent: true})
		if err != nil || m.State != ticket.OutboxParked || m.Attempts != 1 {
			t.Fatalf("got %+v %v", m, err)
		}
		mustVerify(t, db)
	})
	t.Run("a late mark does not undo a park", func(t *testing.T) {
		if err := o.MarkMailSent(ctx, b.ID); err != nil {
			t.Fatal(err)
		}
		list, _ := o.FindOutbox(ctx, ticket.OutboxFilter{TicketID: &tk.ID})
		if len(list) != 2 || list[0].ID != b.ID || list[0].State != ticket.OutboxParked || list[1].State != ticket.OutboxSent {
			t.Fatalf("ticket's mail %+v", list)
		}
	})
}

func TestOutboxReportWithAttachment(t *testing.T) {
	ctx := context.Background()
	db, _ := mustOpenDB(t)
	o := data.NewOutboxService(db)
	xlsx := []byte("PK\x03\x04 weekly report")
	m := &ticket.OutboundMail{Kind: ticket.MailReport, To: []string{"leder@ks.no"}, Subject: "Ukerapport 2026-W47", Text: "Vedlagt.",
		MessageID: "<report@ks.no>", Attachments: []ticket.Attachment{{Name: "uke.xlsx", Type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Data: xlsx}}}
	if err := db.EnqueueMail(ctx, m); err != nil {
		t.Fatal(err)
	}
	due, err := o.FindDueMail(ctx, 10)
	if err != nil || len(due) != 1 || len(due[0].Attachments) != 1 || string(due[0].Attachments[0].Data) != string(xlsx) {
		t.Fatalf("got %+v %v", due, err)
	}
	if _, err := o.MarkMailFailed(ctx, m.ID, ticket.MailFailure{Reason: "550 nope", Permanent: true}); err != nil {
		t.Fatal(err)
	}
	events, _ := data.NewEventService(db).FindEvents(ctx, 0)
	if len(events) != 1 || events[0].Kind != ticket.EventMailFailed {
		t.Fatalf("events about no ticket: %+v", events)
	}
	mustVerify(t, db)
}

func TestReferralAddsParticipant(t *testing.T) {
	db, _ := mustOpenDB(t)
	s := data.NewTicketService(db)
	tk := mustCreate(t, s, "Dagpenger", "kari@hamar.kommune.no", "ks")
	m := &ticket.Message{Direction: ticket.DirectionOut, To: []string{"Digihjelp@NAV.no"}, Text: "Henvist", MessageID: "<ref@ks>"}
	out := &ticket.OutboundMail{Kind: ticket.MailReferral, To: m.To, Text: "x", MessageID: m.MessageID}
	got, err := s.AppendMessage(context.Background(), tk.ID, m, ticket.AppendOptions{Out: []*ticket.OutboundMail{out}, Referral: &ticket.Referral{Agency: "nav"}})
	if err != nil {
		t.Fatal(err)
	}
	if !got.IsParticipant("digihjelp@nav.no") || got.Status != ticket.StatusReferred || got.Referrals[0].MessageID != "<ref@ks>" {
		t.Fatalf("got %+v", got)
	}
	mustVerify(t, db)
}
