package data_test

import (
	"context"
	"strings"
	"testing"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/ticket"
)

// TestForgettingReachesOverview: a person's export finds the register entry whose contact names
// them, and their erasure takes their name and address out of every version of it and out of
// a comment on our answer, while yes or no and the rest of the entry stay.
func TestForgettingReachesOverview(t *testing.T) {
	db, _ := mustOpenDB(t)
	ctx := adminCtx()
	reg, tickets := data.NewRegisterService(db), data.NewTicketService(db)
	for v, contact := range []string{"Kari Nordmann, kari@hamar.kommune.no", "Kari Nordmann, kari@hamar.kommune.no, tlf 62 56 30 00"} {
		o := &ticket.Offer{Number: "3403", Status: ticket.OfferAvailable, Venues: []ticket.Venue{ticket.VenueLibrary},
			Address: "Strandgata 45", Contact: contact, Note: "Kari Nordmann svarer raskt."}
		if err := reg.SaveOffer(ctx, o, v); err != nil {
			t.Fatal(err)
		}
	}
	// her question, answered and resolved, with a comment that names a colleague too
	tk := mustCreate(t, tickets, "Kurs i BankID", "kari@hamar.kommune.no", "ks")
	reply := &ticket.Message{Direction: ticket.DirectionOut, To: []string{"kari@hamar.kommune.no"}, Author: "agent@ks.no", Text: "Slik gjør du."}
	if _, err := tickets.AppendMessage(ctx, tk.ID, reply, ticket.AppendOptions{Status: ptr(ticket.StatusResolved)}); err != nil {
		t.Fatal(err)
	}
	fb := data.NewFeedbackService(db)
	if err := fb.SaveFeedback(context.Background(), &ticket.Feedback{TicketID: tk.ID, Useful: true, Comment: "Takk fra Kari Nordmann!"}); err != nil {
		t.Fatal(err)
	}

	persons := data.NewPersonService(db)
	found, err := persons.FindPerson(ctx, "kari@hamar.kommune.no")
	if err != nil {
		t.Fatal(err)
	}
	if len(found.RegisterEntries) != 1 || found.RegisterEntries[0].Number != "3403" {
		t.Fatalf("register entries in the export: %+v", found.RegisterEntries)
	}
	if _, err := persons.ErasePerson(ctx, "kari@hamar.kommune.no"); err != nil {
		t.Fatal(err)
	}
	mustVerify(t, db)
	versions, err := reg.FindOfferVersions(ctx, "3403")
	if err != nil || len(versions) != 2 {
		t.Fatalf("versions: %v %v", versions, err)
	}
	current, _ := reg.FindOffer(ctx, "3403")
	for _, o := range append(versions, current) {
		for _, forgotten := range []string{"Kari Nordmann", "kari@hamar.kommune.no"} {
			if strings.Contains(o.Contact, forgotten) || strings.Contains(o.Note, forgotten) {
				t.Errorf("version %d still names %q: %q / %q", o.Version, forgotten, o.Contact, o.Note)
			}
		}
		if o.Address != "Strandgata 45" || o.Status != ticket.OfferAvailable {
			t.Errorf("version %d lost what is not personal: %+v", o.Version, o)
		}
	}
	if !strings.Contains(current.Contact, "62 56 30 00") {
		t.Errorf("the office's telephone went too: %q", current.Contact)
	}
	got, err := fb.FindFeedback(ctx, tk.ID)
	if err != nil || got == nil || !got.Useful || got.Comment != "" {
		t.Errorf("feedback after the erasure: %+v %v, want yes kept and no comment", got, err)
	}
}
