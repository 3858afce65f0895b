package data_test

import (
	"context"
	"testing"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/ticket"
)

func TestDeleteTicket(t *testing.T) {
	e := newIntakeEnv(t)
	ctx := ticket.NewContextWithActor(context.Background(), ticket.Actor{Name: "admin@ks.no", Role: ticket.RoleAdmin})
	shared := ticket.Attachment{Name: "felles.pdf", Type: "application/pdf", Data: []byte("%PDF felles")}
	own := ticket.Attachment{Name: "egen.pdf", Type: "application/pdf", Data: []byte("%PDF bare denne")}

	m := mail("kari@hamar.kommune.no", "Slett meg", "<del-1@h>")
	m.Message.Attachments = []ticket.Attachment{shared, own}
	gone := e.ingest(m)
	other := mail("per@x.no", "Behold meg", "<keep-1@x>")
	other.Message.Attachments = []ticket.Attachment{shared}
	kept := e.ingest(other)
	e.ingest(reply(mail("kari@hamar.kommune.no", "SV", "<del-2@h>"), "<del-1@h>"))

	if _, err := e.db.IndexSearch(ctx, 100); err != nil {
		t.Fatal(err)
	}
	if found, _, _ := e.tickets.FindTickets(ctx, ticket.TicketFilter{Query: "Slett meg"}); len(found) != 1 {
		t.Fatalf("search before delete found %d, want 1", len(found))
	}
	if err := e.tickets.DeleteTicket(ctx, gone.TicketID); err != nil {
		t.Fatal(err)
	}
	mustVerify(t, e.db)
	if _, err := e.db.IndexSearch(ctx, 100); err != nil {
		t.Fatal(err)
	}
	mustVerify(t, e.db)
	if found, _, _ := e.tickets.FindTickets(ctx, ticket.TicketFilter{Query: "Slett meg"}); len(found) != 0 {
		t.Errorf("search after delete found %d, want 0", len(found))
	}
	if _, err := e.tickets.FindTicketByID(ctx, gone.TicketID); ticket.ErrorCode(err) != ticket.ENOTFOUND {
		t.Errorf("ticket after delete: got %v, want not found", err)
	}
	if _, err := e.tickets.FindTicketByRef(ctx, gone.Ref); ticket.ErrorCode(err) != ticket.ENOTFOUND {
		t.Errorf("ref after delete: got %v, want not found", err)
	}
	if msgs, _ := e.tickets.FindMessages(ctx, gone.TicketID); len(msgs) != 0 {
		t.Errorf("messages after delete: got %d, want 0", len(msgs))
	}
	if _, err := e.tickets.FindRawMessage(ctx, gone.TicketID, 1); ticket.ErrorCode(err) != ticket.ENOTFOUND {
		t.Errorf("raw after delete: got %v, want not found", err)
	}
	if a, err := e.tickets.FindAttachment(ctx, kept.TicketID, 1, 0); err != nil || string(a.Data) != "%PDF felles" {
		t.Errorf("shared attachment of the other ticket: got %q %v", a.Data, err)
	}
	list, total, _ := e.tickets.FindTickets(ctx, ticket.TicketFilter{})
	if total != 1 || len(list) != 1 || list[0].ID != kept.TicketID {
		t.Errorf("tickets got %d, want only %d", total, kept.TicketID)
	}
	if evs, _ := data.NewEventService(e.db).FindEvents(ctx, gone.TicketID); len(evs) != 0 {
		t.Errorf("events of the deleted ticket: got %d, want 0", len(evs))
	}
	audit, _ := data.NewEventService(e.db).FindEvents(ctx, 0)
	if len(audit) != 1 || audit[0].Kind != ticket.EventDeleted || audit[0].From != gone.Ref.String() || audit[0].Actor != "admin@ks.no" {
		t.Errorf("audit got %+v, want one deleted event by admin@ks.no", audit)
	}
	for _, mid := range []string{"<del-1@h>", "<del-2@h>", "<ack-1@digihjelpen.test>"} {
		if res := e.ingest(mail("kari@hamar.kommune.no", "Slett meg", mid), ticket.IngestOptions{Force: true}); res.Outcome != ticket.IntakeDuplicate {
			t.Errorf("%s after delete: got %v, want duplicate (tombstone)", mid, res.Outcome)
		}
	}
	// a new mail in the old thread opens a new ticket: the old one is gone
	if res := e.ingest(reply(mail("kari@hamar.kommune.no", "SV", "<del-3@h>"), "<del-1@h>")); res.Outcome != ticket.IntakeCreated {
		t.Errorf("reply to a deleted thread got %v, want created", res.Outcome)
	}
	if err := e.tickets.DeleteTicket(ctx, gone.TicketID); ticket.ErrorCode(err) != ticket.ENOTFOUND {
		t.Errorf("delete twice: got %v, want not found", err)
	}
}

func TestDeleteTicketRemovesQueuedMail(t *testing.T) {
	e := newIntakeEnv(t)
	ctx := context.Background()
	res := e.ingest(mail("kari@hamar.kommune.no", "Kurs", "<a@h>"))
	if n := countOutbox(t, e.db); n != 1 {
		t.Fatalf("outbox got %d, want the acknowledgement", n)
	}
	if err := e.tickets.DeleteTicket(ctx, res.TicketID); err != nil {
		t.Fatal(err)
	}
	if n := countOutbox(t, e.db); n != 0 {
		t.Errorf("outbox after delete got %d, want 0: nothing is sent about a deleted ticket", n)
	}
	mustVerify(t, e.db)
}

func countOutbox(t *testing.T, db *data.DB) int {
	t.Helper()
	records, due := db.OutboxSizesForTest()
	if records != due {
		t.Fatalf("outbox has %d records and %d due entries", records, due)
	}
	return records
}
