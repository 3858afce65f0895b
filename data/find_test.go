package data_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/ticket"
)

// seedTickets creates n tickets with mixed statuses, agencies, municipalities and times.
func seedTickets(t *testing.T, db *data.DB, clock *testClock, n int) []*ticket.Ticket {
	t.Helper()
	ctx := context.Background()
	s := data.NewTicketService(db)
	rng := rand.New(rand.NewPCG(1, 2))
	agencies := []string{"ks", "nav", "skatteetaten", "kompetanse-norge"}
	munics := []string{"0301", "3405", "4601"}
	counties := map[string]string{"0301": "03", "3405": "34", "4601": "46"}
	var all []*ticket.Ticket
	for i := range n {
		clock.Add(time.Duration(rng.IntN(90)+1) * time.Minute)
		tk, m := newTicket(fmt.Sprintf("Sak %d", i), fmt.Sprintf("person%d@kommune.no", i%7), agencies[rng.IntN(len(agencies))])
		tk.Requester.Municipality.Number = munics[rng.IntN(len(munics))]
		tk.Requester.County.Number = counties[tk.Requester.Municipality.Number]
		if i%3 == 0 {
			tk.Channel = ticket.ChannelWeb
		}
		if err := s.CreateTicket(ctx, tk, m, ticket.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
		all = append(all, tk)
	}
	// move some tickets on, so updated order differs from created order; answer some and
	// refer some, so that deadlines differ
	for i, tk := range all {
		var err error
		switch {
		case i%5 == 0:
			clock.Add(time.Minute)
			reply := &ticket.Message{Direction: ticket.DirectionOut, From: "kontakt@ks.no", Text: "Svar"}
			tk, err = s.AppendMessage(ctx, tk.ID, reply, ticket.AppendOptions{})
		case i%7 == 0:
			clock.Add(time.Minute)
			ref := &ticket.Message{Direction: ticket.DirectionOut, From: "kontakt@ks.no", Text: "Henvist"}
			tk, err = s.AppendMessage(ctx, tk.ID, ref, ticket.AppendOptions{Referral: &ticket.Referral{Agency: "nav", RemindAt: clock.Now().Add(time.Duration(rng.IntN(200)-100) * time.Hour)}})
		}
		if err != nil {
			t.Fatal(err)
		}
		all[i] = tk
		if rng.IntN(2) == 0 {
			continue
		}
		clock.Add(time.Minute)
		st := ticket.Statuses[1+rng.IntN(len(ticket.Statuses)-1)]
		upd := ticket.TicketUpdate{Status: &st}
		if rng.IntN(4) == 0 {
			upd.Assignee = ptr("ola@ks.no")
		}
		got, err := s.UpdateTicket(ctx, tk.ID, upd)
		if err != nil {
			t.Fatal(err)
		}
		all[i] = got
	}
	mustIndex(t, db) // counts over two facets come from the search index
	mustVerify(t, db)
	return all
}

// reference filters and sorts in memory, the obviously right way.
func reference(all []*ticket.Ticket, f ticket.TicketFilter, now time.Time) []uint64 {
	var ids []*ticket.Ticket
	for _, t := range all {
		statuses := f.Statuses
		if f.Status != nil {
			statuses = []ticket.Status{*f.Status}
		}
		switch {
		case len(statuses) > 0 && !slices.Contains(statuses, t.Status),
			f.Agency != nil && t.Agency != *f.Agency,
			f.Assignee != nil && t.Assignee != *f.Assignee,
			f.Requester != nil && t.Requester.Email != *f.Requester,
			f.Municipality != nil && t.Requester.Municipality.Number != *f.Municipality,
			f.County != nil && t.Requester.County.Number != *f.County,
			f.Overdue && (t.DueAt().IsZero() || now.Before(t.DueAt())),
			f.Channel != nil && t.Channel != *f.Channel:
			continue
		}
		ids = append(ids, t)
	}
	at := func(t *ticket.Ticket) time.Time {
		switch {
		case f.Overdue:
			return t.DueAt()
		case f.Sort == ticket.SortCreatedAsc || f.Sort == ticket.SortCreatedDesc:
			return t.CreatedAt
		}
		return t.UpdatedAt
	}
	desc := !f.Overdue && (f.Sort == "" || f.Sort == ticket.SortUpdatedDesc || f.Sort == ticket.SortCreatedDesc)
	slices.SortFunc(ids, func(a, b *ticket.Ticket) int {
		c := at(a).Compare(at(b))
		if c == 0 {
			c = int(a.ID) - int(b.ID)
		}
		if desc {
			return -c
		}
		return c
	})
	var out []uint64
	for _, t := range ids {
		out = append(out, t.ID)
	}
	return out
}

func TestFindTickets(t *testing.T) {
	db, clock := mustOpenDB(t)
	all := seedTickets(t, db, clock, 300)
	s := data.NewTicketService(db)
	active := []ticket.Status{ticket.StatusNew, ticket.StatusOpen, ticket.StatusWaiting, ticket.StatusReferred}
	tests := []struct {
		name string
		f    ticket.TicketFilter
	}{
		{"all newest first", ticket.TicketFilter{}},
		{"all oldest first", ticket.TicketFilter{Sort: ticket.SortUpdatedAsc}},
		{"created desc", ticket.TicketFilter{Sort: ticket.SortCreatedDesc}},
		{"created asc", ticket.TicketFilter{Sort: ticket.SortCreatedAsc}},
		{"status", ticket.TicketFilter{Status: ptr(ticket.StatusNew)}},
		{"status oldest first", ticket.TicketFilter{Status: ptr(ticket.StatusOpen), Sort: ticket.SortUpdatedAsc}},
		{"active statuses", ticket.TicketFilter{Statuses: active}},
		{"active statuses and agency", ticket.TicketFilter{Statuses: active, Agency: ptr("nav")}},
		{"agency only", ticket.TicketFilter{Agency: ptr("skatteetaten")}},
		{"agency ascending", ticket.TicketFilter{Agency: ptr("skatteetaten"), Sort: ticket.SortUpdatedAsc}},
		{"status and agency", ticket.TicketFilter{Status: ptr(ticket.StatusNew), Agency: ptr("ks")}},
		{"assignee", ticket.TicketFilter{Assignee: ptr("ola@ks.no")}},
		{"unassigned new", ticket.TicketFilter{Assignee: ptr(""), Status: ptr(ticket.StatusNew)}},
		{"requester", ticket.TicketFilter{Requester: ptr("PERSON3@kommune.no")}},
		{"requester oldest first", ticket.TicketFilter{Requester: ptr("person3@kommune.no"), Sort: ticket.SortCreatedAsc}},
		{"municipality", ticket.TicketFilter{Municipality: ptr("3405")}},
		{"channel and status", ticket.TicketFilter{Channel: ptr(ticket.ChannelWeb), Statuses: active}},
		{"no match", ticket.TicketFilter{Agency: ptr("nasjonalbiblioteket")}},
		{"mine and active", ticket.TicketFilter{Assignee: ptr("ola@ks.no"), Statuses: active}},
		{"unassigned, agency", ticket.TicketFilter{Assignee: ptr(""), Agency: ptr("nav")}},
		{"unassigned, oldest first", ticket.TicketFilter{Assignee: ptr(""), Sort: ticket.SortUpdatedAsc}},
		{"municipality and agency", ticket.TicketFilter{Municipality: ptr("4601"), Agency: ptr("ks"), Statuses: active}},
		{"county", ticket.TicketFilter{County: ptr("34")}},
		{"county and status", ticket.TicketFilter{County: ptr("46"), Status: ptr(ticket.StatusNew)}},
		{"channel and agency", ticket.TicketFilter{Channel: ptr(ticket.ChannelWeb), Agency: ptr("skatteetaten")}},
		{"two facets", ticket.TicketFilter{Assignee: ptr(""), County: ptr("03"), Channel: ptr(ticket.ChannelEmail)}},
		{"overdue", ticket.TicketFilter{Overdue: true}},
		{"overdue, agency", ticket.TicketFilter{Overdue: true, Agency: ptr("nav")}},
		{"overdue, new", ticket.TicketFilter{Overdue: true, Status: ptr(ticket.StatusNew)}},
		{"overdue, county", ticket.TicketFilter{Overdue: true, County: ptr("34")}},
		{"overdue, two facets and agency", ticket.TicketFilter{Overdue: true, County: ptr("34"), Channel: ptr(ticket.ChannelEmail), Agency: ptr("ks")}},
		{"unknown municipality", ticket.TicketFilter{Municipality: ptr("9999")}},
	}
	for _, tt := range tests {
		for _, limit := range []int{7, 50} {
			t.Run(fmt.Sprintf("%s/limit %d", tt.name, limit), func(t *testing.T) {
				f := tt.f
				if f.Requester != nil {
					f.Requester = ptr(lower(*f.Requester))
				}
				want := reference(all, f, clock.Now())
				var got []uint64
				f = tt.f
				f.Limit = limit
				for page := 0; ; page++ {
					list, total, err := s.FindTickets(context.Background(), f)
					if err != nil {
						t.Fatal(err)
					}
					if total != len(want) {
						t.Fatalf("page %d: total = %d, want %d", page, total, len(want))
					}
					for _, tk := range list {
						got = append(got, tk.ID)
					}
					if len(list) < limit {
						break
					}
					order := f.Sort
					if f.Overdue {
						order = ticket.SortDueAsc
					}
					f.Cursor = list[len(list)-1].Cursor(order)
					if page > 100 {
						t.Fatal("paging does not end")
					}
				}
				if !slices.Equal(got, want) {
					t.Fatalf("got %d ids %v\nwant %d ids %v", len(got), head(got), len(want), head(want))
				}
			})
		}
	}
}

func TestFindTicketsErrors(t *testing.T) {
	db, _ := mustOpenDB(t)
	s := data.NewTicketService(db)
	for name, f := range map[string]ticket.TicketFilter{
		"ErrSort":    {Sort: "random"},
		"ErrStatus":  {Status: ptr(ticket.Status("ferdig"))},
		"ErrCursor":  {Cursor: "not-a-cursor"},
		"ErrDueSort": {Sort: ticket.SortDueAsc},
	} {
		if _, _, err := s.FindTickets(context.Background(), f); ticket.ErrorCode(err) != ticket.EINVALID {
			t.Errorf("%s: got %v, want EINVALID", name, err)
		}
	}
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 32
		}
	}
	return string(b)
}

func head(ids []uint64) []uint64 {
	if len(ids) > 12 {
		return ids[:12]
	}
	return ids
}

// TestFindTicketsCountFailsOnUnreadableTicket: a ticket that cannot be read fails the page's
// count too, also when it lies before the cursor, where only the count reads it; the total
// used to leave it out without a word.
func TestFindTicketsCountFailsOnUnreadableTicket(t *testing.T) {
	db, clock := mustOpenDB(t)
	s := data.NewTicketService(db)
	var all []*ticket.Ticket
	for i := range 3 {
		clock.Add(time.Minute)
		tk, m := newTicket(fmt.Sprintf("Sak %d", i), "kari@hamar.kommune.no", "ks")
		tk.Tags = []string{"kurs"}
		if err := s.CreateTicket(context.Background(), tk, m, ticket.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
		all = append(all, tk)
	}
	f := ticket.TicketFilter{Tag: ptr("kurs"), Limit: 1} // a tag is counted by reading the tickets
	page, total, err := s.FindTickets(context.Background(), f)
	if err != nil || len(page) != 1 || page[0].ID != all[2].ID || total != 3 {
		t.Fatalf("first page: %d tickets, total %d, %v", len(page), total, err)
	}
	if err := db.CorruptTicketForTest(all[2].ID); err != nil {
		t.Fatal(err)
	}
	f.Cursor = page[0].Cursor(ticket.SortUpdatedDesc)
	if page, total, err := s.FindTickets(context.Background(), f); err == nil {
		t.Errorf("next page: %d tickets, total %d, no error; want the unreadable ticket's error", len(page), total)
	}
}
