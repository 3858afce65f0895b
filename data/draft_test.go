package data_test

import (
	"context"
	"testing"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/ticket"
)

// TestDrafts: one draft per staff member and ticket, replaced on save, deleted when empty,
// its files stored once and found again by hash; a reply sent from it deletes it in the same
// transaction and refers to the same bytes.
func TestDrafts(t *testing.T) {
	db, _ := mustOpenDB(t)
	ctx := context.Background()
	s, drafts := data.NewTicketService(db), data.NewDraftService(db)
	tk := mustCreate(t, s, "Kurs", "kari@hamar.kommune.no", "ks")
	pdf := []byte("%PDF-1.4 kursplan")
	d := &ticket.ReplyDraft{TicketID: tk.ID, Author: "Agent@KS.no", Text: "Hei Kari,", Cc: "per@hamar.kommune.no",
		Status: ticket.StatusResolved, Attachments: []ticket.Attachment{{Name: "kursplan.pdf", Type: "application/pdf", Data: pdf}}}
	if err := drafts.SaveDraft(ctx, d); err != nil {
		t.Fatal(err)
	}
	if d.Attachments[0].SHA256 == "" || d.Attachments[0].Data != nil {
		t.Fatalf("saved file %+v: want its hash and no bytes", d.Attachments[0])
	}
	if err := drafts.SaveDraft(ctx, &ticket.ReplyDraft{TicketID: tk.ID, Author: "admin@ks.no", Text: "Jeg svarer også"}); err != nil {
		t.Fatal(err)
	}
	list, err := drafts.FindDrafts(ctx, tk.ID)
	if err != nil || len(list) != 2 || list[0].Author != "admin@ks.no" {
		t.Fatalf("drafts %v %v, want two, newest first", list, err)
	}
	got, err := drafts.FindDraft(ctx, tk.ID, "agent@ks.no")
	if err != nil || got.Text != "Hei Kari," || got.Cc != "per@hamar.kommune.no" || got.Status != ticket.StatusResolved || len(got.Attachments) != 1 {
		t.Fatalf("agent's draft %+v %v", got, err)
	}
	errs := []struct {
		name string
		d    *ticket.ReplyDraft
		code string
	}{
		{"ErrNoTicket", &ticket.ReplyDraft{TicketID: 999, Author: "agent@ks.no", Text: "x"}, ticket.ENOTFOUND},
		{"ErrStatus", &ticket.ReplyDraft{TicketID: tk.ID, Author: "agent@ks.no", Text: "x", Status: "ferdig"}, ticket.EINVALID},
		{"ErrGoneFile", &ticket.ReplyDraft{TicketID: tk.ID, Author: "agent@ks.no", Text: "x",
			Attachments: []ticket.Attachment{{Name: "borte.pdf", SHA256: "00ff"}}}, ticket.EINVALID},
	}
	for _, tt := range errs {
		t.Run(tt.name, func(t *testing.T) {
			if err := drafts.SaveDraft(ctx, tt.d); ticket.ErrorCode(err) != tt.code {
				t.Errorf("got %v, want %s", err, tt.code)
			}
		})
	}

	// send it: the reply refers to the draft's file by hash, and the draft is gone
	m := &ticket.Message{Direction: ticket.DirectionOut, To: []string{"kari@hamar.kommune.no"}, Text: "Hei Kari, her er planen.",
		Author: "agent@ks.no", Attachments: got.Attachments}
	if _, err := s.AppendMessage(ctx, tk.ID, m, ticket.AppendOptions{DraftOf: "agent@ks.no"}); err != nil {
		t.Fatal(err)
	}
	if _, err := drafts.FindDraft(ctx, tk.ID, "agent@ks.no"); ticket.ErrorCode(err) != ticket.ENOTFOUND {
		t.Errorf("the sent draft is still there: %v", err)
	}
	a, err := s.FindAttachment(ctx, tk.ID, 2, 0)
	if err != nil || string(a.Data) != string(pdf) {
		t.Fatalf("the reply's file: %v %q", err, a.Data)
	}
	if err := drafts.SaveDraft(ctx, &ticket.ReplyDraft{TicketID: tk.ID, Author: "admin@ks.no", Text: "  "}); err != nil {
		t.Fatal(err)
	}
	if list, _ := drafts.FindDrafts(ctx, tk.ID); len(list) != 0 {
		t.Errorf("an empty draft was kept: %v", list)
	}
	mustVerify(t, db)
}

// TestDraftFilesOutliveTheSweep: the anonymiser deletes the bytes nothing refers to; a draft's
// file is referred to, even when an anonymised ticket had the same file.
func TestDraftFilesOutliveTheSweep(t *testing.T) {
	db, clock := mustOpenDB(t)
	ctx := context.Background()
	s, drafts := data.NewTicketService(db), data.NewDraftService(db)
	file := []byte("%PDF-1.4 delt fil")
	old, m := newTicket("Gammel", "per@hamar.kommune.no", "ks")
	m.Attachments = []ticket.Attachment{{Name: "a.pdf", Type: "application/pdf", Data: file}}
	if err := s.CreateTicket(ctx, old, m, ticket.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateTicket(ctx, old.ID, ticket.TicketUpdate{Status: ptr(ticket.StatusClosed)}); err != nil {
		t.Fatal(err)
	}
	tk := mustCreate(t, s, "Ny", "kari@hamar.kommune.no", "ks")
	d := &ticket.ReplyDraft{TicketID: tk.ID, Author: "agent@ks.no", Text: "Se vedlegget",
		Attachments: []ticket.Attachment{{Name: "b.pdf", Type: "application/pdf", Data: file}}}
	if err := drafts.SaveDraft(ctx, d); err != nil {
		t.Fatal(err)
	}
	clock.Add(400 * 24 * 3600e9)
	if _, err := data.NewRetentionService(db).AnonymiseClosedBefore(ctx, clock.Now().Add(-365*24*3600e9)); err != nil {
		t.Fatal(err)
	}
	got, _ := drafts.FindDraft(ctx, tk.ID, "agent@ks.no")
	reply := &ticket.Message{Direction: ticket.DirectionOut, To: []string{"kari@hamar.kommune.no"}, Text: "Se vedlegget", Attachments: got.Attachments}
	if _, err := s.AppendMessage(ctx, tk.ID, reply, ticket.AppendOptions{DraftOf: "agent@ks.no"}); err != nil {
		t.Fatalf("the draft's file was swept away: %v", err)
	}
	mustVerify(t, db)
}
