package data_test

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/ticket"
)

// testClock is a clock tests move by hand.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// mustOpenDB opens a real bbolt file in a temp dir, with a clock starting 2026-11-23 09:00 Oslo.
func mustOpenDB(tb testing.TB) (*data.DB, *testClock) {
	tb.Helper()
	clock := &testClock{now: time.Date(2026, 11, 23, 9, 0, 0, 0, ticket.Oslo)}
	db := data.NewDB(filepath.Join(tb.TempDir(), "db", "digihjelpen.db"))
	db.Now = clock.Now
	if err := db.Open(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := db.Close(); err != nil {
			tb.Error(err)
		}
	})
	return db, clock
}

// mustVerify fails the test when an index disagrees with the records.
func mustVerify(tb testing.TB, db *data.DB) {
	tb.Helper()
	if err := db.Verify(context.Background()); err != nil {
		tb.Fatalf("index check: %v", err)
	}
}

func newTicket(subject, email, agency string) (*ticket.Ticket, *ticket.Message) {
	t := &ticket.Ticket{
		Subject: subject, Status: ticket.StatusNew, Agency: agency, Priority: ticket.PriorityNormal,
		Channel: ticket.ChannelEmail, Requester: ticket.Requester{Name: "Kari Nordmann", Email: email},
	}
	m := &ticket.Message{Direction: ticket.DirectionIn, From: email, Subject: subject, Text: "Hei! Hvor finner jeg kursmateriell for nybegynnere?"}
	return t, m
}

func mustCreate(tb testing.TB, s *data.TicketService, subject, email, agency string) *ticket.Ticket {
	tb.Helper()
	t, m := newTicket(subject, email, agency)
	if err := s.CreateTicket(context.Background(), t, m, ticket.CreateOptions{}); err != nil {
		tb.Fatal(err)
	}
	return t
}

func ptr[T any](v T) *T { return &v }
