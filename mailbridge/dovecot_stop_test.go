package mailbridge_test

import (
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/ticket"
)

// privateDovecot is a Dovecot of this test's own (the project's mail-stack script with its own
// folder and port), so it can be stopped and started without disturbing other tests.
type privateDovecot struct {
	t    *testing.T
	dir  string
	port int
}

func newPrivateDovecot(t *testing.T) *privateDovecot {
	t.Helper()
	dovecot(t) // the same rules: skipped without the mail stack, required under make test
	if os.Geteuid() != 0 {
		if os.Getenv("DIGIHJELPEN_TEST_REQUIRE_MAILSTACK") == "1" {
			t.Fatal("a private Dovecot needs root (the mail-stack script drops to the mail user)")
		}
		t.Skip("a private Dovecot needs root")
	}
	dir, err := os.MkdirTemp("/tmp", "dh-intake-dovecot-")
	if err != nil {
		t.Fatal(err)
	}
	os.Chmod(dir, 0o755) // Dovecot's own users must traverse it
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	d := &privateDovecot{t: t, dir: dir, port: port}
	t.Cleanup(func() {
		d.script("mailstack-down.sh")
		os.RemoveAll(dir)
	})
	d.up()
	return d
}

func (d *privateDovecot) script(name string) {
	d.t.Helper()
	cmd := exec.Command("bash", filepath.Join("..", "scripts", name))
	cmd.Env = append(os.Environ(), "MAILSTACK_DIR="+d.dir, "IMAP_PORT="+strconv.Itoa(d.port), "MAILSTACK_MAILPIT=0",
		"MAILSTACK_SKIP_INSTALL=1", "MAILSTACK_USERS=helpdesk:secret",
		// only Dovecot, whatever the shared stack runs (make test turns Postfix and the provider on)
		"MAILSTACK_POSTFIX=0", "MAILSTACK_IDP=0", "MAILSTACK_IMAPS=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		d.t.Fatalf("%s: %v\n%s", name, err, out)
	}
}

func (d *privateDovecot) up() { d.script("mailstack-up.sh") }

// down stops Dovecot as systemd would: its sessions end with it. Stopping the master alone
// leaves the imap processes of open sessions serving, so they are kicked first.
func (d *privateDovecot) down() {
	d.t.Helper()
	if out, err := exec.Command("doveadm", "-c", filepath.Join(d.dir, "dovecot", "dovecot.conf"), "kick", "helpdesk").CombinedOutput(); err != nil {
		d.t.Fatalf("doveadm kick: %v\n%s", err, out)
	}
	d.script("mailstack-down.sh")
}

func (d *privateDovecot) account() imapAccount {
	return imapAccount{addr: "127.0.0.1:" + strconv.Itoa(d.port), user: "helpdesk", pass: "secret"}
}

// TestPollerDovecotStopsMidPoll stops Dovecot while the poller is working through 120 mails,
// keeps it down a while (the poller retries with backoff), starts it again with more mail
// waiting: every mail becomes one ticket, and every one is moved.
func TestPollerDovecotStopsMidPoll(t *testing.T) {
	d := newPrivateDovecot(t)
	acct := d.account()
	inbox, done := acct.mailboxes(t)
	s := newStore(t)
	var raws [][]byte
	for i := range 120 {
		raws = append(raws, question(i, "stopp"))
	}
	acct.appendMails(t, inbox, raws...)
	in := s.mailbridge()
	in.Store = slowStore{s.intake} // slow enough to stop Dovecot in the middle
	logs := &syncBuffer{}
	p := acct.poller(in, inbox, done, logs)
	p.BatchSize = 5
	start(t, p)

	ctx := context.Background()
	count := func() int { _, n, _ := s.tickets.FindTickets(ctx, ticket.TicketFilter{}); return n }
	eventually(t, 20*time.Second, "the first tickets", func() bool { return count() >= 10 })
	d.down()
	atStop := count()
	time.Sleep(1500 * time.Millisecond) // several failed reconnects
	if atStop == 120 {
		t.Fatal("all mail was taken before Dovecot stopped: the test proves nothing")
	}
	d.up()
	acct.appendMails(t, inbox, question(200, "stopp"), question(201, "stopp"))
	eventually(t, 30*time.Second, "all 122 mails moved", func() bool { n, seen := acct.count(t, done); return n == 122 && seen == 122 })
	if got := count(); got != 122 {
		t.Errorf("tickets got %d, want 122", got)
	}
	if n, _ := acct.count(t, inbox); n != 0 {
		t.Errorf("%d mails left in %s", n, inbox)
	}
	if err := s.db.Verify(ctx); err != nil {
		t.Fatal(err)
	}
	t.Logf("stopped at %d of 120 tickets", atStop)
}

// slowStore takes 250 ms per commit, so a test can act while intake is in the middle.
type slowStore struct{ *data.IntakeService }

func (s slowStore) IngestBatch(ctx context.Context, items []ticket.IngestItem) ([]ticket.IntakeResult, error) {
	time.Sleep(250 * time.Millisecond)
	return s.IntakeService.IngestBatch(ctx, items)
}
