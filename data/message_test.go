package data_test

import (
	"context"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/ticket"
)

func TestAppendMessage(t *testing.T) {
	staff := ticket.NewContextWithActor(context.Background(), ticket.Actor{Name: "ola@ks.no", Role: ticket.RoleAgent})
	db, clock := mustOpenDB(t)
	s := data.NewTicketService(db)
	tk := mustCreate(t, s, "Kurs for seniorer", "kari@hamar.kommune.no", "ks")

	t.Run("reply sets first response and queues mail", func(t *testing.T) {
		clock.Add(2 * time.Hour)
		reply := &ticket.Message{Direction: ticket.DirectionOut, From: "kontakt@ks.no", To: []string{"kari@hamar.kommune.no"},
			Text: "Se håndboken.", MessageID: "<reply-1@digihjelpen.ks.no>", Author: "ola@ks.no"}
		out := &ticket.OutboundMail{Kind: ticket.MailReply, To: reply.To, Subject: "[DH-2026-0001] Kurs", Text: reply.Text, MessageID: reply.MessageID}
		waiting := ticket.StatusWaiting
		got, err := s.AppendMessage(staff, tk.ID, reply, ticket.AppendOptions{Out: []*ticket.OutboundMail{out}, Status: &waiting})
		if err != nil {
			t.Fatal(err)
		}
		if got.FirstResponseAt.IsZero() || got.Status != ticket.StatusWaiting || got.MessageCount != 2 || reply.Seq != 2 {
			t.Fatalf("got %+v", got)
		}
		if out.ID == 0 || out.State != ticket.OutboxQueued || out.TicketID != tk.ID {
			t.Fatalf("outbox mail: %+v", out)
		}
		if byID, seq, err := s.FindTicketByMessageID(staff, "<reply-1@digihjelpen.ks.no>"); err != nil || byID.ID != tk.ID || seq != 2 {
			t.Fatalf("by message id: %v %d %v", byID, seq, err)
		}
		mustVerify(t, db)
	})
	t.Run("requester reply reopens waiting ticket", func(t *testing.T) {
		clock.Add(time.Hour)
		in := &ticket.Message{Direction: ticket.DirectionIn, From: "KARI@hamar.kommune.no", Text: "Takk, men ...", MessageID: "<svar@hamar>"}
		got, err := s.AppendMessage(context.Background(), tk.ID, in, ticket.AppendOptions{})
		if err != nil || got.Status != ticket.StatusOpen {
			t.Fatalf("got %v %v, want åpen", got, err)
		}
		mustVerify(t, db)
	})
	t.Run("auto-reply does not reopen", func(t *testing.T) {
		if _, err := s.UpdateTicket(staff, tk.ID, ticket.TicketUpdate{Status: ptr(ticket.StatusResolved)}); err != nil {
			t.Fatal(err)
		}
		in := &ticket.Message{Direction: ticket.DirectionIn, From: "kari@hamar.kommune.no", Text: "Jeg er på ferie", Auto: "auto-reply"}
		got, err := s.AppendMessage(context.Background(), tk.ID, in, ticket.AppendOptions{})
		if err != nil || got.Status != ticket.StatusResolved {
			t.Fatalf("got %v %v, want løst", got, err)
		}
	})
	t.Run("stranger does not reopen", func(t *testing.T) {
		in := &ticket.Message{Direction: ticket.DirectionIn, From: "ukjent@example.org", Text: "Hei"}
		got, err := s.AppendMessage(context.Background(), tk.ID, in, ticket.AppendOptions{})
		if err != nil || got.Status != ticket.StatusResolved {
			t.Fatalf("got %v %v, want løst", got, err)
		}
	})
	t.Run("requester reply reopens resolved ticket and counts it", func(t *testing.T) {
		in := &ticket.Message{Direction: ticket.DirectionIn, From: "kari@hamar.kommune.no", Text: "Et spørsmål til"}
		got, err := s.AppendMessage(context.Background(), tk.ID, in, ticket.AppendOptions{})
		if err != nil || got.Status != ticket.StatusOpen || got.ReopenCount != 1 || !got.ResolvedAt.IsZero() {
			t.Fatalf("got %+v %v", got, err)
		}
		events, _ := data.NewEventService(db).FindEvents(staff, tk.ID)
		if last := events[len(events)-1]; last.Kind != ticket.EventReopened {
			t.Fatalf("last event %+v, want reopened", last)
		}
	})
	t.Run("referral and answer", func(t *testing.T) {
		ref := &ticket.Message{Direction: ticket.DirectionOut, From: "kontakt@ks.no", To: []string{"nav@nav.no"}, Text: "Videresendt", MessageID: "<ref-1@digihjelpen.ks.no>"}
		got, err := s.AppendMessage(staff, tk.ID, ref, ticket.AppendOptions{Referral: &ticket.Referral{Agency: "nav", Note: "Gjelder dagpenger", By: "ola@ks.no"}})
		if err != nil || got.Status != ticket.StatusReferred || len(got.Referrals) != 1 || got.Referrals[0].Status != ticket.ReferralSent || got.Referrals[0].MessageID != "<ref-1@digihjelpen.ks.no>" {
			t.Fatalf("got %+v %v", got, err)
		}
		answer := &ticket.Message{Direction: ticket.DirectionIn, From: "veileder@nav.no", Text: "Svar fra NAV", InReplyTo: "<ref-1@digihjelpen.ks.no>"}
		got, err = s.AppendMessage(context.Background(), tk.ID, answer, ticket.AppendOptions{AnsweredBy: "nav"})
		if err != nil || got.Referrals[0].Status != ticket.ReferralAnswered || got.Referrals[0].AnsweredAt.IsZero() {
			t.Fatalf("got %+v %v", got, err)
		}
		mustVerify(t, db)
	})
	t.Run("ErrVersion", func(t *testing.T) {
		note := &ticket.Message{Direction: ticket.DirectionNote, Text: "Intern"}
		if _, err := s.AppendMessage(staff, tk.ID, note, ticket.AppendOptions{IfVersion: ptr(uint64(1))}); ticket.ErrorCode(err) != ticket.ECONFLICT {
			t.Fatalf("got %v, want conflict", err)
		}
	})
	t.Run("ErrEmptyText", func(t *testing.T) {
		note := &ticket.Message{Direction: ticket.DirectionNote, Text: "  "}
		if _, err := s.AppendMessage(staff, tk.ID, note, ticket.AppendOptions{}); ticket.ErrorCode(err) != ticket.EINVALID {
			t.Fatalf("got %v, want invalid", err)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		note := &ticket.Message{Direction: ticket.DirectionNote, Text: "x"}
		if _, err := s.AppendMessage(staff, 999, note, ticket.AppendOptions{}); ticket.ErrorCode(err) != ticket.ENOTFOUND {
			t.Fatalf("got %v, want not found", err)
		}
	})
}
