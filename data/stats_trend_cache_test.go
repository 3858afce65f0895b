package data_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/data/datagen"
	"github.com/ks-no/digihjelpen/ticket"
)

// TestWeeklyTrendCacheFollowsChanges: a long-lived statistics service (as the web keeps one)
// answers the trend from its cache, and after every kind of write — a new ticket and an
// answer this week, tickets loaded into past weeks, a deletion — it gives exactly what a fresh
// service computing every week gives.
func TestWeeklyTrendCacheFollowsChanges(t *testing.T) {
	ctx := context.Background()
	db, clock := mustOpenDB(t)
	to := time.Date(2026, 11, 23, 9, 0, 0, 0, ticket.Oslo)
	if err := datagen.Generate(ctx, db, datagen.Options{N: 1000, From: to.AddDate(0, -6, 0), To: to, Seed: 11, Batch: 500}); err != nil {
		t.Fatal(err)
	}
	clock.now = to
	cached := data.NewStatsService(db)
	first, last := ticket.WeekOf(to.AddDate(0, -7, 0)), ticket.WeekOf(to)
	check := func(step string) {
		t.Helper()
		got, err := cached.WeeklyTrend(ctx, first, last)
		if err != nil {
			t.Fatal(err)
		}
		want, err := data.NewStatsService(db).WeeklyTrend(ctx, first, last)
		if err != nil {
			t.Fatal(err)
		}
		for i := range want {
			if fmt.Sprint(*got[i]) != fmt.Sprint(*want[i]) {
				t.Errorf("%s, %s: cached %v, computed %v", step, want[i].Week, *got[i], *want[i])
			}
		}
	}
	check("start")
	check("again, from the cache")

	tickets := data.NewTicketService(db)
	tk := mustCreate(t, tickets, "Ny sak", "kari@hamar.kommune.no", "nav")
	clock.Add(2 * time.Hour)
	reply := &ticket.Message{Direction: ticket.DirectionOut, To: []string{"kari@hamar.kommune.no"}, Text: "Svar"}
	if _, err := tickets.AppendMessage(ctx, tk.ID, reply, ticket.AppendOptions{Status: ptr(ticket.StatusResolved)}); err != nil {
		t.Fatal(err)
	}
	check("a ticket answered this week")

	old := to.AddDate(0, -3, 0)
	back := &ticket.Ticket{Subject: "Importert", Status: ticket.StatusClosed, Agency: "skatteetaten", Priority: ticket.PriorityNormal,
		Channel: ticket.ChannelEmail, Requester: ticket.Requester{Email: "per@hamar.kommune.no"}, CreatedAt: old, UpdatedAt: old.Add(48 * time.Hour),
		FirstResponseAt: old.Add(3 * time.Hour), ResolvedAt: old.Add(48 * time.Hour)}
	msgs := []*ticket.Message{{Direction: ticket.DirectionIn, From: "per@hamar.kommune.no", Text: "Gammelt spørsmål", CreatedAt: old},
		{Direction: ticket.DirectionOut, To: []string{"per@hamar.kommune.no"}, Text: "Gammelt svar", CreatedAt: old.Add(3 * time.Hour)}}
	events := []*ticket.Event{{Kind: ticket.EventCreated, Actor: "per@hamar.kommune.no", To: "email", At: old},
		{Kind: ticket.EventStatus, Actor: "system", From: "ny", To: "lukket", At: old.Add(48 * time.Hour)}}
	if err := db.BulkLoad(ctx, []data.BulkTicket{{Ticket: back, Messages: msgs, Events: events}}); err != nil {
		t.Fatal(err)
	}
	check("a ticket loaded into a past week")

	if err := tickets.DeleteTicket(ctx, 5); err != nil {
		t.Fatal(err)
	}
	check("a ticket deleted")
}
