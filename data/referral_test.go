package data_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/data/datagen"
	"github.com/ks-no/digihjelpen/ticket"
)

// refer sends tk to agency as the outbox does: a referral mail appended with a Referral.
func refer(t *testing.T, s *data.TicketService, tk *ticket.Ticket, agency string, remindAt time.Time) {
	t.Helper()
	m := &ticket.Message{Direction: ticket.DirectionOut, From: "kontaktpunkt@ks.no", To: []string{"svar@" + agency + ".no"},
		Text: "Kan dere svare på dette?", MessageID: "<ref-" + agency + "-" + tk.Ref.String() + "@digihjelpen.test>"}
	if _, err := s.AppendMessage(context.Background(), tk.ID, m, ticket.AppendOptions{Referral: &ticket.Referral{Agency: agency, Note: "til dere", RemindAt: remindAt}}); err != nil {
		t.Fatal(err)
	}
}

func TestReferralReminders(t *testing.T) {
	ctx := context.Background()
	db, clock := mustOpenDB(t)
	s := data.NewTicketService(db)
	const after = 5 * 24 * time.Hour

	old := mustCreate(t, s, "Meldekort", "a@hamar.kommune.no", "nav")
	refer(t, s, old, "nav", time.Time{})
	clock.Add(3 * 24 * time.Hour)
	early := mustCreate(t, s, "Skattekort", "b@hamar.kommune.no", "skatteetaten")
	refer(t, s, early, "skatteetaten", clock.Now().Add(time.Hour)) // an explicit reminder time wins
	recent := mustCreate(t, s, "Pensjon", "c@hamar.kommune.no", "nav")
	refer(t, s, recent, "nav", time.Time{})
	mustVerify(t, db)

	open, err := s.FindOpenReferrals(ctx)
	if err != nil || len(open) != 3 || open[0].TicketID != old.ID {
		t.Fatalf("open referrals: %v %+v", err, open)
	}
	if marked, err := s.MarkOverdueReferrals(ctx, after); err != nil || len(marked) != 0 {
		t.Fatalf("after 3 days: got %v %v, want none overdue", marked, err)
	}

	clock.Add(2*24*time.Hour + time.Minute) // old is 5 days, early is past its own time
	due, _ := s.FindOverdueReferrals(ctx, clock.Now(), after)
	if len(due) != 2 {
		t.Fatalf("got %d due, want 2", len(due))
	}
	marked, err := s.MarkOverdueReferrals(ctx, after)
	if err != nil || len(marked) != 2 {
		t.Fatalf("got %v %v, want 2 marked", marked, err)
	}
	mustVerify(t, db)
	got, _ := s.FindTicketByID(ctx, old.ID)
	if !got.HasTag(ticket.TagReferralOverdue) || got.Referrals[0].RemindedAt.IsZero() || !got.UpdatedAt.Equal(clock.Now().UTC().Truncate(time.Microsecond)) {
		t.Fatalf("old ticket not flagged: %+v", got)
	}
	if n, _ := s.MarkOverdueReferrals(ctx, after); len(n) != 0 {
		t.Fatalf("a second run marked %d again", len(n))
	}
	events, _ := data.NewEventService(db).FindEvents(ctx, old.ID)
	if last := events[len(events)-1]; last.Kind != ticket.EventOverdue || last.To != "nav" {
		t.Fatalf("last event %+v, want overdue to nav", last)
	}
	filtered, _, _ := s.FindTickets(ctx, ticket.TicketFilter{Tag: ptr(ticket.TagReferralOverdue)})
	if len(filtered) != 2 {
		t.Fatalf("inbox filter on the tag found %d, want 2", len(filtered))
	}

	// The agency answers: the referral is answered, leaves the open list, and the tag goes.
	answer := &ticket.Message{Direction: ticket.DirectionIn, From: "svar@nav.no", Text: "Svar fra NAV", MessageID: "<svar-1@nav.test>"}
	if _, err := s.AppendMessage(ctx, old.ID, answer, ticket.AppendOptions{AnsweredBy: "nav"}); err != nil {
		t.Fatal(err)
	}
	mustVerify(t, db)
	got, _ = s.FindTicketByID(ctx, old.ID)
	if got.HasTag(ticket.TagReferralOverdue) || got.Referrals[0].Status != ticket.ReferralAnswered {
		t.Fatalf("after the answer: tags %v, referral %+v", got.Tags, got.Referrals[0])
	}
	if open, _ := s.FindOpenReferrals(ctx); len(open) != 2 {
		t.Fatalf("got %d open after the answer, want 2", len(open))
	}

	// A resolved ticket needs no reminder; reopened, its referral is open again.
	agent := ticket.NewContextWithActor(ctx, ticket.Actor{Name: "ola@ks.no", Role: ticket.RoleAgent})
	if _, err := s.UpdateTicket(agent, recent.ID, ticket.TicketUpdate{Status: ptr(ticket.StatusResolved)}); err != nil {
		t.Fatal(err)
	}
	mustVerify(t, db)
	if open, _ := s.FindOpenReferrals(ctx); len(open) != 1 {
		t.Fatalf("got %d open after resolving one, want 1", len(open))
	}
	if _, err := s.UpdateTicket(agent, recent.ID, ticket.TicketUpdate{Status: ptr(ticket.StatusOpen)}); err != nil {
		t.Fatal(err)
	}
	if open, _ := s.FindOpenReferrals(ctx); len(open) != 2 {
		t.Fatalf("got %d open after reopening, want 2", len(open))
	}
}

func TestReferralRemindersOff(t *testing.T) {
	db, clock := mustOpenDB(t)
	s := data.NewTicketService(db)
	tk := mustCreate(t, s, "Meldekort", "a@hamar.kommune.no", "nav")
	refer(t, s, tk, "nav", time.Time{})
	clock.Add(100 * 24 * time.Hour)
	if marked, err := s.MarkOverdueReferrals(context.Background(), 0); err != nil || len(marked) != 0 {
		t.Fatalf("with no delay configured: got %v %v", marked, err)
	}
}

func TestManualReroute(t *testing.T) {
	ctx := ticket.NewContextWithActor(context.Background(), ticket.Actor{Name: "ola@ks.no", Role: ticket.RoleAgent})
	db, _ := mustOpenDB(t)
	s := data.NewTicketService(db)
	tk, m := newTicket("Meldekort", "a@hamar.kommune.no", "ks")
	tk.Routing = ticket.Routing{Rule: "standard", Reason: "ingen regel passet"}
	tk.Template = "skatt"
	if err := s.CreateTicket(ctx, tk, m, ticket.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	if back, _ := s.FindTicketByID(ctx, tk.ID); back.Template != "skatt" {
		t.Fatalf("template %q not kept", back.Template)
	}
	got, err := s.UpdateTicket(ctx, tk.ID, ticket.TicketUpdate{Agency: ptr("nav")})
	if err != nil {
		t.Fatal(err)
	}
	if got.Routing.Rule != ticket.RuleManual || got.Routing.Reason != "etaten ble endret av ola@ks.no" {
		t.Fatalf("routing after a manual change: %+v", got.Routing)
	}
	events, _ := data.NewEventService(db).FindEvents(ctx, tk.ID)
	kinds := map[ticket.EventKind]bool{}
	for _, e := range events {
		kinds[e.Kind] = true
	}
	last := events[len(events)-1]
	if !kinds[ticket.EventRouted] || last.Kind != ticket.EventAgency || last.From != "ks" || last.To != "nav" || last.Detail != "manuell: etaten ble endret av ola@ks.no" {
		t.Fatalf("events %+v", events)
	}
}

func TestMigrationIndexesOpenReferrals(t *testing.T) {
	db, _ := mustOpenDB(t)
	s := data.NewTicketService(db)
	tk := mustCreate(t, s, "Meldekort", "a@hamar.kommune.no", "nav")
	refer(t, s, tk, "nav", time.Time{})
	if err := db.DropReferralIndexForTest(); err != nil {
		t.Fatal(err)
	}
	if err := db.SetSchemaVersionForTest(1); err != nil {
		t.Fatal(err)
	}
	if db.Verify(context.Background()) == nil {
		t.Fatal("Verify did not notice the missing index")
	}
	path := db.Path
	db.Close()
	db2 := data.NewDB(path)
	if err := db2.Open(); err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	mustVerify(t, db2)
	if open, _ := data.NewTicketService(db2).FindOpenReferrals(context.Background()); len(open) != 1 {
		t.Fatalf("after the migration: %d open referrals, want 1", len(open))
	}
}

// BenchmarkFindOpenReferrals100k lists the open referrals of 100,000 generated tickets (the
// /henvisninger page and each run of the reminder job read them all).
func BenchmarkFindOpenReferrals100k(b *testing.B) {
	db, err := datagen.OpenCached(context.Background(), filepath.Join("..", "var", "bench"), datagen.YearOf100k)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	s := data.NewTicketService(db)
	n := 0
	for b.Loop() {
		open, err := s.FindOpenReferrals(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		n = len(open)
	}
	b.ReportMetric(float64(n), "referrals")
}

// TestReferralRemindersInBatches: the first run on a database with more overdue referrals than
// one transaction takes marks them all, batch by batch, and the next run marks none again.
func TestReferralRemindersInBatches(t *testing.T) {
	ctx := context.Background()
	db, clock := mustOpenDB(t)
	const n = 1100 // more than two batches
	sent := clock.Now().AddDate(0, 0, -30)
	var items []data.BulkTicket
	for i := range n {
		tk, m := newTicket("Henvist sak", "a@hamar.kommune.no", "nav")
		tk.Status, tk.CreatedAt, tk.UpdatedAt = ticket.StatusReferred, sent, sent
		tk.Referrals = []ticket.Referral{{Agency: "nav", Status: ticket.ReferralSent, SentAt: sent}}
		m.CreatedAt = sent
		m.MessageID = "<batch-" + time.Duration(i).String() + "@test>"
		items = append(items, data.BulkTicket{Ticket: tk, Messages: []*ticket.Message{m},
			Events: []*ticket.Event{{Kind: ticket.EventCreated, Actor: "a@hamar.kommune.no", At: sent},
				{Kind: ticket.EventStatus, Actor: "system", From: string(ticket.StatusNew), To: string(ticket.StatusReferred), At: sent}}})
	}
	if err := db.BulkLoad(ctx, items); err != nil {
		t.Fatal(err)
	}
	s := data.NewTicketService(db)
	marked, err := s.MarkOverdueReferrals(ctx, 7*24*time.Hour)
	if err != nil || len(marked) != n {
		t.Fatalf("marked %d, %v; want %d", len(marked), err, n)
	}
	tag := ticket.TagReferralOverdue
	if _, total, _ := s.FindTickets(ctx, ticket.TicketFilter{Tag: &tag, Limit: 1}); total != n {
		t.Fatalf("%d tickets tagged overdue, want %d", total, n)
	}
	if again, err := s.MarkOverdueReferrals(ctx, 7*24*time.Hour); err != nil || len(again) != 0 {
		t.Fatalf("second run marked %d, %v; want 0", len(again), err)
	}
	mustVerify(t, db)
}
