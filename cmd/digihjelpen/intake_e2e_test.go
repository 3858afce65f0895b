package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/ticket"
)

// mailStack returns the Dovecot of the mail stack (skipped without it, unless make test
// requires it).
func mailStack(t *testing.T) (addr, user, pass string) {
	t.Helper()
	addr = os.Getenv("MAILSTACK_IMAP_ADDR")
	if addr == "" {
		if os.Getenv("DIGIHJELPEN_TEST_REQUIRE_MAILSTACK") == "1" {
			t.Fatal("MAILSTACK_IMAP_ADDR is not set")
		}
		t.Skip("mail stack not running")
	}
	return addr, os.Getenv("MAILSTACK_IMAP_USER"), os.Getenv("MAILSTACK_IMAP_PASS")
}

func imapLogin(t *testing.T, addr, user, pass string) *imapclient.Client {
	t.Helper()
	c, err := imapclient.DialInsecure(addr, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Login(user, pass).Wait(); err != nil {
		t.Fatal(err)
	}
	return c
}

// mailboxSize is the number of mails in a mailbox (-1 when it does not exist).
func mailboxSize(c *imapclient.Client, name string) int {
	st, err := c.Status(name, &imap.StatusOptions{NumMessages: true}).Wait()
	if err != nil {
		return -1
	}
	return int(*st.NumMessages)
}

// TestServeIntakeKilledMidway runs the real binary against Dovecot with thousands of mails,
// kills it with SIGKILL four times in the middle of intake, and starts it again: every mail
// becomes exactly one ticket and every mail is moved. Then SIGTERM stops it cleanly.
func TestServeIntakeKilledMidway(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and reads thousands of mails")
	}
	addr, user, pass := mailStack(t)
	bin := buildBinary(t)
	const n = 3000
	inbox := fmt.Sprintf("t-serve-%d", time.Now().UnixNano())
	done := inbox + "-ferdig"
	c := imapLogin(t, addr, user, pass)
	defer c.Close()
	if err := c.Create(inbox, nil).Wait(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Delete(inbox).Wait(); c.Delete(done).Wait() })
	for i := range n {
		raw := fmt.Sprintf("From: Kari <kari%d@hamar.kommune.no>\r\nTo: kontakt@digihjelpen.test\r\nSubject: Spørsmål %d\r\n"+
			"Message-ID: <serve-%d-%s@hamar.kommune.no>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHei %d\r\n", i, i, i, inbox, i)
		app := c.Append(inbox, int64(len(raw)), nil)
		io.WriteString(app, raw)
		app.Close()
		if _, err := app.Wait(); err != nil {
			t.Fatal(err)
		}
	}

	dbPath := filepath.Join(t.TempDir(), "serve.db")
	start := func() (*exec.Cmd, *syncBuffer) {
		cmd := exec.Command(bin, "serve")
		httpAddr := freeAddr(t)
		cmd.Env = append(os.Environ(), "DIGIHJELPEN_STORAGE_PATH="+dbPath, "DIGIHJELPEN_SERVER_ADDR="+httpAddr,
			"DIGIHJELPEN_SERVER_BASE_URL=http://"+httpAddr, "DIGIHJELPEN_IMAP_ADDR="+addr, "DIGIHJELPEN_IMAP_TLS=none",
			"DIGIHJELPEN_IMAP_USERNAME="+user, "DIGIHJELPEN_IMAP_PASSWORD="+pass, "DIGIHJELPEN_IMAP_MAILBOX="+inbox,
			"DIGIHJELPEN_IMAP_PROCESSED_MAILBOX="+done, "DIGIHJELPEN_IMAP_POLL_INTERVAL=1s")
		logs := &syncBuffer{}
		cmd.Stdout, cmd.Stderr = io.Discard, logs
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
		return cmd, logs
	}
	wait := func(what string, d time.Duration, logs *syncBuffer, cond func() bool) {
		t.Helper()
		for deadline := time.Now().Add(d); !cond(); time.Sleep(20 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting for %s (%d in %s, %d in %s); log:\n%s", what, mailboxSize(c, inbox), inbox,
					mailboxSize(c, done), done, logs)
			}
		}
	}

	// Killed four times, each time further in: every restart picks up where the commit left
	// off, and a kill can land in any step (fetch, commit, flag, move).
	const kills = 4
	moved := 0
	for k := 1; k <= kills; k++ {
		cmd, logs := start()
		wait(fmt.Sprintf("the mails before kill %d moved", k), 60*time.Second, logs, func() bool { return mailboxSize(c, done) >= moved+n/(kills+2) })
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		moved = mailboxSize(c, done)
	}
	if moved >= n {
		t.Fatalf("all %d mails were taken before the last kill: the test proves nothing", n)
	}

	second, logs := start()
	// a MOVE cut off by the kill may have copied some mails without removing them yet: they
	// are moved again, so the processed mailbox can hold a copy too many, never a ticket
	wait("all mails moved", 180*time.Second, logs, func() bool { return mailboxSize(c, inbox) == 0 && mailboxSize(c, done) >= n })
	second.Process.Signal(syscall.SIGTERM)
	if err := second.Wait(); err != nil {
		t.Fatalf("exit after SIGTERM: %v\n%s", err, logs)
	}
	if !strings.Contains(logs.String(), "stopped") || !strings.Contains(logs.String(), "imap connected") {
		t.Errorf("log:\n%s", logs)
	}

	db := data.NewDB(dbPath)
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, total, _ := data.NewTicketService(db).FindTickets(context.Background(), ticket.TicketFilter{}); total != n {
		t.Errorf("tickets got %d, want %d: nothing lost, nothing twice", total, n)
	}
	if err := db.Verify(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Logf("killed %d times, the last after %d of %d mails were moved; %d in the processed mailbox at the end", kills, moved, n, mailboxSize(c, done))
}
