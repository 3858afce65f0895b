package mailbridge_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/mailbridge"
	"github.com/ks-no/digihjelpen/ticket"
)

// TestPollerDovecot runs intake against the real Dovecot: mails appended over IMAP become
// tickets, messages, quarantine entries; every one ends up \Seen in the processed mailbox (which
// the poller creates); a mail that arrives while it idles is taken at once (IDLE, the poll
// interval is a minute).
func TestPollerDovecot(t *testing.T) {
	acct := dovecot(t)
	inbox, done := acct.mailboxes(t)
	s := newStore(t)
	in := s.mailbridge()
	in.MaxMessageBytes = 64 << 10
	big := append(question(99, "stor"), bytes.Repeat([]byte("x"), 70<<10)...)
	first := []byte("From: Kari Nordmann <Kari.Nordmann@hamar.kommune.no>\r\nTo: kontakt@digihjelpen.test\r\nSubject: Kurs i BankID\r\n" +
		"Message-ID: <q1@hamar.kommune.no>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHar dere kursmateriell?\r\n")
	acct.appendMails(t, inbox, first, readFixture(t, "no/outlook-svar.eml"), readFixture(t, "no/fravaer.eml"),
		readFixture(t, "no/retur-av-kvittering.eml"), readFixture(t, "no/latin1-8bit.eml"), []byte("\x00\x01 ikke en e-post"), big)
	logs := &syncBuffer{}
	start(t, acct.poller(in, inbox, done, logs))

	eventually(t, 20*time.Second, "all 7 mails moved", func() bool { n, seen := acct.count(t, done); return n == 7 && seen == 7 })
	if n, _ := acct.count(t, inbox); n != 0 {
		t.Errorf("%s still holds %d mails", inbox, n)
	}
	ctx := context.Background()
	list, total, _ := s.tickets.FindTickets(ctx, ticket.TicketFilter{})
	if total != 2 {
		t.Fatalf("tickets got %d, want 2 (the question and the Latin-1 mail)", total)
	}
	if msgs, _ := s.tickets.FindMessages(ctx, list[len(list)-1].ID); len(msgs) != 4 {
		t.Errorf("the first ticket has %d messages, want 4 (question, reply, out of office, bounce)", len(msgs))
	}
	q, qn, _ := in.FindQuarantine(ctx, ticket.QuarantineFilter{})
	if qn != 2 || q[0].Reason != ticket.QuarantineTooLarge || q[1].Reason != ticket.QuarantineUnreadable || !strings.HasPrefix(q[0].Source, "IMAP "+inbox+" uid ") {
		t.Errorf("quarantine got %d entries %+v", qn, q)
	}
	cp, _ := s.intake.Checkpoint(ctx, inbox)
	if cp.UID != 7 || cp.UIDValidity == 0 {
		t.Errorf("checkpoint got %+v, want uid 7", cp)
	}

	acct.appendMails(t, inbox, question(1, "idle"))
	eventually(t, 10*time.Second, "the mail appended while idling", func() bool { n, _ := acct.count(t, done); return n == 8 })
	if _, total, _ := s.tickets.FindTickets(ctx, ticket.TicketFilter{}); total != 3 {
		t.Errorf("tickets got %d, want 3", total)
	}
	if strings.Contains(logs.String(), "kari") || strings.Contains(logs.String(), "Kurs i BankID") {
		t.Errorf("personal data in the log:\n%s", logs)
	}
	if err := s.db.Verify(ctx); err != nil {
		t.Fatal(err)
	}
}

// TestPollerDovecotPolling reads without IDLE, every poll interval.
func TestPollerDovecotPolling(t *testing.T) {
	acct := dovecot(t)
	inbox, done := acct.mailboxes(t)
	s := newStore(t)
	p := acct.poller(s.mailbridge(), inbox, done, &syncBuffer{})
	p.IDLE, p.PollInterval = false, 200*time.Millisecond
	start(t, p)
	eventually(t, 10*time.Second, "the processed mailbox", func() bool { n, _ := acct.count(t, done); return n == 0 })
	acct.appendMails(t, inbox, question(1, "poll"), question(2, "poll"))
	eventually(t, 10*time.Second, "2 mails moved", func() bool { n, _ := acct.count(t, done); return n == 2 })
}

// TestPollerDovecotRestartMidIntake stops the poller after a commit and before the move (the
// worst moment), and again in the middle of the next run; a new poller on the same database
// finishes the work: every mail is a ticket exactly once, and every mail is moved.
func TestPollerDovecotRestartMidIntake(t *testing.T) {
	acct := dovecot(t)
	inbox, done := acct.mailboxes(t)
	s := newStore(t)
	var raws [][]byte
	for i := range 30 {
		raws = append(raws, question(i, "restart"))
	}
	acct.appendMails(t, inbox, raws...)
	for round, commits := range []int{2, 3} {
		p := acct.poller(s.mailbridge(), inbox, done, &syncBuffer{})
		p.BatchSize = 4
		var n atomic.Int32
		crashed := make(chan struct{})
		mailbridge.SetAfterCommit(p, func() error {
			if n.Add(1) == int32(commits) {
				close(crashed)
				return errors.New("crash between commit and move")
			}
			return nil
		})
		p.MaxBackoff = time.Hour // no reconnect: this poller is "dead" after the crash
		p.MinBackoff = time.Hour
		stop := start(t, p)
		select {
		case <-crashed:
		case <-time.After(20 * time.Second):
			t.Fatalf("round %d: no crash", round)
		}
		stop()
	}
	_, total, _ := s.tickets.FindTickets(context.Background(), ticket.TicketFilter{})
	if total == 0 || total == 30 {
		t.Fatalf("after the crashes %d tickets: the test did not stop midway", total)
	}
	start(t, acct.poller(s.mailbridge(), inbox, done, &syncBuffer{}))
	eventually(t, 20*time.Second, "all 30 mails moved", func() bool { n, seen := acct.count(t, done); return n == 30 && seen == 30 })
	_, total, _ = s.tickets.FindTickets(context.Background(), ticket.TicketFilter{})
	if total != 30 {
		t.Errorf("tickets got %d, want 30: nothing lost, nothing twice", total)
	}
	if n, _ := acct.count(t, inbox); n != 0 {
		t.Errorf("%d mails left in %s", n, inbox)
	}
}

// TestPollerDovecotUIDValidityChange recreates the mailbox (a new UIDVALIDITY, as after a
// restore) with the same mails and one new: the mailbox is read again, the old mails are
// recognised by Message-ID, the new one becomes a ticket.
func TestPollerDovecotUIDValidityChange(t *testing.T) {
	acct := dovecot(t)
	inbox, done := acct.mailboxes(t)
	s := newStore(t)
	old := [][]byte{question(1, "uidv"), question(2, "uidv"), question(3, "uidv")}
	acct.appendMails(t, inbox, old...)
	stop := start(t, acct.poller(s.mailbridge(), inbox, done, &syncBuffer{}))
	eventually(t, 10*time.Second, "3 mails moved", func() bool { n, _ := acct.count(t, done); return n == 3 })
	stop()
	before, _ := s.intake.Checkpoint(context.Background(), inbox)

	c := acct.client(t)
	if err := c.Delete(inbox).Wait(); err != nil {
		t.Fatal(err)
	}
	if err := c.Create(inbox, nil).Wait(); err != nil {
		t.Fatal(err)
	}
	c.Close()
	acct.appendMails(t, inbox, append(old, question(4, "uidv"))...)
	logs := &syncBuffer{}
	start(t, acct.poller(s.mailbridge(), inbox, done, logs))
	eventually(t, 10*time.Second, "4 more mails moved", func() bool { n, _ := acct.count(t, done); return n == 7 })
	if _, total, _ := s.tickets.FindTickets(context.Background(), ticket.TicketFilter{}); total != 4 {
		t.Errorf("tickets got %d, want 4", total)
	}
	after, _ := s.intake.Checkpoint(context.Background(), inbox)
	if after.UIDValidity == before.UIDValidity || after.UID != 4 {
		t.Errorf("checkpoint went from %+v to %+v, want a new UIDVALIDITY at uid 4", before, after)
	}
	if !strings.Contains(logs.String(), "UIDVALIDITY changed") {
		t.Errorf("log lacks the UIDVALIDITY change:\n%s", logs)
	}
}

// TestPollerDovecotLargeMail: a mail with a large file, read from the real Dovecot, is stored
// with its source and its file in chunks (the file decoded as it is stored), and both read
// back byte for byte.
func TestPollerDovecotLargeMail(t *testing.T) {
	acct := dovecot(t)
	inbox, done := acct.mailboxes(t)
	s := newStore(t)
	in := s.mailbridge()
	in.MaxMessageBytes = 25 << 20
	mail := largeMail(4 << 20)
	_, rest, _ := bytes.Cut(mail, []byte("Content-Transfer-Encoding: base64\r\n\r\n"))
	encoded, _, _ := bytes.Cut(rest, []byte("\r\n--grense--"))
	file, err := base64.StdEncoding.DecodeString(strings.ReplaceAll(string(encoded), "\r\n", ""))
	if err != nil {
		t.Fatal(err)
	}
	acct.appendMails(t, inbox, mail)
	start(t, acct.poller(in, inbox, done, &syncBuffer{}))
	eventually(t, 30*time.Second, "the mail moved", func() bool { n, _ := acct.count(t, done); return n == 1 })
	ctx := context.Background()
	list, total, err := s.tickets.FindTickets(ctx, ticket.TicketFilter{})
	if err != nil || total != 1 {
		t.Fatalf("tickets: %d, %v", total, err)
	}
	raw, err := s.tickets.FindRawMessage(ctx, list[0].ID, 1)
	if err != nil || !bytes.Equal(raw, mail) {
		t.Errorf("source: %v, %d bytes, want the %d sent", err, len(raw), len(mail))
	}
	a, err := s.tickets.FindAttachment(ctx, list[0].ID, 1, 0)
	if err != nil || !bytes.Equal(a.Data, file) || a.Size != int64(len(file)) {
		t.Errorf("file: %v, %d bytes, want %d", err, len(a.Data), len(file))
	}
	if err := s.db.Verify(ctx); err != nil {
		t.Fatal(err)
	}
}
