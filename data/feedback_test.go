package data_test

import (
	"context"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/ticket"
)

// TestFeedbackOncePerTicket: an answer only on a resolved ticket, a second answer replaces
// the first (in the counts too), each with its event; deleting the ticket takes it away, and
// anonymising it clears the comment but keeps the count.
func TestFeedbackOncePerTicket(t *testing.T) {
	db, clock := mustOpenDB(t)
	tickets := data.NewTicketService(db)
	fb := data.NewFeedbackService(db)
	ctx := context.Background()
	tk := mustCreate(t, tickets, "Skattekort", "kari@lillehammer.kommune.no", "skatteetaten")
	if err := fb.SaveFeedback(ctx, &ticket.Feedback{TicketID: tk.ID, Useful: true}); ticket.ErrorCode(err) != ticket.EINVALID {
		t.Fatalf("an open ticket: got %v, want EINVALID", err)
	}
	if _, err := tickets.UpdateTicket(ctx, tk.ID, ticket.TicketUpdate{Status: ptr(ticket.StatusResolved)}); err != nil {
		t.Fatal(err)
	}
	start := clock.Now()
	if err := fb.SaveFeedback(ctx, &ticket.Feedback{TicketID: tk.ID, Useful: false, Comment: " Fikk ikke svar på det jeg lurte på "}); err != nil {
		t.Fatal(err)
	}
	clock.Add(time.Hour)
	if err := fb.SaveFeedback(ctx, &ticket.Feedback{TicketID: tk.ID, Useful: true, Comment: "Jo, nå gikk det!"}); err != nil {
		t.Fatal(err)
	}
	f, err := fb.FindFeedback(ctx, tk.ID)
	if err != nil || !f.Useful || f.Comment != "Jo, nå gikk det!" || f.Agency != "skatteetaten" {
		t.Fatalf("the second answer must replace the first: %+v %v", f, err)
	}
	counts, err := fb.FeedbackCounts(ctx, start, clock.Now().Add(time.Minute))
	if err != nil || len(counts) != 1 || counts["skatteetaten"] != (ticket.FeedbackCount{Useful: 1}) {
		t.Errorf("counts: %v %v", counts, err)
	}
	events, _ := data.NewEventService(db).FindEvents(ctx, tk.ID)
	var answers []string
	for _, e := range events {
		if e.Kind == ticket.EventFeedback {
			answers = append(answers, e.To+": "+e.Detail)
		}
	}
	if len(answers) != 2 || answers[1] != "ja: Jo, nå gikk det!" || answers[0] != "nei: Fikk ikke svar på det jeg lurte på" {
		t.Errorf("events: %q", answers)
	}
	if err := fb.SaveFeedback(ctx, &ticket.Feedback{TicketID: tk.ID, Comment: string(make([]rune, ticket.MaxFeedbackComment+1))}); ticket.FieldErrorsOf(err).ByField("kommentar") == "" {
		t.Errorf("a long comment: %v", err)
	}
	mustVerify(t, db)

	if _, err := tickets.UpdateTicket(ctx, tk.ID, ticket.TicketUpdate{Status: ptr(ticket.StatusClosed)}); err != nil {
		t.Fatal(err)
	}
	clock.Add(400 * 24 * time.Hour)
	if _, err := data.NewRetentionService(db).AnonymiseClosedBefore(ctx, clock.Now().Add(-365*24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	f, _ = fb.FindFeedback(ctx, tk.ID)
	events, _ = data.NewEventService(db).FindEvents(ctx, tk.ID)
	for _, e := range events {
		if e.Kind == ticket.EventFeedback && e.Detail != "" {
			t.Errorf("an anonymised ticket keeps the comment in its history: %q", e.Detail)
		}
	}
	if f == nil || f.Comment != "" || !f.Useful {
		t.Errorf("anonymised: %+v", f)
	}

	if err := tickets.DeleteTicket(adminCtx(), tk.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := fb.FindFeedback(ctx, tk.ID); ticket.ErrorCode(err) != ticket.ENOTFOUND {
		t.Errorf("a deleted ticket's answer: %v", err)
	}
	if counts, _ := fb.FeedbackCounts(ctx, start, clock.Now()); len(counts) != 0 {
		t.Errorf("a deleted ticket still counts: %v", counts)
	}
	mustVerify(t, db)
}
