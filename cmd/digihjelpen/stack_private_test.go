package main

import (
	"encoding/json"
	"fmt"
	"go/build"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Mail servers of a test's own, which it may stop and start (never the shared stack's): a
// Mailpit started from its binary on fixed ports, and a Dovecot from the project's mail-stack
// script with its own folder and port.

// privateMailpit is a Mailpit the test stops and starts on the same ports and database.
type privateMailpit struct {
	t                  *testing.T
	bin, db            string
	smtpAddr, httpAddr string
	cmd                *exec.Cmd
}

func newPrivateMailpit(t *testing.T) *privateMailpit {
	t.Helper()
	mailpitAPI(t) // the same skip rule: the binary comes with the stack
	bin := os.Getenv("MAILPIT_BIN")
	if bin == "" {
		if bin, _ = exec.LookPath("mailpit"); bin == "" {
			bin = filepath.Join(build.Default.GOPATH, "bin", "mailpit")
		}
	}
	m := &privateMailpit{t: t, bin: bin, db: filepath.Join(t.TempDir(), "mailpit.db"), smtpAddr: freeAddr(t), httpAddr: freeAddr(t)}
	t.Cleanup(m.stop)
	m.start()
	return m
}

func (m *privateMailpit) start() {
	m.t.Helper()
	m.cmd = exec.Command(m.bin, "--listen", m.httpAddr, "--smtp", m.smtpAddr, "--database", m.db, "--max", "0",
		"--smtp-auth-accept-any", "--smtp-auth-allow-insecure", "--smtp-disable-rdns", "--disable-version-check")
	if err := m.cmd.Start(); err != nil {
		m.t.Fatalf("start %s: %v", m.bin, err)
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if resp, err := http.Get("http://" + m.httpAddr + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			m.t.Fatal("private Mailpit did not start")
		}
	}
}

// stop ends the Mailpit this test started (by its process, nothing else).
func (m *privateMailpit) stop() {
	if m.cmd == nil {
		return
	}
	m.cmd.Process.Kill()
	m.cmd.Wait()
	m.cmd = nil
}

func (m *privateMailpit) api() string { return "http://" + m.httpAddr }

// messageIDs lists the Message-ID of every mail Mailpit holds, once per copy.
func (m *privateMailpit) messageIDs() []string {
	m.t.Helper()
	resp, err := http.Get(m.api() + "/api/v1/messages?limit=1000")
	if err != nil {
		m.t.Fatal(err)
	}
	defer resp.Body.Close()
	var list struct{ Messages []struct{ MessageID string } }
	if err := json.NewDecoder(resp.Body).Decode(&list); err != nil {
		m.t.Fatal(err)
	}
	ids := make([]string, len(list.Messages))
	for i, msg := range list.Messages {
		ids[i] = msg.MessageID
	}
	return ids
}

// privateDovecot is a Dovecot of this test's own.
type privateDovecot struct {
	t    *testing.T
	dir  string
	port int
}

func newPrivateDovecot(t *testing.T) *privateDovecot {
	t.Helper()
	mailStack(t) // skipped without the mail stack, required under make test
	if os.Geteuid() != 0 {
		if os.Getenv("DIGIHJELPEN_TEST_REQUIRE_MAILSTACK") == "1" {
			t.Fatal("a private Dovecot needs root (the mail-stack script drops to the mail user)")
		}
		t.Skip("a private Dovecot needs root")
	}
	dir, err := os.MkdirTemp("/tmp", "dh-recovery-dovecot-")
	if err != nil {
		t.Fatal(err)
	}
	os.Chmod(dir, 0o755) // Dovecot's own users must traverse it
	addr := freeAddr(t)
	port, _ := strconv.Atoi(addr[strings.LastIndex(addr, ":")+1:])
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
	cmd := exec.Command("bash", filepath.Join("..", "..", "scripts", name))
	cmd.Env = append(os.Environ(), "MAILSTACK_DIR="+d.dir, "IMAP_PORT="+strconv.Itoa(d.port), "MAILSTACK_MAILPIT=0",
		"MAILSTACK_SKIP_INSTALL=1", "MAILSTACK_USERS=helpdesk:secret",
		"MAILSTACK_POSTFIX=0", "MAILSTACK_IDP=0", "MAILSTACK_IMAPS=0") // only Dovecot
	if out, err := cmd.CombinedOutput(); err != nil {
		d.t.Fatalf("%s: %v\n%s", name, err, out)
	}
}

func (d *privateDovecot) up()          { d.script("mailstack-up.sh") }
func (d *privateDovecot) addr() string { return fmt.Sprintf("127.0.0.1:%d", d.port) }

// down stops Dovecot as systemd would: its sessions end with it. Stopping the master alone
// leaves the imap processes of open sessions serving (the stack's Dovecot is in no cgroup that
// could be killed whole), so they are kicked first.
func (d *privateDovecot) down() {
	d.t.Helper()
	if out, err := exec.Command("doveadm", "-c", filepath.Join(d.dir, "dovecot", "dovecot.conf"), "kick", "helpdesk").CombinedOutput(); err != nil {
		d.t.Fatalf("doveadm kick: %v\n%s", err, out)
	}
	d.script("mailstack-down.sh")
}

// deliver stores a mail in INBOX as an outside sender would (unseen).
func (d *privateDovecot) deliver(raw string) {
	d.t.Helper()
	cmd := exec.Command("doveadm", "-c", filepath.Join(d.dir, "dovecot", "dovecot.conf"), "save", "-u", "helpdesk", "-m", "INBOX")
	cmd.Stdin = strings.NewReader(raw)
	if out, err := cmd.CombinedOutput(); err != nil {
		d.t.Fatalf("doveadm save: %v\n%s", err, out)
	}
}
