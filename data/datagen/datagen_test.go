package datagen_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/data/datagen"
	"github.com/ks-no/digihjelpen/ticket"
)

func TestGenerate(t *testing.T) {
	ctx := context.Background()
	db := data.NewDB(filepath.Join(t.TempDir(), "gen.db"))
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	to := time.Date(2026, 11, 23, 0, 0, 0, 0, ticket.Oslo)
	opt := datagen.Options{N: 2000, From: to.AddDate(-1, 0, 0), To: to, Seed: 7, Batch: 300}
	if err := datagen.Generate(ctx, db, opt); err != nil {
		t.Fatal(err)
	}
	if err := db.Verify(ctx); err != nil {
		t.Fatal(err)
	}
	s := data.NewTicketService(db)
	all, total, err := s.FindTickets(ctx, ticket.TicketFilter{Limit: ticket.MaxLimit, Sort: ticket.SortCreatedAsc})
	if err != nil || total != 2000 {
		t.Fatalf("total %d, %v", total, err)
	}
	for _, tk := range all {
		if tk.CreatedAt.Before(opt.From) || !tk.CreatedAt.Before(opt.To) || tk.UpdatedAt.Before(tk.CreatedAt) {
			t.Fatalf("ticket %s times out of range: %v %v", tk.Ref, tk.CreatedAt, tk.UpdatedAt)
		}
		if !tk.FirstResponseAt.IsZero() && tk.FirstResponseAt.Before(tk.CreatedAt) {
			t.Fatalf("ticket %s answered before it was asked", tk.Ref)
		}
		if tk.Status == ticket.StatusResolved && tk.ResolvedAt.IsZero() {
			t.Fatalf("ticket %s resolved without a time", tk.Ref)
		}
	}
	for _, st := range []ticket.Status{ticket.StatusClosed, ticket.StatusResolved, ticket.StatusOpen, ticket.StatusReferred} {
		if _, n, _ := s.FindTickets(ctx, ticket.TicketFilter{Status: &st, Limit: 1}); n == 0 {
			t.Errorf("no %s tickets", st)
		}
	}
	msgs, err := s.FindMessages(ctx, all[0].ID)
	if err != nil || len(msgs) < 2 {
		t.Fatalf("first ticket has %d messages: %v", len(msgs), err)
	}
}

func TestCachedSharedReadOnly(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	to := time.Date(2026, 11, 23, 0, 0, 0, 0, ticket.Oslo)
	opt := datagen.Options{N: 300, From: to.AddDate(0, -1, 0), To: to, Seed: 3}
	path, err := datagen.Cached(ctx, dir, opt)
	if err != nil {
		t.Fatal(err)
	}
	again, err := datagen.Cached(ctx, dir, opt)
	if err != nil || again != path {
		t.Fatalf("second call: %s %v", again, err)
	}
	var dbs []*data.DB
	for range 2 { // two readers at once: the lock is shared
		db := &data.DB{Path: path, Now: time.Now, ReadOnly: true}
		if err := db.Open(); err != nil {
			t.Fatal(err)
		}
		dbs = append(dbs, db)
	}
	for _, db := range dbs {
		if _, n, err := data.NewTicketService(db).FindTickets(ctx, ticket.TicketFilter{Limit: 1}); err != nil || n != 300 {
			t.Fatalf("read: %d %v", n, err)
		}
		if n, err := db.SearchBacklog(ctx); err != nil || n != 0 {
			t.Fatalf("search backlog %d (%v): the generated file must come with its index built", n, err)
		}
		if err := data.NewUserService(db).CreateUser(ctx, &ticket.User{Email: "a@b.no", Name: "A", Role: ticket.RoleAgent, PasswordHash: "x"}); err == nil {
			t.Fatal("a read-only database accepted a write")
		}
		db.Close()
	}
}
