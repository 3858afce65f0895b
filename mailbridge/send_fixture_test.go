package mailbridge_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/mailbridge"
	"github.com/ks-no/digihjelpen/ticket"
	"github.com/ks-no/digihjelpen/ticket/compose"
)

// fixture is a real bbolt store with a movable clock, a composer and a unique tag for the
// addresses of one test.
type fixture struct {
	t        testing.TB
	db       *data.DB
	clock    *clock
	tickets  *data.TicketService
	outbox   *data.OutboxService
	composer *compose.Composer
	uniq     string
	seq      int
	logs     *bytes.Buffer
}

type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time         { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Add(d time.Duration)    { c.mu.Lock(); defer c.mu.Unlock(); c.now = c.now.Add(d) }
func (c *clock) Set(t time.Time)        { c.mu.Lock(); defer c.mu.Unlock(); c.now = t }
func (f *fixture) ctx() context.Context { return context.Background() }

func newFixture(t testing.TB) *fixture {
	t.Helper()
	f := &fixture{t: t, clock: &clock{now: time.Now()}, uniq: fmt.Sprintf("%d", time.Now().UnixNano()), logs: &bytes.Buffer{}}
	f.db = data.NewDB(filepath.Join(t.TempDir(), "db", "digihjelpen.db"))
	f.db.Now = f.clock.Now
	if err := f.db.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := f.db.Verify(context.Background()); err != nil {
			t.Errorf("index check: %v", err)
		}
		f.db.Close()
	})
	f.tickets, f.outbox = data.NewTicketService(f.db), data.NewOutboxService(f.db)
	var err error
	if f.composer, err = compose.New("Digihjelpen kontaktpunkt <kontaktpunkt@digihjelpen.test>", "https://digihjelpen.test"); err != nil {
		t.Fatal(err)
	}
	return f
}

// sender returns an opened sender to addr without TLS; mods change it before Open.
func (f *fixture) sender(addr string, mods ...func(*mailbridge.Sender)) *mailbridge.Sender {
	f.t.Helper()
	s := &mailbridge.Sender{Addr: addr, TLS: "none", From: f.composer.From(), FromName: f.composer.FromName(),
		Outbox: f.outbox, Logger: slog.New(slog.NewTextHandler(f.logs, nil)), Timeout: 5 * time.Second, Now: f.clock.Now}
	for _, m := range mods {
		m(s)
	}
	if err := s.Open(); err != nil {
		f.t.Fatal(err)
	}
	return s
}

// requester is a unique address for this test.
func (f *fixture) requester(name string) string {
	return fmt.Sprintf("%s+%s@lillehammer.kommune.no", name, f.uniq)
}

// newTicket stores a mailed question from email and queues its acknowledgement.
func (f *fixture) newTicket(subject, email string) (*ticket.Ticket, *ticket.Message, *ticket.OutboundMail) {
	f.t.Helper()
	tk := &ticket.Ticket{Subject: subject, Status: ticket.StatusNew, Agency: "ks", Priority: ticket.PriorityNormal, Channel: ticket.ChannelEmail,
		Requester: ticket.Requester{Name: "Kari Nordmann", Email: email, Municipality: ticket.Municipality{Number: "3405", Name: "Lillehammer"}}}
	first := &ticket.Message{Direction: ticket.DirectionIn, From: email, FromName: "Kari Nordmann", Subject: subject,
		Text: "Hei, hvordan søker eldre om bostøtte på nett?", MessageID: fmt.Sprintf("<q%d.%s@lillehammer.kommune.no>", f.seq, f.uniq)}
	f.seq++
	var acks []*ticket.OutboundMail
	ack := func(t *ticket.Ticket, m *ticket.Message) ([]*ticket.OutboundMail, error) {
		out, err := f.composer.Ack(t, m)
		acks = out
		return out, err
	}
	if err := f.tickets.CreateTicket(f.ctx(), tk, first, ticket.CreateOptions{Acknowledge: ack}); err != nil {
		f.t.Fatal(err)
	}
	if len(acks) != 1 {
		f.t.Fatalf("acknowledgements %v, want one", acks)
	}
	return tk, first, acks[0]
}

// reply stores a staff reply composed as the web does it and returns its mail.
func (f *fixture) reply(tk *ticket.Ticket, text string) *ticket.OutboundMail {
	f.t.Helper()
	thread, err := f.tickets.FindMessages(f.ctx(), tk.ID)
	if err != nil {
		f.t.Fatal(err)
	}
	sent, err := f.outbox.FindOutbox(f.ctx(), ticket.OutboxFilter{TicketID: &tk.ID})
	if err != nil {
		f.t.Fatal(err)
	}
	m, out, err := f.composer.Reply(tk, thread, sent, compose.Draft{Text: text, Author: "ola@ks.no"})
	if err != nil {
		f.t.Fatal(err)
	}
	if _, err := f.tickets.AppendMessage(f.ctx(), tk.ID, m, ticket.AppendOptions{Out: []*ticket.OutboundMail{out}}); err != nil {
		f.t.Fatal(err)
	}
	return out
}

// mail returns the outbox record of id.
func (f *fixture) mail(id uint64) *ticket.OutboundMail {
	f.t.Helper()
	list, err := f.outbox.FindOutbox(f.ctx(), ticket.OutboxFilter{Limit: ticket.MaxLimit})
	if err != nil {
		f.t.Fatal(err)
	}
	for _, m := range list {
		if m.ID == id {
			return m
		}
	}
	f.t.Fatalf("no mail %d in the outbox", id)
	return nil
}
