package data_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/ticket"
)

// TestForgettingReachesStaffWork: a requester's erasure takes what staff's tools hold of them
// too: the reply draft that quotes them (and its file), the digest item with their ticket's
// subject, and a saved search for their address; another ticket's draft and search stay.
func TestForgettingReachesStaffWork(t *testing.T) {
	e := newNotifyEnv(t)
	ctx := context.Background()
	settings := ticket.DefaultNotifySettings(e.kari.ID)
	settings.Digest, settings.DigestHour = true, 15
	e.save(t, settings)
	per := mustCreate(t, e.tickets, "Per Hansen spør om BankID", "per@hamar.kommune.no", "ks")
	other := mustCreate(t, e.tickets, "Kurs for seniorer", "tone@gran.kommune.no", "ks")
	for _, tk := range []*ticket.Ticket{per, other} {
		if _, err := e.tickets.UpdateTicket(as("ola@ks.no"), tk.ID, ticket.TicketUpdate{Assignee: ptr("kari@ks.no")}); err != nil {
			t.Fatal(err)
		}
	}
	e.drain(t) // both held for Kari's digest

	drafts := data.NewDraftService(e.db)
	for _, d := range []*ticket.ReplyDraft{
		{TicketID: per.ID, Author: "kari@ks.no", Text: "Hei Per Hansen,",
			Attachments: []ticket.Attachment{{Name: "veiledning.pdf", Type: "application/pdf", Data: []byte("%PDF til Per")}}},
		{TicketID: other.ID, Author: "kari@ks.no", Text: "Hei Tone,"},
	} {
		if err := drafts.SaveDraft(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	searches := data.NewSearchService(e.db)
	perSearch, err := searches.SaveSearch(ctx, "per@hamar.kommune.no")
	if err != nil {
		t.Fatal(err)
	}
	otherSearch, err := searches.SaveSearch(ctx, "seniorer")
	if err != nil {
		t.Fatal(err)
	}

	if _, err := data.NewPersonService(e.db).ErasePerson(ctx, "per@hamar.kommune.no"); err != nil {
		t.Fatal(err)
	}
	mustVerify(t, e.db)
	if d, err := drafts.FindDraft(ctx, per.ID, "kari@ks.no"); err == nil && d != nil {
		t.Errorf("Per's draft is still there: %q", d.Text)
	}
	if e.db.HasBlobForTest(sha("%PDF til Per")) {
		t.Error("the file of Per's draft is still stored")
	}
	if d, err := drafts.FindDraft(ctx, other.ID, "kari@ks.no"); err != nil || d == nil || d.Text != "Hei Tone," {
		t.Errorf("the other ticket's draft: %v %v", d, err)
	}
	if _, err := searches.FindSearch(ctx, perSearch); ticket.ErrorCode(err) != ticket.ENOTFOUND {
		t.Errorf("the search for Per's address: %v, want it gone", err)
	}
	if text, err := searches.FindSearch(ctx, otherSearch); err != nil || text != "seniorer" {
		t.Errorf("the other search: %q %v", text, err)
	}

	e.clock.Add(6 * time.Hour) // Kari's digest hour
	before := e.mailIDs(t)
	if _, err := e.notify.SendDigests(ctx, e.planner.Digest); err != nil {
		t.Fatal(err)
	}
	digest := e.mailSince(t, before)["kari@ks.no"]
	if len(digest) != 1 {
		t.Fatalf("digests to Kari: %d, want 1 (the other ticket)", len(digest))
	}
	for _, forgotten := range []string{per.Ref.String(), "Per Hansen", "BankID"} {
		if strings.Contains(digest[0].Text, forgotten) || strings.Contains(digest[0].Subject, forgotten) {
			t.Errorf("the digest still tells of Per's ticket (%q):\n%s", forgotten, digest[0].Text)
		}
	}
	if !strings.Contains(digest[0].Text, other.Ref.String()) {
		t.Errorf("the digest lost the other ticket:\n%s", digest[0].Text)
	}
}

// TestRetentionForgetsSearchesNamingThem: a saved search for a requester's address goes when
// retention anonymises their ticket, though searches are kept longer than a short retention.
func TestRetentionForgetsSearchesNamingThem(t *testing.T) {
	ctx := context.Background()
	db, clock := mustOpenDB(t)
	s := data.NewTicketService(db)
	closedTicket(t, s, "Gammel sak", []byte("fil"))
	searches := data.NewSearchService(db)
	hers, err := searches.SaveSearch(ctx, "kari@lillehammer.kommune.no")
	if err != nil {
		t.Fatal(err)
	}
	other, err := searches.SaveSearch(ctx, "skattekort")
	if err != nil {
		t.Fatal(err)
	}
	clock.Add(40 * 24 * time.Hour)
	if _, err := data.NewRetentionService(db).AnonymiseClosedBefore(ctx, clock.Now().Add(-30*24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := searches.FindSearch(ctx, hers); ticket.ErrorCode(err) != ticket.ENOTFOUND {
		t.Errorf("the search for her address: %v, want it gone with her ticket's personal data", err)
	}
	if text, err := searches.FindSearch(ctx, other); err != nil || text != "skattekort" {
		t.Errorf("another search: %q %v", text, err)
	}
	mustVerify(t, db)
}
