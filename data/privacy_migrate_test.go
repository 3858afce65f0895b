package data

import (
	"context"
	"path/filepath"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/ks-no/digihjelpen/ticket"
)

// TestMigratePrivacyIndexes opens a file as schema 9 left it (no idx_person, no
// idx_event_time) and checks that Open builds both, in several transactions.
func TestMigratePrivacyIndexes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	db := NewDB(path)
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	s := NewTicketService(db)
	for i := 0; i < 10; i++ {
		tk := &ticket.Ticket{Subject: "Sak", Status: ticket.StatusNew, Agency: "ks", Priority: ticket.PriorityNormal, Channel: ticket.ChannelEmail,
			Requester: ticket.Requester{Email: "kari@hamar.kommune.no"}, Participants: []string{"ola@hamar.kommune.no"}}
		m := &ticket.Message{Direction: ticket.DirectionIn, From: "kari@hamar.kommune.no", Text: "Hei"}
		if err := s.CreateTicket(ctx, tk, m, ticket.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{idxPerson, idxEventTime} {
			if err := tx.DeleteBucket(b); err != nil {
				return err
			}
			if _, err := tx.CreateBucket(b); err != nil {
				return err
			}
		}
		return tx.Bucket(bucketMeta).Put(keySchemaVersion, u64(9))
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Verify(ctx); err == nil {
		t.Fatal("Verify finds nothing wrong with the indexes emptied: it cannot fail")
	}
	db.Close()
	defer func(n int) { privacyBatch = n }(privacyBatch)
	privacyBatch = 3
	db = NewDB(path)
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Verify(ctx); err != nil {
		t.Fatal(err)
	}
	ids, err := NewPersonService(db).FindPerson(ctx, "ola@hamar.kommune.no")
	if err != nil || len(ids.Tickets) != 10 {
		t.Fatalf("the participant's tickets after the migration: %v", err)
	}
}
