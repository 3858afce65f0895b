package data_test

import (
	"context"
	"strings"
	"testing"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/ticket"
)

// TestCreateTicketQueuesAck checks the acknowledgement is composed with the ticket's reference
// and status token and queued in the same transaction, with its Message-ID indexed so an
// answer to it threads into the ticket.
func TestCreateTicketQueuesAck(t *testing.T) {
	db, _ := mustOpenDB(t)
	s := data.NewTicketService(db)
	c, err := ticket.NewComposer("Digihjelpen <kontakt@digihjelpen.ks.no>", "https://digihjelpen.ks.no")
	if err != nil {
		t.Fatal(err)
	}
	var queued []*ticket.OutboundMail
	ack := func(tk *ticket.Ticket, first *ticket.Message) ([]*ticket.OutboundMail, error) {
		out, err := c.Ack(tk, first)
		queued = out
		return out, err
	}
	tk, first := newTicket("Kurs i BankID", "kari@hamar.kommune.no", "ks")
	if err := s.CreateTicket(context.Background(), tk, first, ticket.CreateOptions{Acknowledge: ack}); err != nil {
		t.Fatal(err)
	}
	if len(queued) != 1 || queued[0].ID == 0 || queued[0].TicketID != tk.ID || queued[0].State != ticket.OutboxQueued {
		t.Fatalf("queued %+v", queued)
	}
	if !strings.Contains(queued[0].Text, "/sak/"+tk.StatusToken) || !strings.HasPrefix(queued[0].Subject, "["+tk.Ref.String()+"]") {
		t.Fatalf("ack text %q subject %q", queued[0].Text, queued[0].Subject)
	}
	got, seq, err := s.FindTicketByMessageID(context.Background(), queued[0].MessageID)
	if err != nil || got.ID != tk.ID || seq != 0 {
		t.Fatalf("answer to the ack threads to %v seq %d (%v), want ticket %d", got, seq, err, tk.ID)
	}
	mustVerify(t, db)
}
