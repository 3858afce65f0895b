package mailbridge_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/mailbridge"
	"github.com/ks-no/digihjelpen/ticket"
)

// postfix returns the mail stack's Postfix (MAILSTACK_POSTFIX=1), which relays to Mailpit only
// for a client that authenticated through Dovecot, and the Mailpit API.
func postfix(t *testing.T) (addr string, api mailpit) {
	t.Helper()
	_, api = mailstack(t)
	addr = os.Getenv("MAILSTACK_MTA_ADDR")
	if addr == "" {
		if os.Getenv("DIGIHJELPEN_TEST_REQUIRE_MAILSTACK") == "1" {
			t.Fatal("MAILSTACK_MTA_ADDR is not set: start the mail stack with MAILSTACK_POSTFIX=1 (make test does)")
		}
		t.Skip("the mail stack's Postfix is not running (MAILSTACK_POSTFIX=1)")
	}
	return addr, api
}

// TestSendPostfixXOAUTH2 sends through Postfix with XOAUTH2 and a token from the test provider,
// which Dovecot's SASL validates for Postfix; the mail is relayed into Mailpit. With a wrong
// client secret the token endpoint refuses: the mail waits without using up a try, the state
// says why, and once the secret is right it goes out, once.
func TestSendPostfixXOAUTH2(t *testing.T) {
	mta, api := postfix(t)
	idp := stackProvider(t)
	f := newFixture(t)
	_, _, ack := f.newTicket("Spørsmål om kurs i Min side", f.requester("oauth"))

	st := &states{}
	wrong := f.sender(mta, func(s *mailbridge.Sender) {
		s.Username, s.Token, s.ReportState = "helpdesk@example.test", idp.source(t, "feil-hemmelighet", f.logs), st.report
	})
	if _, err := wrong.SendDue(f.ctx()); err == nil || !strings.Contains(err.Error(), "invalid_client") {
		t.Fatalf("with a wrong secret: %v, want the token endpoint's refusal", err)
	}
	got := f.mail(ack.ID)
	if last, _ := st.last(); got.State != ticket.OutboxQueued || got.Attempts != 0 ||
		!containsAll(got.LastError, "tilgangsnøkkel", idp.tokenURL, "invalid_client") || last != got.LastError {
		t.Fatalf("mail %+v, state %q", got, last)
	}
	f.clock.Add(10 * time.Minute)

	right := f.sender(mta, func(s *mailbridge.Sender) {
		s.Username, s.Token, s.ReportState = "helpdesk@example.test", idp.source(t, "", f.logs), st.report
	})
	if n, err := right.SendDue(f.ctx()); err != nil || n != 1 {
		t.Fatalf("SendDue: %d %v, want 1 sent", n, err)
	}
	if m, _ := api.find(t, ack.MessageID); !strings.Contains(m.Subject, "Spørsmål om kurs i Min side") {
		t.Fatalf("in Mailpit: %+v", m)
	}
	if n := len(api.count(t, ack.MessageID)); n != 1 {
		t.Errorf("%d copies in Mailpit, want 1", n)
	}
	if last, _ := st.last(); last != "" {
		t.Errorf("state %q after the mail went out, want fine", last)
	}
	if strings.Contains(f.logs.String(), idp.secret) || strings.Contains(f.logs.String(), "feil-hemmelighet") || strings.Contains(f.logs.String(), "eyJ") {
		t.Errorf("the secret or a token in the log:\n%s", f.logs)
	}
}

// TestSendPostfixTokenRefused: Postfix (through Dovecot) refuses a valid token for another
// mailbox: the mail waits and the state names the refusal.
func TestSendPostfixTokenRefused(t *testing.T) {
	mta, _ := postfix(t)
	idp := stackProvider(t)
	f := newFixture(t)
	_, _, ack := f.newTicket("Spørsmål om BankID", f.requester("nekt"))
	st := &states{}
	s := f.sender(mta, func(s *mailbridge.Sender) {
		s.Username, s.Token, s.ReportState = "annen@example.test", idp.source(t, "", f.logs), st.report
	})
	if _, err := s.SendDue(f.ctx()); err == nil {
		t.Fatal("sent with a token for another mailbox")
	}
	got := f.mail(ack.ID)
	if last, _ := st.last(); got.State != ticket.OutboxQueued || got.Attempts != 0 || !containsAll(last, "avviste innloggingen for annen@example.test", "535") {
		t.Fatalf("mail %+v, state %q", got, last)
	}
}

// TestSendPostfixRenewsShortLivedTokens sends a mail every second for 8 seconds with tokens that
// live 3 seconds: each pass connects anew, the source renews the token before it runs out, and
// Dovecot (which refuses an expired token) lets every pass in.
func TestSendPostfixRenewsShortLivedTokens(t *testing.T) {
	mta, api := postfix(t)
	own := startOwnProvider(t, 3*time.Second, "mail-secret")
	f := newFixture(t)
	s := f.sender(mta, func(s *mailbridge.Sender) {
		s.Username, s.Token = "helpdesk@example.test", own.provider().source(t, "", f.logs)
	})
	var mails []*ticket.OutboundMail
	for i := range 8 {
		_, _, ack := f.newTicket("Kort levetid "+string(rune('A'+i)), f.requester("kort"))
		mails = append(mails, ack)
		if n, err := s.SendDue(f.ctx()); err != nil || n != 1 {
			t.Fatalf("pass %d: %d %v", i, n, err)
		}
		time.Sleep(time.Second)
	}
	for _, m := range mails {
		if n := len(api.count(t, m.MessageID)); n != 1 {
			t.Errorf("mail %s: %d in Mailpit, want 1", m.MessageID, n)
		}
	}
	if n := strings.Count(f.logs.String(), "oauth token fetched"); n < 3 || n > 6 {
		t.Errorf("%d tokens fetched in 8 s of 3 s tokens, want 3 to 6 (renewed before expiry, reused meanwhile)\n%s", n, f.logs)
	}
	if strings.Contains(f.logs.String(), "avviste") || strings.Contains(f.logs.String(), "refused") {
		t.Errorf("a token was refused:\n%s", f.logs)
	}
}
