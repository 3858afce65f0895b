package data_test

import (
	"context"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/ticket"
)

func TestRuleSetVersions(t *testing.T) {
	ctx := ticket.NewContextWithActor(context.Background(), ticket.Actor{Name: "admin@ks.no", Role: ticket.RoleAdmin})
	db, clock := mustOpenDB(t)
	s := data.NewRuleSetService(db)
	if _, err := s.LatestRuleSet(ctx); ticket.ErrorCode(err) != ticket.ENOTFOUND {
		t.Fatalf("empty: got %v, want not found", err)
	}
	for i, text := range []string{"# en", "# to", "# tre"} {
		clock.Add(time.Minute)
		rs := &ticket.RuleSet{Text: text, Note: "endring"}
		if i == 2 {
			rs.RestoredFrom = 1
		}
		if err := s.SaveRuleSet(ctx, rs); err != nil {
			t.Fatal(err)
		}
		if rs.Version != i+1 || rs.SavedBy != "admin@ks.no" || rs.SavedAt.IsZero() {
			t.Fatalf("saved %+v", rs)
		}
	}
	latest, err := s.LatestRuleSet(ctx)
	if err != nil || latest.Version != 3 || latest.Text != "# tre" || latest.RestoredFrom != 1 {
		t.Fatalf("latest %+v %v", latest, err)
	}
	v1, err := s.FindRuleSet(ctx, 1)
	if err != nil || v1.Text != "# en" {
		t.Fatalf("version 1: %+v %v", v1, err)
	}
	for _, v := range []int{0, 4, -1} {
		if _, err := s.FindRuleSet(ctx, v); ticket.ErrorCode(err) != ticket.ENOTFOUND {
			t.Errorf("version %d: got %v, want not found", v, err)
		}
	}
	list, err := s.FindRuleSets(ctx)
	if err != nil || len(list) != 3 || list[0].Version != 3 || list[2].Version != 1 || list[0].Text != "" {
		t.Fatalf("list %+v %v", list, err)
	}
	events, _ := data.NewEventService(db).FindEvents(ctx, 0)
	if len(events) != 3 || events[2].Kind != ticket.EventRules || events[2].To != "3" || events[2].Detail != "gjenopprettet fra versjon 1. endring" || events[2].Actor != "admin@ks.no" {
		t.Fatalf("audit %+v", events)
	}
}

func TestForEachTicket(t *testing.T) {
	ctx := context.Background()
	db, clock := mustOpenDB(t)
	s := data.NewTicketService(db)
	var ids []uint64
	for _, subj := range []string{"en", "to", "tre"} {
		clock.Add(24 * time.Hour)
		ids = append(ids, mustCreate(t, s, subj, "a@b.no", "ks").ID)
	}
	var seen []string
	from := time.Date(2026, 11, 25, 0, 0, 0, 0, ticket.Oslo)
	err := s.ForEachTicket(ctx, from, func(tk *ticket.Ticket, first *ticket.Message) error {
		if first == nil || first.Seq != 1 || first.Text == "" {
			t.Errorf("first message of %d: %+v", tk.ID, first)
		}
		seen = append(seen, tk.Subject)
		return nil
	})
	if err != nil || len(seen) != 2 || seen[0] != "to" || seen[1] != "tre" {
		t.Fatalf("from 25.11: got %v %v, want [to tre]", seen, err)
	}
	n := 0
	if err := s.ForEachTicket(ctx, time.Time{}, func(*ticket.Ticket, *ticket.Message) error { n++; return nil }); err != nil || n != 3 {
		t.Fatalf("all: got %d %v", n, err)
	}
}
