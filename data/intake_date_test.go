package data_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/ticket"
)

// TestIngestKeepDate: with KeepDate (import) a new ticket, its message, its history and its
// statistics carry the mail's own Date; a missing, unreadable, implausibly early or future
// Date falls back to the time of storing and says why; without KeepDate (IMAP) the time of
// storing counts. The acknowledgement goes out now whatever the mail's date.
func TestIngestKeepDate(t *testing.T) {
	old := time.Date(2024, 12, 31, 23, 30, 0, 0, ticket.Oslo) // ISO week 2025-W01
	tests := []struct {
		name       string
		date       time.Time
		unreadable bool
		keep       bool
		want       func(now time.Time) time.Time
		undated    ticket.DateFallback
	}{
		{name: "Dated", date: old, keep: true, want: func(time.Time) time.Time { return old }},
		{name: "IMAPKeepsArrival", date: old, keep: false, want: func(now time.Time) time.Time { return now }},
		{name: "Missing", keep: true, want: func(now time.Time) time.Time { return now }, undated: ticket.DateMissing},
		{name: "Unreadable", unreadable: true, keep: true, want: func(now time.Time) time.Time { return now }, undated: ticket.DateUnreadable},
		{name: "Epoch", date: time.Unix(0, 0), keep: true, want: func(now time.Time) time.Time { return now }, undated: ticket.DateUnreadable},
		{name: "Future", date: time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC), keep: true, want: func(now time.Time) time.Time { return now }, undated: ticket.DateFuture},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newIntakeEnv(t)
			ctx := context.Background()
			m := mail("kari@hamar.kommune.no", "Kurs", "<q-"+tt.name+"@hamar>")
			m.Date, m.DateUnreadable = tt.date, tt.unreadable
			res := e.ingest(m, ticket.IngestOptions{KeepDate: tt.keep})
			now := e.clock.Now().UTC()
			want := tt.want(now)
			if res.Outcome != ticket.IntakeCreated || res.Undated != tt.undated {
				t.Fatalf("got %+v, want created, undated %q", res, tt.undated)
			}
			tk := e.ticket(res.TicketID)
			msgs, _ := e.tickets.FindMessages(ctx, tk.ID)
			events, _ := data.NewEventService(e.db).FindEvents(ctx, tk.ID)
			if !tk.CreatedAt.Equal(want) || !tk.UpdatedAt.Equal(want) || !msgs[0].CreatedAt.Equal(want) || !events[0].At.Equal(want) {
				t.Errorf("ticket %v/%v, message %v, event %v; want %v", tk.CreatedAt, tk.UpdatedAt, msgs[0].CreatedAt, events[0].At, want)
			}
			if tk.Ref.Year != want.In(ticket.Oslo).Year() {
				t.Errorf("reference %s, want the year of %v", tk.Ref, want)
			}
			out, _ := data.NewOutboxService(e.db).FindOutbox(ctx, ticket.OutboxFilter{TicketID: &tk.ID})
			if len(out) != 1 || !out[0].CreatedAt.Equal(now) || !out[0].NextTry.Equal(now) {
				t.Errorf("acknowledgement %+v, want queued now (%v)", out, now)
			}
			r, err := data.NewStatsService(e.db).WeeklyReport(ctx, ticket.WeekOf(want))
			if err != nil || r.New != 1 {
				t.Errorf("week %s: %d new (%v), want 1", ticket.WeekOf(want), r.New, err)
			}
		})
	}
}

// TestIngestKeepDateThread: an imported reply keeps its own date and moves the ticket's last
// change; one dated before the ticket's last change is put right after it, so a thread and
// its history stay in order. Import of a busy sender's mail over months is no loop: the sender
// limit counts in the mails' own time.
func TestIngestKeepDateThread(t *testing.T) {
	e := newIntakeEnv(t)
	ctx := context.Background()
	keep := ticket.IngestOptions{KeepDate: true}
	q := mail("kari@hamar.kommune.no", "Kurs", "<tq@hamar>")
	q.Date = time.Date(2025, 1, 6, 9, 0, 0, 0, ticket.Oslo)
	first := e.ingest(q, keep)
	r := reply(mail("kari@hamar.kommune.no", "SV: Kurs", "<tr@hamar>"), "<tq@hamar>")
	r.Date = time.Date(2025, 1, 16, 14, 0, 0, 0, ticket.Oslo)
	if res := e.ingest(r, keep); res.Outcome != ticket.IntakeAppended || res.TicketID != first.TicketID || res.Undated != "" {
		t.Fatalf("reply: %+v", res)
	}
	late := reply(mail("kari@hamar.kommune.no", "SV: Kurs", "<tr0@hamar>"), "<tq@hamar>")
	late.Date = time.Date(2025, 1, 10, 14, 0, 0, 0, ticket.Oslo) // older than the reply already stored
	e.ingest(late, keep)
	msgs, _ := e.tickets.FindMessages(ctx, first.TicketID)
	if !msgs[1].CreatedAt.Equal(r.Date) || !msgs[2].CreatedAt.Equal(r.Date) || !e.ticket(first.TicketID).UpdatedAt.Equal(r.Date) {
		t.Errorf("messages at %v, %v, ticket updated %v; want %v for both", msgs[1].CreatedAt, msgs[2].CreatedAt, e.ticket(first.TicketID).UpdatedAt, r.Date)
	}

	for i := range data.DefaultSenderLimit + 5 { // one a day
		m := mail("per@gran.kommune.no", "Spørsmål", fmt.Sprintf("<busy-%d@gran>", i))
		m.Date = time.Date(2025, 3, 1+i, 10, 0, 0, 0, ticket.Oslo)
		if res := e.ingest(m, keep); res.Outcome != ticket.IntakeCreated {
			t.Fatalf("mail %d of a busy sender: %+v, want a ticket", i, res)
		}
	}
}
