package data_test

import (
	"context"
	"strings"
	"testing"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/ticket"
	"github.com/ks-no/digihjelpen/ticket/compose"
)

// TestCreateTicketQueuesAck checks the acknowledgement is composed with the ticket's reference
// and status token and queued in the same transaction, with its Message-ID indexed so an
// answer to it threads into the ticket.
func TestCreateTicketQueuesAck(t *testing.T) {
	db, _ := mustOpenDB(t)
	s := data.NewTicketService(db)
	c, err := compose.New("Digihjelpen <kontakt@digihjelpen.ks.no>", "https://digihjelpen.ks.no")
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

// TestCreateTicketRecordsAckTemplate: the ticket's history says which template made the
// acknowledgement, and which one the rules asked for when it did not exist.
func TestCreateTicketRecordsAckTemplate(t *testing.T) {
	db, _ := mustOpenDB(t)
	s := data.NewTicketService(db)
	c, err := compose.New("Digihjelpen <kontakt@digihjelpen.ks.no>", "https://digihjelpen.ks.no")
	if err != nil {
		t.Fatal(err)
	}
	c.SetAckTemplate(&ticket.AckTemplate{Name: "nav", Title: "Til NAV", Text: "NAV {saksnummer} {statuslenke}", Version: 2})
	tests := []struct {
		name, template               string
		wantFrom, wantTo, wantDetail string
	}{
		{"default", "", "", "standard", "«Standard», den innebygde teksten"},
		{"named", "nav", "", "nav", "«Til NAV», versjon 2"},
		{"unknown", "borte", "borte", "standard", "«Standard», den innebygde teksten"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tk, first := newTicket("Meldekort", "kari@hamar.kommune.no", "nav")
			tk.Template = tt.template
			if err := s.CreateTicket(context.Background(), tk, first, ticket.CreateOptions{Acknowledge: c.Ack}); err != nil {
				t.Fatal(err)
			}
			events, _ := data.NewEventService(db).FindEvents(context.Background(), tk.ID)
			var got []*ticket.Event
			for _, e := range events {
				if e.Kind == ticket.EventAcknowledged {
					got = append(got, e)
				}
			}
			if len(got) != 1 || got[0].From != tt.wantFrom || got[0].To != tt.wantTo || got[0].Detail != tt.wantDetail || got[0].Actor != "system" {
				t.Fatalf("got %+v, want one event %q -> %q: %q", got, tt.wantFrom, tt.wantTo, tt.wantDetail)
			}
		})
	}
	tk, first := newTicket("Fra en robot", "no-reply@nav.no", "nav")
	if err := s.CreateTicket(context.Background(), tk, first, ticket.CreateOptions{Acknowledge: c.Ack}); err != nil {
		t.Fatal(err)
	}
	events, _ := data.NewEventService(db).FindEvents(context.Background(), tk.ID)
	for _, e := range events {
		if e.Kind == ticket.EventAcknowledged {
			t.Fatalf("an event %+v for an acknowledgement never sent", e)
		}
	}
	mustVerify(t, db)
}
