package data_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/data/datagen"
	"github.com/ks-no/digihjelpen/ticket"
)

// TestFindByFacetsAgreesWithRecords: filters on two facets or more, answered from the bitmaps
// (read in memory when few, walked in order when many), give the same pages, in the same order
// and with the same totals, as reading every record does; and the counts per status agree.
func TestFindByFacetsAgreesWithRecords(t *testing.T) {
	ctx := context.Background()
	to := time.Date(2026, 11, 1, 0, 0, 0, 0, ticket.Oslo)
	db := data.NewDB(filepath.Join(t.TempDir(), "f.db"))
	db.Now = func() time.Time { return to }
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := datagen.Generate(ctx, db, datagen.Options{N: 4000, From: to.AddDate(-1, 0, 0), To: to, Seed: 9}); err != nil {
		t.Fatal(err)
	}
	for {
		n, err := db.IndexSearch(ctx, 2000)
		if err != nil {
			t.Fatal(err)
		}
		if n < 2000 {
			break
		}
	}
	s := data.NewTicketService(db)
	all := make([]*ticket.Ticket, 0, 4000)
	for id := uint64(1); id <= 4000; id++ {
		tk, err := s.FindTicketByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, tk)
	}
	web, email := ticket.ChannelWeb, ticket.ChannelEmail
	active := []ticket.Status{ticket.StatusNew, ticket.StatusOpen, ticket.StatusWaiting, ticket.StatusReferred}
	filters := []ticket.TicketFilter{
		{County: ptr("34"), Channel: &web},
		{County: ptr("34"), Channel: &web, Statuses: active},
		{Municipality: ptr("3405"), Assignee: ptr(""), Statuses: active},
		{Municipality: ptr("0301"), Channel: &email, Agency: ptr("nav"), Statuses: []ticket.Status{ticket.StatusClosed}},
		{Municipality: ptr("3405"), County: ptr("34"), Channel: &web, Assignee: ptr(""), Agency: ptr("nav")},
		{County: ptr("03"), Channel: &email, Sort: ticket.SortUpdatedAsc},
		{Channel: &email, Assignee: ptr("")}, // thousands: walked in order, not read in memory
		{Channel: &web, Assignee: ptr(""), Statuses: []ticket.Status{ticket.StatusClosed}, Sort: ticket.SortUpdatedAsc},
		// overdue: walked by one facet's deadlines, the others tested on the bitmaps
		{Overdue: true, Channel: &email, Assignee: ptr("")},
		{Overdue: true, County: ptr("34"), Channel: &web, Agency: ptr("nav")},
	}
	for i, f := range filters {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			want := matching(all, f, to)
			var got []*ticket.Ticket
			f.Limit = 50
			for page := 0; ; page++ {
				list, total, err := s.FindTickets(ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				if total != len(want) {
					t.Fatalf("total %d, want %d", total, len(want))
				}
				got = append(got, list...)
				if len(list) < f.Limit || page > 100 {
					break
				}
				f.Cursor = list[len(list)-1].Cursor(orderOf(f))
			}
			t.Logf("%d matches", len(want))
			if ids(got) != ids(want) {
				t.Fatalf("got %d tickets %s\nwant %d %s", len(got), ids(got), len(want), ids(want))
			}
			counts, err := s.CountByStatus(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			for _, st := range ticket.Statuses {
				g := f
				g.Statuses = []ticket.Status{st}
				g.Overdue = false
				if n := len(matching(all, g, to)); counts[st] != n {
					t.Errorf("%s: count %d, want %d", st, counts[st], n)
				}
			}
		})
	}
}

func orderOf(f ticket.TicketFilter) ticket.SortOrder {
	switch {
	case f.Overdue:
		return ticket.SortDueAsc
	case f.Sort == "":
		return ticket.SortUpdatedDesc
	}
	return f.Sort
}

// matching is the reference: every record checked, sorted by update time (or deadline) and id.
func matching(all []*ticket.Ticket, f ticket.TicketFilter, now time.Time) []*ticket.Ticket {
	var out []*ticket.Ticket
	for _, tk := range all {
		switch {
		case len(f.Statuses) > 0 && !slices.Contains(f.Statuses, tk.Status),
			f.Agency != nil && tk.Agency != *f.Agency,
			f.Assignee != nil && tk.Assignee != *f.Assignee,
			f.Municipality != nil && tk.Requester.Municipality.Number != *f.Municipality,
			f.County != nil && tk.Requester.County.Number != *f.County,
			f.Channel != nil && tk.Channel != *f.Channel,
			f.Overdue && !tk.Overdue(now):
			continue
		}
		out = append(out, tk)
	}
	slices.SortFunc(out, func(a, b *ticket.Ticket) int {
		c := a.UpdatedAt.Compare(b.UpdatedAt)
		if orderOf(f) == ticket.SortDueAsc {
			c = a.DueAt().Compare(b.DueAt())
		}
		if c == 0 {
			c = int(a.ID) - int(b.ID)
		}
		if orderOf(f) == ticket.SortUpdatedDesc {
			return -c
		}
		return c
	})
	return out
}

func ids(list []*ticket.Ticket) string {
	s := ""
	for _, tk := range list {
		s += fmt.Sprint(tk.ID, " ")
	}
	return s
}

// TestFacetCacheFollowsIndexer: the intersections the inbox keeps between pages are those of
// the index as the indexer last committed it: a ticket that changes status and county is
// counted and listed where it now is as soon as the indexer has run.
func TestFacetCacheFollowsIndexer(t *testing.T) {
	ctx := context.Background()
	db, _ := mustOpenDB(t)
	s := data.NewTicketService(db)
	index := func() {
		t.Helper()
		if _, err := db.IndexSearch(ctx, 1000); err != nil {
			t.Fatal(err)
		}
	}
	web := ticket.ChannelWeb
	var ids []uint64
	for i := range 3 {
		tk, m := newTicket("Skattekort", fmt.Sprintf("kari%d@lillehammer.kommune.no", i), ticket.AgencyKS)
		tk.Channel, tk.Requester.Municipality, tk.Requester.County = web, ticket.Municipality{Number: "3405", Name: "Lillehammer"}, ticket.County{Number: "34", Name: "Innlandet"}
		if err := s.CreateTicket(ctx, tk, m, ticket.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, tk.ID)
	}
	index()
	f := ticket.TicketFilter{County: ptr("34"), Channel: &web, Limit: 50}
	check := func(wantNew, wantClosed, wantListed int) {
		t.Helper()
		for range 2 { // the second read comes from the cache
			counts, err := s.CountByStatus(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			list, total, err := s.FindTickets(ctx, ticket.TicketFilter{County: f.County, Channel: f.Channel, Limit: 50, Statuses: []ticket.Status{ticket.StatusNew}})
			if err != nil {
				t.Fatal(err)
			}
			if counts[ticket.StatusNew] != wantNew || counts[ticket.StatusClosed] != wantClosed || total != wantListed || len(list) != wantListed {
				t.Fatalf("new %d, closed %d, listed %d of %d; want %d, %d, %d", counts[ticket.StatusNew], counts[ticket.StatusClosed], len(list), total, wantNew, wantClosed, wantListed)
			}
		}
	}
	check(3, 0, 3)
	if _, err := s.UpdateTicket(ctx, ids[0], ticket.TicketUpdate{Status: ptr(ticket.StatusClosed)}); err != nil {
		t.Fatal(err)
	}
	index()
	check(2, 1, 2)
	if err := s.DeleteTicket(ctx, ids[1]); err != nil {
		t.Fatal(err)
	}
	index()
	check(1, 1, 1)
}
