package data_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/ticket"
)

// randomBytes are n bytes nothing compresses, different on every call.
func randomBytes(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rand.Uint32())
	}
	return b
}

// TestChunking: values at and around the chunk size and the transaction boundary (a megabyte
// of chunks) come back as they were stored, in as many chunks as they need, and verify.
func TestChunking(t *testing.T) {
	const chunk = 1000
	perTx := (1 << 20) / chunk * chunk // bytes of chunks one transaction writes
	tests := []struct {
		name string
		size int
	}{
		{"empty", 0},
		{"one byte", 1},
		{"one short of a chunk", chunk - 1},
		{"exactly one chunk", chunk},
		{"one over a chunk", chunk + 1},
		{"two chunks", 2 * chunk},
		{"one short of a transaction", perTx - 1},
		{"exactly one transaction", perTx},
		{"one over a transaction", perTx + 1},
		{"three transactions and a bit", 3*perTx + 17},
	}
	db, _ := mustOpenDB(t)
	db.SetChunkSizeForTest(chunk)
	ctx := context.Background()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := db.CountForTest("chunks")
			value := randomBytes(tt.size)
			sum, err := db.StoreAheadForTest(ctx, value, false)
			if err != nil {
				t.Fatal(err)
			}
			got, err := db.ChunkedValueForTest(sum, false)
			if err != nil || got == nil || !bytes.Equal(got, value) {
				t.Fatalf("got %d bytes (%v), want the %d stored", len(got), err, len(value))
			}
			if n, want := db.CountForTest("chunks")-before, (tt.size+chunk-1)/chunk; n != want {
				t.Errorf("%d chunks, want %d", n, want)
			}
			if _, err := db.StoreAheadForTest(ctx, value, false); err != nil || db.CountForTest("chunks")-before != (tt.size+chunk-1)/chunk {
				t.Errorf("stored again: %v, %d chunks more", err, db.CountForTest("chunks")-before)
			}
			mustVerify(t, db)
		})
	}
}

// TestChunkSizeFitsAPage: the chunks of the default size are written two to a leaf page.
func TestChunkSizeFitsAPage(t *testing.T) {
	db, _ := mustOpenDB(t)
	ctx := context.Background()
	value := randomBytes(3 << 20)
	sum, err := db.StoreAheadForTest(ctx, value, true)
	if err != nil {
		t.Fatal(err)
	}
	got, err := db.ChunkedValueForTest(sum, true)
	if err != nil || !bytes.Equal(got, value) {
		t.Fatalf("got %d bytes, %v", len(got), err)
	}
	chunks := db.CountForTest("chunks")
	if size := len(value) / chunks; os.Getpagesize() == 4096 && (size < 1900 || size > 2048) {
		t.Errorf("%d chunks of about %d bytes; want two to a 4 KB page", chunks, size)
	}
	mustVerify(t, db)
}

// largeMailEnv is a mail with a 3 MB file and a 5 MB source taken in by intake, so both are
// stored in chunks ahead of the ticket.
type largeMailEnv struct {
	*intakeEnv
	ctx        context.Context
	file, raw  []byte
	fileSum    string
	first      *ticket.Ticket
	attachment ticket.Attachment
}

func newLargeMailEnv(t *testing.T, from, mid string) *largeMailEnv {
	e := &largeMailEnv{intakeEnv: newIntakeEnv(t), file: randomBytes(3 << 20)}
	e.ctx = ticket.NewContextWithActor(context.Background(), ticket.Actor{Name: "ola@ks.no", Role: ticket.RoleAgent})
	e.add(from, mid)
	return e
}

// add takes in one more large mail from from (the same file, its own source).
func (e *largeMailEnv) add(from, mid string) (*ticket.Ticket, []byte) {
	m := mail(from, "Skannet søknad", mid)
	raw := append(append([]byte(nil), m.Message.Raw...), []byte(hex.EncodeToString(randomBytes(5<<19)))...)
	m.Message.Raw = raw
	sum := sha256.Sum256(e.file)
	e.fileSum = hex.EncodeToString(sum[:])
	m.Message.Attachments = []ticket.Attachment{{Name: "soknad.pdf", Type: "application/pdf", Data: bytes.Clone(e.file)}}
	res := e.ingest(m)
	if res.Outcome != ticket.IntakeCreated {
		e.t.Fatalf("ingest: %+v", res)
	}
	if m.Message.Attachments[0].Data != nil {
		e.t.Error("intake still holds the file's bytes after storing them")
	}
	tk := e.ticket(res.TicketID)
	if e.raw == nil {
		e.raw, e.first = raw, tk
		e.attachment = ticket.Attachment{Name: "soknad.pdf", Type: "application/pdf", Size: int64(len(e.file)), SHA256: e.fileSum}
	}
	return tk, raw
}

// same fails unless the ticket's first message has the file and the source as stored.
func (e *largeMailEnv) same(id uint64, seq int, raw []byte) {
	e.t.Helper()
	a, err := e.tickets.FindAttachment(e.ctx, id, seq, 0)
	if err != nil || !bytes.Equal(a.Data, e.file) || a.SHA256 != e.fileSum {
		e.t.Fatalf("attachment of %d/%d: %v, %d bytes", id, seq, err, len(a.Data))
	}
	got, err := e.tickets.FindRawMessage(e.ctx, id, seq)
	if err != nil || !bytes.Equal(got, raw) {
		e.t.Fatalf("source of %d/%d: %v, %d bytes, want %d", id, seq, err, len(got), len(raw))
	}
}

// TestLargeMailReaders: every reader of a file and a source stored in chunks gets the bytes
// that came in: the ticket's attachment and source, a reply that carries the file by its hash,
// a merged ticket's copy, a backup; the values are kept while anything refers to them and
// deleted with the last reference (merge, deletion, erasure).
func TestLargeMailReaders(t *testing.T) {
	e := newLargeMailEnv(t, "kari@hamar.kommune.no", "<stor-1@hamar>")
	e.same(e.first.ID, 1, e.raw)
	for name, want := range map[string]int{"raw": 0, "raw_ref": 1, "blobs": 0, "chunk_pending": 0, "chunked": 2} {
		if n := e.db.CountForTest(name); n != want {
			t.Errorf("%s holds %d, want %d", name, n, want)
		}
	}
	mustVerify(t, e.db)

	reply := &ticket.Message{Direction: ticket.DirectionOut, From: "kontakt@digihjelpen.test", To: []string{"kari@hamar.kommune.no"},
		Text: "Vi har fått søknaden.", MessageID: "<svar-1@digihjelpen.test>", Attachments: []ticket.Attachment{e.attachment}}
	out := &ticket.OutboundMail{Kind: ticket.MailReply, To: []string{"kari@hamar.kommune.no"}, Subject: "Søknaden", Text: reply.Text,
		MessageID: reply.MessageID, Attachments: []ticket.Attachment{e.attachment}}
	if _, err := e.tickets.AppendMessage(e.ctx, e.first.ID, reply, ticket.AppendOptions{Out: []*ticket.OutboundMail{out}}); err != nil {
		t.Fatal(err)
	}
	due, err := data.NewOutboxService(e.db).FindDueMail(e.ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, m := range due {
		if m.MessageID == out.MessageID {
			found = len(m.Attachments) == 1 && bytes.Equal(m.Attachments[0].Data, e.file)
		}
	}
	if !found {
		t.Error("the queued reply does not carry the file's bytes")
	}
	mustVerify(t, e.db)

	backup := filepath.Join(t.TempDir(), "kopi.db")
	if _, err := e.db.BackupToFile(e.ctx, backup); err != nil {
		t.Fatal(err)
	}
	copyDB := data.NewDB(backup)
	if err := copyDB.Open(); err != nil {
		t.Fatal(err)
	}
	a, err := data.NewTicketService(copyDB).FindAttachment(e.ctx, e.first.ID, 1, 0)
	raw, rawErr := data.NewTicketService(copyDB).FindRawMessage(e.ctx, e.first.ID, 1)
	if err != nil || rawErr != nil || !bytes.Equal(a.Data, e.file) || !bytes.Equal(raw, e.raw) {
		t.Errorf("backup: %v %v", err, rawErr)
	}
	if err := copyDB.Close(); err != nil {
		t.Fatal(err)
	}

	other := e.ingest(mail("kari@hamar.kommune.no", "Søknad, igjen", "<t2@hamar>"))
	into := e.ticket(other.TicketID)
	src := e.ticket(e.first.ID)
	if _, err := e.tickets.MergeTickets(e.ctx, ticket.MergeRequest{SourceID: src.ID, Into: into.Ref}); err != nil {
		t.Fatal(err)
	}
	mustVerify(t, e.db)
	e.same(into.ID, 2, e.raw)
	if n := e.db.CountForTest("raw_ref"); n != 2 {
		t.Errorf("after the merge raw_ref holds %d, want 2 (the copy refers to the same chunks)", n)
	}
	if err := e.tickets.DeleteTicket(e.ctx, into.ID); err != nil {
		t.Fatal(err)
	}
	mustVerify(t, e.db)
	e.same(src.ID, 1, e.raw) // the source ticket still refers to both
	if err := e.tickets.DeleteTicket(e.ctx, src.ID); err != nil {
		t.Fatal(err)
	}
	mustVerify(t, e.db)
	for _, name := range []string{"raw_ref", "chunked", "chunks", "chunk_pending"} {
		if n := e.db.CountForTest(name); n != 0 {
			t.Errorf("after both tickets were deleted %s holds %d, want 0", name, n)
		}
	}
}

// TestLargeMailErasure: erasing the person who sent a large mail deletes its source and file
// from the chunks; a file another ticket still holds stays.
func TestLargeMailErasure(t *testing.T) {
	e := newLargeMailEnv(t, "kari@hamar.kommune.no", "<stor-1@hamar>")
	per, _ := e.add("per@elverum.kommune.no", "<stor-2@elverum>") // the same file, another person
	if n := e.db.CountForTest("chunked"); n != 3 {
		t.Fatalf("chunked holds %d, want 3 (one file, two sources)", n)
	}
	if _, err := data.NewPersonService(e.db).ErasePerson(e.ctx, "kari@hamar.kommune.no"); err != nil {
		t.Fatal(err)
	}
	mustVerify(t, e.db)
	if _, err := e.tickets.FindRawMessage(e.ctx, e.first.ID, 1); err == nil {
		t.Error("Kari's source is still there")
	}
	if n := e.db.CountForTest("chunked"); n != 2 {
		t.Errorf("chunked holds %d, want 2 (Per's source and the file he holds)", n)
	}
	a, err := e.tickets.FindAttachment(e.ctx, per.ID, 1, 0)
	if err != nil || !bytes.Equal(a.Data, e.file) {
		t.Fatalf("Per's file: %v", err)
	}
	if _, err := data.NewPersonService(e.db).ErasePerson(e.ctx, "per@elverum.kommune.no"); err != nil {
		t.Fatal(err)
	}
	mustVerify(t, e.db)
	for _, name := range []string{"raw_ref", "chunked", "chunks"} {
		if n := e.db.CountForTest(name); n != 0 {
			t.Errorf("after both were erased %s holds %d, want 0", name, n)
		}
	}
}

// TestStoredAheadSwept: what intake stored ahead of a mail that was then never stored (a crash
// between the chunks and the ticket, or in the middle of the chunks) is deleted by the sweep
// once it is an hour old, and never while a ticket refers to it or a mail may still be on its
// way to referring to it.
func TestStoredAheadSwept(t *testing.T) {
	e := newLargeMailEnv(t, "kari@hamar.kommune.no", "<stor-1@hamar>")
	orphanFile, orphanSource, half := randomBytes(2<<20), randomBytes(2<<20), randomBytes(2<<20)
	if _, err := e.db.StoreAheadForTest(e.ctx, orphanFile, false); err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.StoreAheadForTest(e.ctx, orphanSource, true); err != nil {
		t.Fatal(err)
	}
	if err := e.db.CrashMidChunksForTest(e.ctx, half); err != nil {
		t.Fatal(err)
	}
	// the stored ticket's file and source stored ahead again, by a second delivery that crashed
	if _, err := e.db.StoreAheadForTest(e.ctx, e.file, false); err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.StoreAheadForTest(e.ctx, e.raw, true); err != nil {
		t.Fatal(err)
	}
	mustVerify(t, e.db)
	chunked := e.db.CountForTest("chunked")
	if n, err := e.db.SweepStoredAhead(e.ctx); err != nil || n != 0 || e.db.CountForTest("chunked") != chunked {
		t.Fatalf("a fresh sweep deleted %d (%v); nothing is an hour old", n, err)
	}
	e.clock.Add(2 * time.Hour)
	if n, err := e.db.SweepStoredAhead(e.ctx); err != nil || n != 3 {
		t.Fatalf("the sweep deleted %d (%v), want the 3 values nothing refers to", n, err)
	}
	mustVerify(t, e.db)
	for name, want := range map[string]int{"chunked": 2, "chunk_pending": 0} {
		if n := e.db.CountForTest(name); n != want {
			t.Errorf("after the sweep %s holds %d, want %d", name, n, want)
		}
	}
	e.same(e.first.ID, 1, e.raw) // what a ticket refers to stays

	// a mail with the same file is on its way (stored ahead, not yet committed) when the
	// ticket that held the file is deleted: the file stays for it, the source goes
	if _, err := e.db.StoreAheadForTest(e.ctx, e.file, false); err != nil {
		t.Fatal(err)
	}
	if err := e.tickets.DeleteTicket(e.ctx, e.first.ID); err != nil {
		t.Fatal(err)
	}
	mustVerify(t, e.db)
	if got, err := e.db.ChunkedValueForTest(mustDecodeHex(t, e.fileSum), false); err != nil || !bytes.Equal(got, e.file) {
		t.Fatal("a file stored ahead for a mail on its way was deleted with a ticket that held it")
	}
	if n := e.db.CountForTest("chunked"); n != 1 {
		t.Errorf("chunked holds %d, want 1 (the file; the deleted ticket's source is gone)", n)
	}
	tk, raw := e.add("kari@hamar.kommune.no", "<stor-2@hamar>")
	e.same(tk.ID, 1, raw)
	e.clock.Add(2 * time.Hour)
	if n, err := e.db.SweepStoredAhead(e.ctx); err != nil || n != 0 {
		t.Fatalf("the sweep deleted %d (%v); a ticket refers to everything", n, err)
	}
	e.same(tk.ID, 1, raw)
	mustVerify(t, e.db)
}

func mustDecodeHex(t *testing.T, h string) []byte {
	t.Helper()
	b, err := hex.DecodeString(h)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestLargeValuesStoredWhole: files and sources stored whole (before schema 14, or by a path
// that does not store ahead: a ticket created by staff, an import) are read, merged and
// deleted as before, next to values in chunks.
func TestLargeValuesStoredWhole(t *testing.T) {
	db, _ := mustOpenDB(t)
	s := data.NewTicketService(db)
	ctx := context.Background()
	tk, m := newTicket("Skannet søknad", "kari@hamar.kommune.no", "ks")
	file, raw := randomBytes(2<<20), randomBytes(2<<20)
	m.Raw = bytes.Clone(raw)
	m.Attachments = []ticket.Attachment{{Name: "soknad.pdf", Type: "application/pdf", Data: bytes.Clone(file)}}
	if err := s.CreateTicket(ctx, tk, m, ticket.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]int{"raw": 1, "blobs": 1, "raw_ref": 0, "chunked": 0} {
		if n := db.CountForTest(name); n != want {
			t.Errorf("%s holds %d, want %d", name, n, want)
		}
	}
	a, err := s.FindAttachment(ctx, tk.ID, 1, 0)
	got, rawErr := s.FindRawMessage(ctx, tk.ID, 1)
	if err != nil || rawErr != nil || !bytes.Equal(a.Data, file) || !bytes.Equal(got, raw) {
		t.Fatalf("read back: %v %v", err, rawErr)
	}
	mustVerify(t, db)
	if err := s.DeleteTicket(ctx, tk.ID); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"raw", "blobs"} {
		if n := db.CountForTest(name); n != 0 {
			t.Errorf("after deletion %s holds %d", name, n)
		}
	}
	mustVerify(t, db)
}

// decodeLater is a file as mailbridge hands over a large one: its size and hash, and the bytes
// written a piece at a time when it is stored.
func decodeLater(name string, file []byte, sum [32]byte) ticket.Attachment {
	return ticket.Attachment{Name: name, Type: "application/pdf", Size: int64(len(file)), SHA256: hex.EncodeToString(sum[:]),
		Decode: func(w io.Writer) error {
			for p := file; len(p) > 0; p = p[min(len(p), 3072):] {
				if _, err := w.Write(p[:min(len(p), 3072)]); err != nil {
					return err
				}
			}
			return nil
		}}
}

// TestFileDecodedAsStored: a file that comes with Decode instead of its bytes is stored in
// chunks as it is decoded, and reads back whole; bytes that do not hash to what the file says
// are refused before any manifest is written (and swept later); a file with Decode stored by a
// path that does not store ahead (staff creating a ticket) is stored whole.
func TestFileDecodedAsStored(t *testing.T) {
	e := newIntakeEnv(t)
	ctx := context.Background()
	file := randomBytes(3<<20 + 5)
	sum := sha256.Sum256(file)
	m := mail("kari@hamar.kommune.no", "Skannet søknad", "<stor-1@hamar>")
	m.Message.Attachments = []ticket.Attachment{decodeLater("soknad.pdf", file, sum)}
	res := e.ingest(m)
	if m.Message.Attachments[0].Decode != nil {
		t.Error("intake kept the decoder after storing the file")
	}
	a, err := e.tickets.FindAttachment(ctx, res.TicketID, 1, 0)
	if err != nil || !bytes.Equal(a.Data, file) || a.Size != int64(len(file)) {
		t.Fatalf("attachment: %v, %d bytes", err, len(a.Data))
	}
	if n := e.db.CountForTest("chunked"); n != 1 {
		t.Errorf("chunked holds %d, want 1", n)
	}
	mustVerify(t, e.db)

	wrong := mail("kari@hamar.kommune.no", "Skannet søknad", "<stor-2@hamar>")
	other := sha256.Sum256([]byte("noe annet"))
	wrong.Message.Attachments = []ticket.Attachment{decodeLater("feil.pdf", randomBytes(2<<20), other)}
	if _, err := e.intake.Ingest(ctx, wrong, ticket.IngestOptions{}); err == nil {
		t.Fatal("a file whose bytes do not hash to its SHA256 was stored")
	}
	if n := e.db.CountForTest("chunked"); n != 1 {
		t.Errorf("chunked holds %d after the refused file, want 1", n)
	}
	mustVerify(t, e.db) // its chunks are pending, not stray
	e.clock.Add(2 * time.Hour)
	if n, err := e.db.SweepStoredAhead(ctx); err != nil || n != 1 {
		t.Errorf("the sweep deleted %d (%v), want the refused file's chunks", n, err)
	}
	mustVerify(t, e.db)

	tk, first := newTicket("Skannet søknad", "kari@hamar.kommune.no", "ks")
	staffFile := randomBytes(2 << 20)
	first.Attachments = []ticket.Attachment{decodeLater("skjema.pdf", staffFile, sha256.Sum256(staffFile))}
	if err := e.tickets.CreateTicket(ctx, tk, first, ticket.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	if a, err := e.tickets.FindAttachment(ctx, tk.ID, 1, 0); err != nil || !bytes.Equal(a.Data, staffFile) {
		t.Fatalf("staff's file: %v", err)
	}
	mustVerify(t, e.db)
}
