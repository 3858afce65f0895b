package data_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/ticket"
	"github.com/ks-no/digihjelpen/ticket/notify"
)

// notifyEnv is a database with two agents (Kari and Ola), a reader, and the planner.
type notifyEnv struct {
	db      *data.DB
	clock   *testClock
	tickets *data.TicketService
	notify  *data.NotifyService
	outbox  *data.OutboxService
	planner *notify.Planner
	kari    *ticket.User
	ola     *ticket.User
}

// plannerForBench is the planner of the tests.
func (e *notifyEnv) plannerForBench() *notify.Planner {
	return &notify.Planner{BaseURL: "https://kontakt.ks.no", Domain: "ks.no", Agencies: ticket.Agencies{{Key: "ks", Name: "KS"}, {Key: "nav", Name: "NAV"}}}
}

func newNotifyEnv(t *testing.T) *notifyEnv {
	t.Helper()
	db, clock := mustOpenDB(t)
	e := &notifyEnv{db: db, clock: clock, tickets: data.NewTicketService(db), notify: data.NewNotifyService(db),
		outbox: data.NewOutboxService(db)}
	e.planner = e.plannerForBench()
	users := data.NewUserService(db)
	for _, u := range []*ticket.User{
		{Email: "kari@ks.no", Name: "Kari", Role: ticket.RoleAgent, PasswordHash: "x"},
		{Email: "ola@ks.no", Name: "Ola", Role: ticket.RoleAdmin, PasswordHash: "x"},
		{Email: "leder@ks.no", Name: "Leder", Role: ticket.RoleReader, PasswordHash: "x"},
	} {
		if err := users.CreateUser(context.Background(), u); err != nil {
			t.Fatal(err)
		}
	}
	e.kari, _ = users.FindUserByEmail(context.Background(), "kari@ks.no")
	e.ola, _ = users.FindUserByEmail(context.Background(), "ola@ks.no")
	return e
}

// as is a context whose actor is the user with email.
func as(email string) context.Context {
	return ticket.NewContextWithActor(context.Background(), ticket.Actor{Name: email, Role: ticket.RoleAgent})
}

// drain plans the queue and returns the mail it queued, by recipient.
func (e *notifyEnv) drain(t *testing.T) map[string][]*ticket.OutboundMail {
	t.Helper()
	before := e.mailIDs(t)
	if _, err := e.notify.DrainNotifications(context.Background(), e.planner.Plan); err != nil {
		t.Fatal(err)
	}
	if n, _ := e.notify.PendingNotifications(context.Background()); n != 0 {
		t.Fatalf("%d notifications still queued after a drain", n)
	}
	return e.mailSince(t, before)
}

// mailSince is the notification mail queued since before, by recipient.
func (e *notifyEnv) mailSince(t *testing.T, before map[uint64]bool) map[string][]*ticket.OutboundMail {
	t.Helper()
	out := map[string][]*ticket.OutboundMail{}
	list, err := e.outbox.FindOutbox(context.Background(), ticket.OutboxFilter{Limit: ticket.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range list {
		if before[m.ID] || (m.Kind != ticket.MailNotification && m.Kind != ticket.MailDigest) {
			continue
		}
		out[m.To[0]] = append(out[m.To[0]], m)
	}
	return out
}

func (e *notifyEnv) mailIDs(t *testing.T) map[uint64]bool {
	list, err := e.outbox.FindOutbox(context.Background(), ticket.OutboxFilter{Limit: ticket.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	ids := map[uint64]bool{}
	for _, m := range list {
		ids[m.ID] = true
	}
	return ids
}

func (e *notifyEnv) save(t *testing.T, s ticket.NotifySettings) {
	t.Helper()
	if err := e.notify.SaveNotifySettings(context.Background(), s); err != nil {
		t.Fatal(err)
	}
}

func TestNotifyDefaultsAssignedAndReply(t *testing.T) {
	e := newNotifyEnv(t)
	tk := mustCreate(t, e.tickets, "Kurs i BankID", "per@hamar.kommune.no", "ks")
	if got := e.drain(t); len(got) != 0 {
		t.Fatalf("a new ticket notified %v; nobody follows KS by default", keys(got))
	}
	if _, err := e.tickets.UpdateTicket(as("ola@ks.no"), tk.ID, ticket.TicketUpdate{Assignee: ptr("kari@ks.no")}); err != nil {
		t.Fatal(err)
	}
	got := e.drain(t)
	if len(got) != 1 || len(got["kari@ks.no"]) != 1 {
		t.Fatalf("assigning by Ola: mail to %v, want one to Kari", keys(got))
	}
	m := got["kari@ks.no"][0]
	for _, want := range []string{"Tildelt deg av Ola", tk.Ref.String(), "Kurs i BankID", "https://kontakt.ks.no/saker/" + tk.Ref.String(), "/konto/varsler"} {
		if !strings.Contains(m.Subject+m.Text, want) {
			t.Errorf("assigned mail lacks %q:\n%s\n%s", want, m.Subject, m.Text)
		}
	}
	if strings.Contains(m.Text, "Hvor finner jeg kursmateriell") {
		t.Error("the notification carries the message's text")
	}
	if m.TicketID != 0 || strings.Contains(m.MessageID, tk.Ref.String()) {
		t.Errorf("the notification belongs to the ticket (%d, %s): a reply to it would thread in", m.TicketID, m.MessageID)
	}
	// the requester writes: Kari, whose ticket it is, is told; nobody else
	reply := &ticket.Message{Direction: ticket.DirectionIn, From: "per@hamar.kommune.no", Text: "Takk, men hva med kurset?"}
	if _, err := e.tickets.AppendMessage(as("per@hamar.kommune.no"), tk.ID, reply, ticket.AppendOptions{}); err != nil {
		t.Fatal(err)
	}
	if got := e.drain(t); len(got) != 1 || !strings.Contains(got["kari@ks.no"][0].Subject, "Ny melding fra innsender") {
		t.Fatalf("a reply: mail to %v, want one to Kari", keys(got))
	}
	// an out-of-office reply tells nobody
	ooo := &ticket.Message{Direction: ticket.DirectionIn, From: "per@hamar.kommune.no", Text: "Jeg er på ferie.", Auto: ticket.AutoReply}
	if _, err := e.tickets.AppendMessage(as("per@hamar.kommune.no"), tk.ID, ooo, ticket.AppendOptions{}); err != nil {
		t.Fatal(err)
	}
	if got := e.drain(t); len(got) != 0 {
		t.Fatalf("an automatic reply notified %v", keys(got))
	}
}

func TestNotifyNeverForOwnAction(t *testing.T) {
	e := newNotifyEnv(t)
	tk := mustCreate(t, e.tickets, "Kurs i BankID", "per@hamar.kommune.no", "ks")
	e.drain(t)
	if _, err := e.tickets.UpdateTicket(as("kari@ks.no"), tk.ID, ticket.TicketUpdate{Assignee: ptr("kari@ks.no")}); err != nil {
		t.Fatal(err)
	}
	if got := e.drain(t); len(got) != 0 {
		t.Fatalf("taking a ticket oneself notified %v", keys(got))
	}
	// Kari writes a note and replies on her own ticket: nothing
	note := &ticket.Message{Direction: ticket.DirectionNote, Author: "kari@ks.no", Text: "Ringer henne i morgen."}
	if _, err := e.tickets.AppendMessage(as("kari@ks.no"), tk.ID, note, ticket.AppendOptions{}); err != nil {
		t.Fatal(err)
	}
	if got := e.drain(t); len(got) != 0 {
		t.Fatalf("her own note notified %v", keys(got))
	}
}

func TestNotifyFollowedAgencyAndReaders(t *testing.T) {
	e := newNotifyEnv(t)
	s := ticket.DefaultNotifySettings(e.ola.ID)
	s.Kinds, s.Agencies = append(s.Kinds, ticket.NotifyNewTicket), []string{"nav"}
	e.save(t, s)
	mustCreate(t, e.tickets, "Om KS", "per@hamar.kommune.no", "ks")
	nav := mustCreate(t, e.tickets, "Dagpenger", "per@hamar.kommune.no", "nav")
	got := e.drain(t)
	if len(got) != 1 || len(got["ola@ks.no"]) != 1 || !strings.Contains(got["ola@ks.no"][0].Subject, nav.Ref.String()) {
		t.Fatalf("new tickets: mail to %v, want one to Ola about %s", keys(got), nav.Ref)
	}
	if !strings.Contains(got["ola@ks.no"][0].Subject, "Ny sak for NAV") {
		t.Errorf("subject %q", got["ola@ks.no"][0].Subject)
	}
	for to := range got {
		if to == "per@hamar.kommune.no" || to == "leder@ks.no" {
			t.Errorf("%s was notified: never requesters or readers", to)
		}
	}
}

// TestNotifyBurstIsOneMail: twenty tickets assigned in one bulk change are one mail to the
// assignee, listing them all.
func TestNotifyBurstIsOneMail(t *testing.T) {
	e := newNotifyEnv(t)
	var items []ticket.BulkItem
	for i := range 20 {
		tk := mustCreate(t, e.tickets, "Spørsmål "+string(rune('A'+i)), "per@hamar.kommune.no", "ks")
		items = append(items, ticket.BulkItem{TicketID: tk.ID, Version: tk.Version})
	}
	e.drain(t)
	res, err := e.tickets.UpdateTickets(as("ola@ks.no"), items, ticket.BulkChange{Update: ticket.TicketUpdate{Assignee: ptr("kari@ks.no")}})
	if err != nil || len(res.Changed) != 20 {
		t.Fatalf("bulk assign: %d changed, %v", len(res.Changed), err)
	}
	got := e.drain(t)
	if len(got) != 1 || len(got["kari@ks.no"]) != 1 {
		t.Fatalf("a burst of 20: mail %v, want one to Kari", keys(got))
	}
	m := got["kari@ks.no"][0]
	if !strings.Contains(m.Subject, "20 varsler i 20 saker") || strings.Count(m.Text, "/saker/DH-") != 20 {
		t.Errorf("burst mail:\n%s\n%s", m.Subject, m.Text)
	}
}

func TestNotifyDigest(t *testing.T) {
	e := newNotifyEnv(t)
	s := ticket.DefaultNotifySettings(e.kari.ID)
	s.Digest, s.DigestHour = true, 15
	e.save(t, s)
	tk := mustCreate(t, e.tickets, "Kurs i BankID", "per@hamar.kommune.no", "ks")
	if _, err := e.tickets.UpdateTicket(as("ola@ks.no"), tk.ID, ticket.TicketUpdate{Assignee: ptr("kari@ks.no")}); err != nil {
		t.Fatal(err)
	}
	if got := e.drain(t); len(got) != 0 {
		t.Fatalf("a digest user got mail at once: %v", keys(got))
	}
	digests := func() int {
		n, err := e.notify.SendDigests(context.Background(), e.planner.Digest)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := digests(); n != 0 { // 09:00, the hour is 15
		t.Fatalf("%d digests before the hour", n)
	}
	e.clock.Add(6 * time.Hour)
	before := e.mailIDs(t)
	if n := digests(); n != 1 {
		t.Fatalf("%d digests at the hour, want 1", n)
	}
	got := e.mailSince(t, before)
	m := got["kari@ks.no"]
	if len(m) != 1 || m[0].Kind != ticket.MailDigest || !strings.Contains(m[0].Text, tk.Ref.String()) || !strings.Contains(m[0].Subject, "Daglig oppsummering") {
		t.Fatalf("digest: %v", got)
	}
	if n := digests(); n != 0 {
		t.Fatalf("a second digest the same day: %d", n)
	}
}

func TestWarnDueSoon(t *testing.T) {
	e := newNotifyEnv(t)
	// Monday 23 November 09:00: a ticket's first response is due at 17:00 business time, that
	// is Tuesday 09:00; at Tuesday 08:30 it is within the hour.
	tk := mustCreate(t, e.tickets, "Haster", "per@hamar.kommune.no", "ks")
	if _, err := e.tickets.UpdateTicket(as("ola@ks.no"), tk.ID, ticket.TicketUpdate{Assignee: ptr("kari@ks.no")}); err != nil {
		t.Fatal(err)
	}
	e.drain(t)
	s := ticket.DefaultNotifySettings(e.kari.ID)
	s.Kinds = append(s.Kinds, ticket.NotifyDueSoon)
	e.save(t, s)
	warn := func() int {
		n, err := e.notify.WarnDueSoon(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := warn(); n != 0 {
		t.Fatalf("warned %d at once", n)
	}
	e.clock.Add(23*time.Hour + 30*time.Minute)
	if n := warn(); n != 1 {
		t.Fatalf("warned %d within the hour, want 1", n)
	}
	if n := warn(); n != 0 {
		t.Fatalf("warned again: %d", n)
	}
	got := e.drain(t)
	if len(got["kari@ks.no"]) != 1 || !strings.Contains(got["kari@ks.no"][0].Subject, "Første svar forfaller 24.11.2026 kl. 09:00") {
		t.Fatalf("due soon: %v", got)
	}
	events, _ := data.NewEventService(e.db).FindEvents(context.Background(), tk.ID)
	if !slices.ContainsFunc(events, func(ev *ticket.Event) bool { return ev.Kind == ticket.EventFirstResponseDue }) {
		t.Error("the warning is not in the history")
	}
	mustVerify(t, e.db)
}

// TestNotifyBulkLoadIsQuiet: generated and migrated history notifies nobody.
func TestNotifyBulkLoadIsQuiet(t *testing.T) {
	e := newNotifyEnv(t)
	tk, m := newTicket("Gammel sak", "per@hamar.kommune.no", "ks")
	tk.Assignee, tk.CreatedAt, tk.UpdatedAt = "kari@ks.no", e.clock.Now(), e.clock.Now()
	m.CreatedAt = e.clock.Now()
	err := e.db.BulkLoad(context.Background(), []data.BulkTicket{{Ticket: tk, Messages: []*ticket.Message{m},
		Events: []*ticket.Event{{Kind: ticket.EventCreated, Actor: "system", At: e.clock.Now()}, {Kind: ticket.EventAssigned, Actor: "ola@ks.no", To: "kari@ks.no", At: e.clock.Now()}}}})
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := e.notify.PendingNotifications(context.Background()); n != 0 {
		t.Fatalf("bulk load queued %d notifications", n)
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
