package data

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/ks-no/digihjelpen/ticket"
)

// TestMigratePreviews opens a file whose tickets were stored before previews (schema 14 with
// records as schema 10 wrote them) and checks that Open stores each ticket's preview and last
// inbound time, in several transactions, without changing anything else on the ticket.
func TestMigratePreviews(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	db := NewDB(path)
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	s := NewTicketService(db)
	want := map[uint64]*ticket.Ticket{}
	for i := range 7 {
		tk := &ticket.Ticket{Subject: "Sak", Status: ticket.StatusNew, Agency: "ks", Priority: ticket.PriorityNormal, Channel: ticket.ChannelEmail,
			Requester: ticket.Requester{Email: "kari@hamar.kommune.no"}}
		m := &ticket.Message{Direction: ticket.DirectionIn, From: "kari@hamar.kommune.no", Text: "Hei, hvor finner jeg kursmateriell?\n\n> sitert"}
		if err := s.CreateTicket(ctx, tk, m, ticket.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
		if i%2 == 1 { // our answer is the latest message; the question the last from outside
			if _, err := s.AppendMessage(ctx, tk.ID, &ticket.Message{Direction: ticket.DirectionOut, From: "kontakt@ks.no", Text: "Se håndboken."}, ticket.AppendOptions{}); err != nil {
				t.Fatal(err)
			}
		}
		list, _, err := s.FindTickets(ctx, ticket.TicketFilter{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		for _, got := range list {
			want[got.ID] = got
		}
	}
	err := db.update(ctx, func(tx *Tx) error { // as schema 10 left them
		for id := range want {
			got, err := tx.findTicket(id)
			if err != nil {
				return err
			}
			if got.Latest.Empty() || got.LastInboundAt.IsZero() {
				t.Fatalf("ticket %d was stored without a preview", id)
			}
			got.Latest, got.LastInboundAt = ticket.MessagePreview{}, time.Time{}
			if err := tx.putTicketRecord(got); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.bolt.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Put(keySchemaVersion, u64(14)) }); err != nil {
		t.Fatal(err)
	}
	db.Close()
	defer func(n int) { previewsBatch = n }(previewsBatch)
	previewsBatch = 2
	db = NewDB(path)
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.view(ctx, func(tx *Tx) error {
		if tx.Bucket(bucketMeta).Get(previewsMark) != nil {
			t.Error("the mark is left after Open")
		}
		for id, w := range want {
			got, err := tx.findTicket(id)
			if err != nil {
				return err
			}
			if got.Latest != w.Latest || !got.LastInboundAt.Equal(w.LastInboundAt) || got.Version != w.Version || !got.UpdatedAt.Equal(w.UpdatedAt) {
				t.Errorf("ticket %d after the migration: preview %+v, inbound %v, version %d, updated %v; want %+v, %v, %d, %v",
					id, got.Latest, got.LastInboundAt, got.Version, got.UpdatedAt, w.Latest, w.LastInboundAt, w.Version, w.UpdatedAt)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Verify(ctx); err != nil {
		t.Fatal(err)
	}
}
