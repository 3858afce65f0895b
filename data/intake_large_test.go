package data_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"testing"

	"github.com/ks-no/digihjelpen/ticket"
)

// TestIntakeLargeAttachment: a file over a megabyte is stored ahead of its mail and found by
// the mail's transaction; the same file again (a duplicate, another mail) is stored once, and
// the store verifies.
func TestIntakeLargeAttachment(t *testing.T) {
	e := newIntakeEnv(t)
	ctx := context.Background()
	file := bytes.Repeat([]byte("skannet søknad "), 200_000) // 3 MB
	sum := sha256.Sum256(file)
	withFile := func(mid string) *ticket.InboundMail {
		m := mail("kari@hamar.kommune.no", "Skannet søknad", mid)
		m.Message.Attachments = []ticket.Attachment{{Name: "soknad.pdf", Type: "application/pdf", Size: int64(len(file)),
			SHA256: hex.EncodeToString(sum[:]), Data: bytes.Clone(file)}}
		return m
	}
	items := []ticket.IngestItem{{Mail: withFile("<stor-1@hamar>")}, {Mail: withFile("<stor-1@hamar>")}, {Mail: withFile("<stor-2@hamar>")}}
	results, err := e.intake.IngestBatch(ctx, items)
	if err != nil || len(results) != 3 || results[0].Outcome != ticket.IntakeCreated || results[1].Outcome != ticket.IntakeDuplicate {
		t.Fatalf("ingest: %v %+v", err, results)
	}
	for _, it := range items {
		if it.Mail.Message.Attachments[0].Data != nil {
			t.Error("the file's bytes are still held after they were stored")
		}
	}
	for _, r := range []ticket.IntakeResult{results[0], results[2]} {
		tk, err := e.tickets.FindTicketByRef(ctx, r.Ref)
		if err != nil {
			t.Fatal(err)
		}
		a, err := e.tickets.FindAttachment(ctx, tk.ID, 1, 0)
		if err != nil || !bytes.Equal(a.Data, file) || a.SHA256 != hex.EncodeToString(sum[:]) || a.Size != int64(len(file)) {
			t.Fatalf("attachment of %s: %v, %d bytes", r.Ref, err, len(a.Data))
		}
	}
	if err := e.db.Verify(ctx); err != nil {
		t.Fatal(err)
	}
}
