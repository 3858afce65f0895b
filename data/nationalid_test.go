package data_test

import (
	"context"
	"strings"
	"testing"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/ticket"
)

func TestNationalIDsMaskedBeforeStored(t *testing.T) {
	e := newIntakeEnv(t)
	ctx := context.Background()
	m := mail("kari@hamar.kommune.no", "Hjelp til 01019012480", "<fnr@h>")
	m.Message.Text = "Innbyggeren har fnr 41019012474 og tlf 99887766, org.nr 974760673."
	m.Message.HTML = "<p>fnr 41019012474</p>"
	id := e.ingest(m).TicketID
	tk := e.ticket(id)
	msgs, err := e.tickets.FindMessages(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	first := msgs[0]
	if tk.Subject != "Hjelp til 010190*****" || first.Subject != tk.Subject {
		t.Errorf("subject %q / %q", tk.Subject, first.Subject)
	}
	if first.Text != "Innbyggeren har fnr 410190***** og tlf 99887766, org.nr 974760673." || first.HTML != "<p>fnr 410190*****</p>" {
		t.Errorf("text %q, html %q", first.Text, first.HTML)
	}
	if first.HasRaw {
		t.Error("the source of a mail with a number was kept")
	}
	if _, err := e.tickets.FindRawMessage(ctx, id, 1); ticket.ErrorCode(err) != ticket.ENOTFOUND {
		t.Errorf("raw source: %v", err)
	}
	for _, ack := range e.outbox() {
		if strings.Contains(ack.Subject, "01019012480") {
			t.Errorf("acknowledgement subject %q", ack.Subject)
		}
	}
	// The form's addition on the status page, and a mail without a number, keep everything.
	if _, err := e.tickets.AppendMessage(ctx, id, &ticket.Message{Direction: ticket.DirectionIn, From: "kari@hamar.kommune.no", Text: "Og 01019012480."}, ticket.AppendOptions{}); err != nil {
		t.Fatal(err)
	}
	plain := e.ingest(mail("ola@hamar.kommune.no", "Konto 12345678903", "<plain@h>")).TicketID
	if got := e.ticket(plain); got.Subject != "Konto 12345678903" {
		t.Errorf("look-alike masked: %q", got.Subject)
	}
	events, err := data.NewEventService(e.db).FindEvents(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	var notes []string
	for _, ev := range events {
		if ev.Kind == ticket.EventMasked {
			notes = append(notes, ev.To+": "+ev.Detail)
		}
	}
	want := []string{"1: fødselsnummer maskert i emnet og teksten; e-postens kildetekst er ikke lagret", "2: fødselsnummer maskert i teksten"}
	if strings.Join(notes, "|") != strings.Join(want, "|") {
		t.Errorf("notes on the ticket: %q, want %q", notes, want)
	}
	if list, n, err := e.tickets.FindTickets(ctx, ticket.TicketFilter{Query: "41019012474", Limit: 5}); err != nil || n != 0 || len(list) != 0 {
		t.Errorf("search finds the number: %d %v", n, err)
	}
}
