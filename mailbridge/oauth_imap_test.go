package mailbridge_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/mailbridge"
	"github.com/ks-no/digihjelpen/mailbridge/oauth"
	"github.com/ks-no/digihjelpen/ticket"
)

// TestPollerDovecotOAuth reads the mailbox through the real Dovecot with a token from the real
// test provider, by each mechanism; Dovecot validates the token. A token for another mailbox is
// refused, and the state says so.
func TestPollerDovecotOAuth(t *testing.T) {
	acct := dovecot(t)
	idp := stackProvider(t)
	for _, mech := range []string{oauth.OAUTHBEARER, oauth.XOAUTH2} {
		t.Run(mech, func(t *testing.T) {
			inbox, done := acct.mailboxes(t)
			s := newStore(t)
			acct.appendMails(t, inbox, question(1, "oauth-"+mech), question(2, "oauth-"+mech))
			logs := &syncBuffer{}
			p := acct.poller(s.mailbridge(), inbox, done, logs)
			p.Username, p.Password = "helpdesk@example.test", ""
			p.Token, p.Mechanisms = idp.source(t, "", logs), []string{mech}
			st := &states{}
			p.ReportState = st.report
			start(t, p)
			eventually(t, 20*time.Second, "2 mails moved", func() bool { n, seen := acct.count(t, done); return n == 2 && seen == 2 })
			if _, total, _ := s.tickets.FindTickets(context.Background(), ticket.TicketFilter{}); total != 2 {
				t.Errorf("tickets got %d, want 2", total)
			}
			if last, ok := st.last(); !ok || last != "" {
				t.Errorf("state %q, want reported fine", last)
			}
			if !strings.Contains(dovecotLog(t), "user=<helpdesk>, method="+mech) {
				t.Errorf("Dovecot's log has no %s login", mech)
			}
			if strings.Contains(logs.String(), idp.secret) || strings.Contains(logs.String(), "eyJ") {
				t.Errorf("the secret or a token in the log:\n%s", logs)
			}
		})
	}
	t.Run("ErrOtherMailbox", func(t *testing.T) {
		inbox, done := acct.mailboxes(t)
		p := acct.poller(newStore(t).mailbridge(), inbox, done, &syncBuffer{})
		p.Username, p.Password, p.Token = "annen@example.test", "", idp.source(t, "", &syncBuffer{})
		st := &states{}
		p.ReportState = st.report
		start(t, p)
		eventually(t, 10*time.Second, "the refusal reported", func() bool { last, _ := st.last(); return last != "" })
		if last, _ := st.last(); !containsAll(last, "avviste tilgangsnøkkelen for annen@example.test", acct.addr) {
			t.Errorf("state %q", last)
		}
	})
}

// TestPollerDovecotTokenOutage cuts the session right after a commit (before the move) and takes
// the token endpoint away; the cached token runs out meanwhile. The poller reports that the
// endpoint cannot be reached, then (the endpoint back with another secret) that it refuses the
// client, and once the endpoint accepts the secret again it finishes: every mail is a ticket
// exactly once and every mail is moved.
func TestPollerDovecotTokenOutage(t *testing.T) {
	acct := dovecot(t)
	own := startOwnProvider(t, 3*time.Second, "mail-secret")
	inbox, done := acct.mailboxes(t)
	s := newStore(t)
	var raws [][]byte
	for i := range 12 {
		raws = append(raws, question(i, "utfall"))
	}
	acct.appendMails(t, inbox, raws...)
	logs := &syncBuffer{}
	p := acct.poller(s.mailbridge(), inbox, done, logs)
	p.Username, p.Password, p.BatchSize = "helpdesk@example.test", "", 4
	p.Token = own.provider().source(t, "", logs)
	st := &states{}
	p.ReportState = st.report
	var commits atomic.Int32
	mailbridge.SetAfterCommit(p, func() error {
		if commits.Add(1) != 1 {
			return nil
		}
		own.stop()
		time.Sleep(2500 * time.Millisecond) // the 3 s token is stale now
		return errors.New("session cut after the first commit")
	})
	start(t, p)

	eventually(t, 20*time.Second, "the outage reported", func() bool {
		last, _ := st.last()
		return strings.Contains(last, "fikk ikke kontakt med tokentjenesten http://"+own.addr)
	})
	own.restart("et-annet-passord")
	eventually(t, 20*time.Second, "the refusal reported", func() bool {
		last, _ := st.last()
		return strings.Contains(last, "avviste forespørselen (invalid_client")
	})
	ctx := context.Background()
	if _, total, _ := s.tickets.FindTickets(ctx, ticket.TicketFilter{}); total != 4 {
		t.Fatalf("during the outage %d tickets, want the 4 of the first batch", total)
	}
	own.restart("mail-secret")
	eventually(t, 30*time.Second, "all 12 mails moved", func() bool { n, seen := acct.count(t, done); return n == 12 && seen == 12 })
	eventually(t, 5*time.Second, "the state fine again", func() bool { last, _ := st.last(); return last == "" })
	if _, total, _ := s.tickets.FindTickets(ctx, ticket.TicketFilter{}); total != 12 {
		t.Errorf("tickets got %d, want 12: nothing lost, nothing twice", total)
	}
	if n, _ := acct.count(t, inbox); n != 0 {
		t.Errorf("%d mails left in %s", n, inbox)
	}
	if out := logs.String(); strings.Contains(out, "mail-secret") || strings.Contains(out, "et-annet-passord") || strings.Contains(out, "eyJ") ||
		!containsAll(out, "oauth token request failed", "token_url=http://"+own.addr, "error=invalid_client") {
		t.Errorf("log:\n%s", out)
	}
	if err := s.db.Verify(ctx); err != nil {
		t.Fatal(err)
	}
	st.mu.Lock()
	t.Logf("states reported: %q", st.list)
	st.mu.Unlock()
}
