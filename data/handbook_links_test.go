package data_test

import (
	"context"
	"strings"
	"testing"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/ticket"
)

// TestReplyLinksArticles: a reply to the requester that links an article of the handbook is
// kept on the ticket and in its statistics («hull i håndboken» leaves it out); a referral's link
// answers nobody and is not kept.
func TestReplyLinksArticles(t *testing.T) {
	db, clock := mustOpenDB(t)
	ctx := context.Background()
	s := data.NewTicketService(db)
	out := func(text string) *ticket.Message {
		return &ticket.Message{Direction: ticket.DirectionOut, From: "kontaktpunkt@ks.no", To: []string{"kari@lillehammer.kommune.no"}, Text: text}
	}
	referred, answered := mustCreate(t, s, "Meldekort", "kari@lillehammer.kommune.no", "ks"), mustCreate(t, s, "Skattekort", "per@lillehammer.kommune.no", "ks")
	for _, tk := range []*ticket.Ticket{referred, answered} {
		tags := []string{"skatt"}
		if _, err := s.UpdateTicket(ctx, tk.ID, ticket.TicketUpdate{Tags: &tags}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.AppendMessage(ctx, referred.ID, out("Se https://digihjelpen.ks.no/handbok/meldekort"), ticket.AppendOptions{Referral: &ticket.Referral{Agency: "nav"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AppendMessage(ctx, referred.ID, out("Vi har sendt saken til NAV."), ticket.AppendOptions{Status: ptr(ticket.StatusResolved)}); err != nil {
		t.Fatal(err)
	}
	clock.Add(1)
	if _, err := s.AppendMessage(ctx, answered.ID, out("«Skattekort»: https://digihjelpen.ks.no/handbok/skattekort"), ticket.AppendOptions{Status: ptr(ticket.StatusResolved)}); err != nil {
		t.Fatal(err)
	}
	for id, want := range map[uint64]string{referred.ID: "", answered.ID: "skattekort"} {
		tk, err := s.FindTicketByID(ctx, id)
		if err != nil || strings.Join(tk.Articles, ",") != want {
			t.Errorf("ticket %d: articles %v (%v), want %q", id, tk.Articles, err, want)
		}
	}
	mustVerify(t, db)
	r, err := data.NewStatsService(db).WeeklyReport(ctx, ticket.WeekOf(clock.Now()))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.HandbookGaps) != 1 || *r.HandbookGaps[0] != (ticket.HandbookGap{Kind: ticket.GapTag, Key: "skatt", Name: "skatt", Answered: 2, WithoutArticle: 1}) {
		t.Errorf("gaps %+v", r.HandbookGaps)
	}
}
