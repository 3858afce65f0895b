package mailbridge_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/ks-no/digihjelpen/mailbridge"
)

// imapAccount is a mailbox account to test against: the real Dovecot of the mail stack, a
// private Dovecot, or the in-process server.
type imapAccount struct {
	addr, user, pass string
}

// dovecot returns the account of the mail stack's Dovecot. Without one the test is skipped,
// unless DIGIHJELPEN_TEST_REQUIRE_MAILSTACK=1 (make test) says it must run.
func dovecot(t *testing.T) imapAccount {
	t.Helper()
	addr := os.Getenv("MAILSTACK_IMAP_ADDR")
	if addr == "" {
		if os.Getenv("DIGIHJELPEN_TEST_REQUIRE_MAILSTACK") == "1" {
			t.Fatal("MAILSTACK_IMAP_ADDR is not set: start the mail stack (scripts/mailstack-up.sh)")
		}
		t.Skip("mail stack not running: set MAILSTACK_IMAP_ADDR (make test does)")
	}
	return imapAccount{addr: addr, user: os.Getenv("MAILSTACK_IMAP_USER"), pass: os.Getenv("MAILSTACK_IMAP_PASS")}
}

func (a imapAccount) client(t testing.TB) *imapclient.Client {
	t.Helper()
	c, err := imapclient.DialInsecure(a.addr, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Login(a.user, a.pass).Wait(); err != nil {
		t.Fatal(err)
	}
	return c
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9]+`)

// mailboxes creates a mailbox of the test's own and names its processed mailbox (which the
// poller must create); both are deleted when the test ends. Tests share one Dovecot account.
func (a imapAccount) mailboxes(t testing.TB) (inbox, done string) {
	t.Helper()
	inbox = fmt.Sprintf("t-%s-%d", unsafeName.ReplaceAllString(t.Name(), "-"), time.Now().UnixNano())
	done = inbox + "-ferdig"
	c := a.client(t)
	defer c.Close()
	if err := c.Create(inbox, nil).Wait(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c, err := imapclient.DialInsecure(a.addr, nil)
		if err != nil {
			return
		}
		defer c.Close()
		if c.Login(a.user, a.pass).Wait() == nil {
			c.Delete(inbox).Wait()
			c.Delete(done).Wait()
		}
	})
	return inbox, done
}

// appendMails puts mails in a mailbox as a delivery would: unseen.
func (a imapAccount) appendMails(t testing.TB, mailbox string, raws ...[]byte) {
	t.Helper()
	c := a.client(t)
	defer c.Close()
	for _, raw := range raws {
		cmd := c.Append(mailbox, int64(len(raw)), nil)
		if _, err := cmd.Write(raw); err != nil {
			t.Fatal(err)
		}
		if err := cmd.Close(); err != nil {
			t.Fatal(err)
		}
		if _, err := cmd.Wait(); err != nil {
			t.Fatalf("append to %s: %v", mailbox, err)
		}
	}
}

// count returns how many mails a mailbox holds and how many of them are \Seen (-1, -1 when it
// does not exist).
func (a imapAccount) count(t testing.TB, mailbox string) (total, seen int) {
	t.Helper()
	c := a.client(t)
	defer c.Close()
	sel, err := c.Select(mailbox, &imap.SelectOptions{ReadOnly: true}).Wait()
	if err != nil {
		return -1, -1
	}
	if sel.NumMessages == 0 {
		return 0, 0
	}
	var all imap.SeqSet
	all.AddRange(1, 0)
	msgs, err := c.Fetch(all, &imap.FetchOptions{Flags: true}).Collect()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range msgs {
		for _, f := range m.Flags {
			if f == imap.FlagSeen {
				seen++
			}
		}
	}
	return len(msgs), seen
}

// size is the number of mails in a mailbox, by STATUS (cheap on a large mailbox).
func (a imapAccount) size(t testing.TB, mailbox string) int {
	t.Helper()
	c := a.client(t)
	defer c.Close()
	st, err := c.Status(mailbox, &imap.StatusOptions{NumMessages: true}).Wait()
	if err != nil {
		return -1
	}
	return int(*st.NumMessages)
}

// question is a new question from a municipality, unique by n.
func question(n int, tag string) []byte {
	return fmt.Appendf(nil, "From: Kari Nordmann <kari%d@hamar.kommune.no>\r\nTo: kontakt@digihjelpen.test\r\n"+
		"Subject: =?utf-8?Q?Sp=C3=B8rsm=C3=A5l_%d?= %s\r\nMessage-ID: <%s-%d@hamar.kommune.no>\r\nDate: Mon, 23 Nov 2026 10:00:00 +0100\r\n"+
		"Content-Type: text/plain; charset=utf-8\r\n\r\nHei! Hvordan hjelper vi innbyggere med BankID? (%d)\r\n", n, n, tag, tag, n, n)
}

// poller returns a poller on account a and mailbox, with quick retries for tests.
func (a imapAccount) poller(in *mailbridge.Intake, inbox, done string, logs io.Writer) *mailbridge.Poller {
	return &mailbridge.Poller{
		Addr: a.addr, TLS: "none", Username: a.user, Password: a.pass, Mailbox: inbox, ProcessedMailbox: done,
		PollInterval: time.Minute, IDLE: true, Intake: in, Logger: slog.New(slog.NewTextHandler(logs, nil)),
		MinBackoff: 50 * time.Millisecond, MaxBackoff: 500 * time.Millisecond,
		LoginBackoffMin: 50 * time.Millisecond, LoginBackoffMax: 500 * time.Millisecond,
	}
}

// start runs p until the returned stop is called (or the test ends); stop waits for Run.
func start(t testing.TB, p *mailbridge.Poller) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := p.Run(ctx); err != nil {
			t.Errorf("poller: %v", err)
		}
	})
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			done := make(chan struct{})
			go func() { wg.Wait(); close(done) }()
			select {
			case <-done:
			case <-time.After(30 * time.Second):
				t.Error("poller did not stop within 30 s")
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

// eventually waits for cond, failing the test with what after d.
func eventually(t testing.TB, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", d, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// syncBuffer is a log buffer safe for the poller's goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
