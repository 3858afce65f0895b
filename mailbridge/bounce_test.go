package mailbridge_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/ticket"
)

// TestBounceReturnsTheMail: a bounce that says our mail was not delivered marks that mail in
// the outbox as returned (parked, with what the recipient's server said), where staff see it
// on /utboks and on the ticket; a delay warning, or a bounce of mail that is not sent, changes
// nothing in the outbox. The bounces are real: the project's Postfix DSN of an acknowledgement,
// an Office 365 and a Sendmail delay report from other projects' test data, each pointed at
// the acknowledgement of a ticket of its own.
func TestBounceReturnsTheMail(t *testing.T) {
	tests := []struct {
		name, file, original string // original: the Message-ID the fixture reports
		sent                 bool   // the acknowledgement went out before the bounce came
		returned             bool
		reason               []string // in the mail's error and the ticket's event
	}{
		{name: "PostfixUserUnknown", file: "no/retur-av-kvittering.eml", original: "<ack-1@digihjelpen.test>", sent: true, returned: true,
			reason: []string{"feil.adresse@hamar.kommune.no", "ikke levert (failed)", "5.1.1", "User unknown"}},
		{name: "Office365", file: "corpus/bounces/flanker__office365.eml", original: "<20171013111011.20866.254C2F3A4D7AA526@ninomail.com>",
			sent: true, returned: true, reason: []string{"noname@example.com", "status 5.1.10"}},
		{name: "DelayWarning", file: "corpus/bounces/mikel-mail__report_422.eml", original: "<15655788.13.1200472642578.JavaMail.Administrator@mail.ttttt.com.au>",
			sent: true, returned: false},
		{name: "NotSentYet", file: "no/retur-av-kvittering.eml", original: "<ack-1@digihjelpen.test>", sent: false, returned: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStore(t)
			in, ctx := s.mailbridge(), context.Background()
			outbox, events := data.NewOutboxService(s.db), data.NewEventService(s.db)
			q := "From: Kari <feil.adresse@hamar.kommune.no>\r\nTo: kontakt@digihjelpen.test\r\nSubject: Kurs\r\n" +
				"Message-ID: <q@hamar.kommune.no>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHei!\r\n"
			created := take(t, in, []byte(q))[0]
			ack := fmt.Sprintf("<ack-%d@digihjelpen.test>", created.TicketID)
			mails, err := outbox.FindOutbox(ctx, ticket.OutboxFilter{TicketID: &created.TicketID})
			if err != nil || len(mails) != 1 || mails[0].MessageID != ack {
				t.Fatalf("outbox of the ticket: %+v %v", mails, err)
			}
			if tt.sent {
				if err := outbox.MarkMailSent(ctx, mails[0].ID); err != nil {
					t.Fatal(err)
				}
			}
			raw := bytes.ReplaceAll(readFixture(t, tt.file), []byte(tt.original), []byte(ack))
			if res := take(t, in, raw)[0]; res.Outcome != ticket.IntakeAppended || res.TicketID != created.TicketID {
				t.Fatalf("bounce: got %+v, want appended to ticket %d", res, created.TicketID)
			}

			m, _ := outbox.FindOutbox(ctx, ticket.OutboxFilter{TicketID: &created.TicketID})
			got := m[0]
			wantState := map[bool]ticket.OutboxState{true: ticket.OutboxSent, false: ticket.OutboxQueued}[tt.sent]
			if tt.returned {
				wantState = ticket.OutboxParked
			}
			if got.State != wantState || got.ReturnedAt.IsZero() == tt.returned {
				t.Fatalf("mail got %s returned at %v, want %s (returned %v)", got.State, got.ReturnedAt, wantState, tt.returned)
			}
			parked, _ := outbox.FindOutbox(ctx, ticket.OutboxFilter{State: new(ticket.OutboxParked)})
			if _, n, _ := outbox.CountOutbox(ctx); (n == 1) != tt.returned || (len(parked) == 1) != tt.returned {
				t.Errorf("parked got %d (listed %d), want the returned mail only", n, len(parked))
			}
			list, _ := events.FindEvents(ctx, created.TicketID)
			last := list[len(list)-1]
			if failed := last.Kind == ticket.EventMailFailed; failed != (tt.returned || !tt.sent) {
				t.Errorf("last event %s %q: a mail-failed event only for a bounce that reports a failure", last.Kind, last.Detail)
			}
			if tt.returned {
				if got.StateLabel() != "kom i retur" || !strings.HasPrefix(last.Detail, "Kvittering (e-post 1, feil.adresse@hamar.kommune.no) kom i retur.") {
					t.Errorf("label %q, event %q", got.StateLabel(), last.Detail)
				}
				for _, w := range tt.reason {
					if !strings.Contains(got.LastError, w) || !strings.Contains(last.Detail, w) {
						t.Errorf("error %q and event %q, want both to say %q", got.LastError, last.Detail, w)
					}
				}
				again, err := outbox.RetryMail(ctx, got.ID)
				if err != nil || again.State != ticket.OutboxQueued || !again.ReturnedAt.IsZero() {
					t.Errorf("send again: got %+v %v, want queued and no longer returned", again, err)
				}
			}
			if err := s.db.Verify(ctx); err != nil {
				t.Fatal(err)
			}
		})
	}
}
