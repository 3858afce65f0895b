package data

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"path/filepath"
	"testing"

	"github.com/ks-no/digihjelpen/ticket"
)

// TestSweepSeesWritesAfterScan stores, between the read-only scan and the write transaction,
// a new ticket with the same file as the anonymised one: the bytes must stay.
func TestSweepSeesWritesAfterScan(t *testing.T) {
	db := NewDB(filepath.Join(t.TempDir(), "s.db"))
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	file := []byte("samme fil")
	sum := sha256.Sum256(file)
	hash := hex.EncodeToString(sum[:])
	blobs := map[string]bool{hash: true, "ab": true}
	var sw sweep
	err := db.view(ctx, func(tx *Tx) (err error) {
		sw, err = tx.scanSweep(blobs)
		return err
	})
	if err != nil || !blobs[hash] {
		t.Fatalf("scan: %v, candidates %v", err, blobs)
	}
	tk := &ticket.Ticket{Subject: "Ny", Status: ticket.StatusNew, Agency: "ks", Priority: ticket.PriorityNormal, Channel: ticket.ChannelWeb}
	m := &ticket.Message{Direction: ticket.DirectionIn, From: "a@b.no", Text: "x", Attachments: []ticket.Attachment{{Name: "f.txt", Data: file}}}
	if err := NewTicketService(db).CreateTicket(ctx, tk, m, ticket.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := db.update(ctx, func(tx *Tx) error { return tx.finishSweep(sw, blobs) }); err != nil {
		t.Fatal(err)
	}
	if a, err := NewTicketService(db).FindAttachment(ctx, tk.ID, 1, 0); err != nil || string(a.Data) != "samme fil" {
		t.Fatalf("the new ticket lost its file: %v", err)
	}
}
