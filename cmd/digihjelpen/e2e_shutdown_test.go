package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/ticket"
)

// TestEndToEndShutdownWithEverythingRunning runs the real binary with every background loop on
// (intake and sender against the mail stack when it is up, else against servers that refuse)
// and an admin's backup download of a 24 MB store in flight, its client no longer reading, and
// sends SIGTERM: the process exits 0 well within the grace period, every loop and the
// download stopped (none "did not stop in time"), the client sees a broken download, and the
// file opens and verifies afterwards, with the broken download in the audit trail.
func TestEndToEndShutdownWithEverythingRunning(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildBinary(t)
	dbPath := filepath.Join(t.TempDir(), "var", "shutdown.db")
	seedLargeStore(t, dbPath, 3, 8<<20)
	addr := freeAddr(t)
	base := "http://" + addr
	cmd := exec.Command(bin, "serve")
	cmd.Env = append(os.Environ(), "DIGIHJELPEN_STORAGE_PATH="+dbPath, "DIGIHJELPEN_SERVER_ADDR="+addr,
		"DIGIHJELPEN_SERVER_BASE_URL="+base, "DIGIHJELPEN_SERVER_ADMIN_EMAIL=admin@ks.no",
		"DIGIHJELPEN_RETENTION_ANONYMISE_AFTER=365d", "DIGIHJELPEN_STATS_RECIPIENTS=leder@ks.no",
		"DIGIHJELPEN_ROUTING_REFERRAL_REMINDER_AFTER=2d", "DIGIHJELPEN_SMTP_TLS=none", "DIGIHJELPEN_IMAP_TLS=none")
	cmd.Env = append(cmd.Env, mailServersOrRefusing(t)...)
	stdout, _ := cmd.StdoutPipe()
	var stderr syncBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	password := readPassword(t, stdout)
	go io.Copy(io.Discard, stdout)
	waitHealthy(t, base+"/healthz")

	body := startBackupDownload(t, base, password)
	time.Sleep(300 * time.Millisecond) // the loops make their first rounds; the download fills the buffers
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	began := time.Now()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v\n%s", err, stderr.String())
		}
	case <-time.After(shutdownGrace + 5*time.Second):
		t.Fatalf("still running %v after SIGTERM\n%s", shutdownGrace+5*time.Second, stderr.String())
	}
	took := time.Since(began)
	t.Logf("exited %v after SIGTERM (grace %v)", took.Round(time.Millisecond), shutdownGrace)
	if took > 3*time.Second {
		t.Errorf("took %v to stop, want well within the grace of %v", took, shutdownGrace)
	}
	logs := stderr.String()
	for _, want := range []string{"shutting down", `msg="download stopped" download=backup`, "the server is shutting down", "msg=stopped"} {
		if !strings.Contains(logs, want) {
			t.Errorf("log lacks %q:\n%s", want, logs)
		}
	}
	_, shutdown, _ := strings.Cut(logs, "shutting down")
	for _, unwanted := range []string{"did not stop in time", "panic", "level=ERROR"} {
		if strings.Contains(shutdown, unwanted) {
			t.Errorf("log has %q after SIGTERM:\n%s", unwanted, logs)
		}
	}
	if _, err := io.Copy(io.Discard, body); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("the client's download ended with %v, want it broken (unexpected EOF)", err)
	}
	checkStoreAfterShutdown(t, dbPath)
}

// mailServersOrRefusing points intake and the sender at the mail stack when it is up (a
// mailbox of this test's own), else at addresses where nothing listens.
func mailServersOrRefusing(t *testing.T) []string {
	imapAddr, smtpAddr := os.Getenv("MAILSTACK_IMAP_ADDR"), os.Getenv("MAILSTACK_SMTP_ADDR")
	if imapAddr == "" || smtpAddr == "" {
		if os.Getenv("DIGIHJELPEN_TEST_REQUIRE_MAILSTACK") == "1" {
			t.Fatal("mail stack required but MAILSTACK_IMAP_ADDR is not set")
		}
		return []string{"DIGIHJELPEN_IMAP_ADDR=" + freeAddr(t), "DIGIHJELPEN_SMTP_ADDR=" + freeAddr(t)}
	}
	user, pass := os.Getenv("MAILSTACK_IMAP_USER"), os.Getenv("MAILSTACK_IMAP_PASS")
	_, inbox, done := testMailbox(t, imapAddr, user, pass, "t-sigterm-", fmt.Sprint(time.Now().UnixNano()))
	return []string{"DIGIHJELPEN_IMAP_ADDR=" + imapAddr, "DIGIHJELPEN_IMAP_USERNAME=" + user, "DIGIHJELPEN_IMAP_PASSWORD=" + pass,
		"DIGIHJELPEN_IMAP_MAILBOX=" + inbox, "DIGIHJELPEN_IMAP_PROCESSED_MAILBOX=" + done, "DIGIHJELPEN_SMTP_ADDR=" + smtpAddr}
}

// seedLargeStore writes tickets with one attachment of size random bytes each, so that a
// backup is far larger than what the socket buffers hold.
func seedLargeStore(t *testing.T, path string, tickets, size int) {
	t.Helper()
	db := data.NewDB(path)
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range tickets {
		file := make([]byte, size)
		for j := range file {
			file[j] = byte(rng.Uint32())
		}
		tk := &ticket.Ticket{Subject: fmt.Sprintf("Stort vedlegg %d", i), Status: ticket.StatusNew, Agency: "ks",
			Priority: ticket.PriorityNormal, Channel: ticket.ChannelEmail, Requester: ticket.Requester{Email: "kari@gjovik.kommune.no"}}
		m := &ticket.Message{Direction: ticket.DirectionIn, From: "kari@gjovik.kommune.no", Text: "Se vedlegget.",
			Attachments: []ticket.Attachment{{Name: "opptak.bin", Type: "application/octet-stream", Data: file}}}
		if err := data.NewTicketService(db).CreateTicket(context.Background(), tk, m, ticket.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
}

// startBackupDownload logs in as the first admin and starts the backup download on a
// connection with a small receive buffer; it returns the body, read only this far.
func startBackupDownload(t *testing.T, base, password string) io.Reader {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`)
	token := csrf.FindStringSubmatch(get(t, client, base+"/logg-inn"))
	resp, err := client.PostForm(base+"/logg-inn", url.Values{"csrf": {token[1]}, "email": {"admin@ks.no"}, "password": {password}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	token = csrf.FindStringSubmatch(get(t, client, base+"/admin/sikkerhetskopi"))
	if token == nil {
		t.Fatal("no backup form: not logged in as admin?")
	}
	dialer := net.Dialer{Control: func(_, _ string, c syscall.RawConn) error {
		return c.Control(func(fd uintptr) { syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 16<<10) })
	}}
	conn, err := dialer.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	u, _ := url.Parse(base)
	var cookies []string
	for _, c := range jar.Cookies(u) {
		cookies = append(cookies, c.Name+"="+c.Value)
	}
	form := url.Values{"csrf": {token[1]}}.Encode()
	fmt.Fprintf(conn, "POST /admin/sikkerhetskopi HTTP/1.1\r\nHost: %s\r\nCookie: %s\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n%s",
		u.Host, strings.Join(cookies, "; "), len(form), form)
	conn.SetReadDeadline(time.Now().Add(30 * time.Second))
	resp, err = http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("backup: %v %v", resp, err)
	}
	if _, err := io.ReadFull(resp.Body, make([]byte, 64<<10)); err != nil {
		t.Fatalf("the backup did not start: %v", err)
	}
	return resp.Body
}

// checkStoreAfterShutdown opens the file serve left: it opens at once (no lock held), its
// indexes verify, and the broken download is in the audit trail.
func checkStoreAfterShutdown(t *testing.T, path string) {
	t.Helper()
	db := data.NewDB(path)
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Verify(context.Background()); err != nil {
		t.Fatal(err)
	}
	events, err := data.NewEventService(db).FindEvents(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range events {
		if ev.Kind == ticket.EventBackup && ev.Detail == "sikkerhetskopi avbrutt" && ev.Actor == "admin@ks.no" {
			return
		}
	}
	t.Fatalf("no audit event for the broken download: %+v", events)
}
