package data_test

import (
	"context"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/data/datagen"
	"github.com/ks-no/digihjelpen/ticket"
)

// TestStatsMigration opens a file written before the statistics existed (schema 2, no
// statistics buckets) and checks that Open builds them: same report, Verify clean.
func TestStatsMigration(t *testing.T) {
	ctx := context.Background()
	db, _ := mustOpenDB(t)
	if err := datagen.Scenario(ctx, db); err != nil {
		t.Fatal(err)
	}
	before, err := data.NewStatsService(db).WeeklyReport(ctx, datagen.ScenarioWeek)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	raw, err := bolt.Open(db.Path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = raw.Update(func(tx *bolt.Tx) error {
		for _, name := range []string{"stats_tickets", "idx_stats_facts", "stats_counts", "stats_names", "stats_mail"} {
			if err := tx.DeleteBucket([]byte(name)); err != nil {
				return err
			}
		}
		return tx.Bucket([]byte("meta")).Put([]byte("schema_version"), []byte{0, 0, 0, 0, 0, 0, 0, 2}) // before the statistics (2 -> 3)
	})
	if cerr := raw.Close(); err != nil || cerr != nil {
		t.Fatal(err, cerr)
	}

	ro := &data.DB{Path: db.Path, Now: db.Now, ReadOnly: true}
	if err := ro.Open(); err == nil {
		ro.Close()
		t.Fatal("a read-only open of an old file succeeded; it must ask for a read-write open to migrate")
	}
	data.SetStatsRebuildBatchForTest(4) // 13 tickets: four transactions
	t.Cleanup(func() { data.SetStatsRebuildBatchForTest(5000) })
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	mustVerify(t, db)
	// a crash midway: the mark says up to ticket 6; the next open redoes 7 … 13, changing nothing
	if err := db.MarkStatsRebuildForTest(6); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if err := ro.Open(); err == nil {
		ro.Close()
		t.Fatal("a read-only open of half-built statistics succeeded")
	}
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	mustVerify(t, db)
	after, err := data.NewStatsService(db).WeeklyReport(ctx, datagen.ScenarioWeek)
	if err != nil {
		t.Fatal(err)
	}
	b, a := flatten(before), flatten(after)
	for _, k := range sortedKeys(b, a) {
		if a[k] != b[k] {
			t.Errorf("%s: got %s after migration, want %s", k, a[k], b[k])
		}
	}
	if got := after.ByMunicipality["3405"].Name; got != "Lillehammer" {
		t.Errorf("name after migration: got %q, want Lillehammer", got)
	}
	db.Close()
	if err := ro.Open(); err != nil {
		t.Fatalf("read-only open after the migration finished: %v", err)
	}
	ro.Close()
	if err := db.Open(); err != nil { // for the cleanup
		t.Fatal(err)
	}
}

// TestStatsHistoryWithoutEvents loads a ticket stored as closed without any status event (history
// from elsewhere): it counts as resolved at its ResolvedAt, and later changes keep Verify clean.
func TestStatsHistoryWithoutEvents(t *testing.T) {
	ctx := context.Background()
	db, _ := mustOpenDB(t)
	created := time.Date(2026, 3, 24, 9, 0, 0, 0, ticket.Oslo)
	tk := &ticket.Ticket{Subject: "Importert", Status: ticket.StatusClosed, Agency: "ks", Priority: ticket.PriorityNormal,
		Channel: ticket.ChannelEmail, CreatedAt: created, UpdatedAt: created.Add(48 * time.Hour), ResolvedAt: created.Add(24 * time.Hour)}
	m := &ticket.Message{Direction: ticket.DirectionIn, From: "a@b.no", Text: "Hei", CreatedAt: created}
	if err := db.BulkLoad(ctx, []data.BulkTicket{{Ticket: tk, Messages: []*ticket.Message{m}}}); err != nil {
		t.Fatal(err)
	}
	mustVerify(t, db)
	stats := data.NewStatsService(db)
	r, err := stats.WeeklyReport(ctx, ticket.WeekOf(created))
	if err != nil {
		t.Fatal(err)
	}
	if r.New != 1 || r.Resolved != 1 || r.OpenAtEnd != 0 || r.Resolution.Median != 24 {
		t.Errorf("got new %d resolved %d open %d resolution %v, want 1 1 0 24", r.New, r.Resolved, r.OpenAtEnd, r.Resolution.Median)
	}
	open := ticket.StatusOpen
	if _, err := data.NewTicketService(db).UpdateTicket(ctx, tk.ID, ticket.TicketUpdate{Status: &open}); err != nil {
		t.Fatal(err)
	}
	mustVerify(t, db)
}
