package web_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
	"github.com/ks-no/digihjelpen/web"
)

// Short timeouts, so that a download longer than the Write timeout takes seconds, not minutes.
var shortTimeouts = web.Timeouts{Write: time.Second, StreamIdle: time.Second}

// lockedBuffer is a log the download goroutines write while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// downloadEnv is a server on a real listener (fasthttp's deadlines apply to real connections
// only) with short timeouts, backup set, and an admin signed in over HTTP.
type downloadEnv struct {
	*testEnv
	base   string
	client *http.Client
	csrf   string // of the backup page
	log    *lockedBuffer
}

func newDownloadEnv(t *testing.T, backup func(ctx context.Context, w io.Writer) (int64, error), opts ...func(*web.Server)) *downloadEnv {
	t.Helper()
	d := &downloadEnv{log: &lockedBuffer{}}
	d.testEnv = newTestEnv(t, "http://127.0.0.1:8080", append([]func(*web.Server){func(s *web.Server) {
		s.Timeouts, s.Backup, s.Logger = shortTimeouts, backup, slog.New(slog.NewTextHandler(d.log, nil))
	}}, opts...)...)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go d.srv.Serve(ln)
	d.base = "http://" + ln.Addr().String()
	jar, _ := cookiejar.New(nil)
	d.client = &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := d.client.PostForm(d.base+"/logg-inn", url.Values{"csrf": {d.pageCSRF("/logg-inn")}, "email": {"admin@ks.no"}, "password": {testPassword}})
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: %v %v", resp, err)
	}
	resp.Body.Close()
	d.csrf = d.pageCSRF("/admin/sikkerhetskopi")
	return d
}

func (d *downloadEnv) pageCSRF(path string) string {
	d.t.Helper()
	resp, err := d.client.Get(d.base + path)
	if err != nil {
		d.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	m := csrfInput.FindStringSubmatch(string(body))
	if m == nil {
		d.t.Fatalf("no csrf token on %s (%d)", path, resp.StatusCode)
	}
	return m[1]
}

// startBackup sends the backup request over a connection of its own and reads the response
// headers and the first bytes of the body; the test decides what the client does next.
func (d *downloadEnv) startBackup() (net.Conn, io.Reader) {
	d.t.Helper()
	return d.startDownload(http.MethodPost, "/admin/sikkerhetskopi", url.Values{"csrf": {d.csrf}}.Encode())
}

// startDownload is startBackup for any download.
func (d *downloadEnv) startDownload(method, path, form string) (net.Conn, io.Reader) {
	d.t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(d.base, "http://"))
	if err != nil {
		d.t.Fatal(err)
	}
	d.t.Cleanup(func() { conn.Close() })
	u, _ := url.Parse(d.base)
	var cookies []string
	for _, c := range d.client.Jar.Cookies(u) {
		cookies = append(cookies, c.Name+"="+c.Value)
	}
	fmt.Fprintf(conn, "%s %s HTTP/1.1\r\nHost: %s\r\nCookie: %s\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n%s",
		method, path, u.Host, strings.Join(cookies, "; "), len(form), form)
	r := bufio.NewReaderSize(conn, 1024)
	resp, err := http.ReadResponse(r, nil)
	if err != nil || resp.StatusCode != http.StatusOK {
		d.t.Fatalf("%s %s: %v %v", method, path, resp, err)
	}
	if _, err := io.ReadFull(resp.Body, make([]byte, 4<<10)); err != nil {
		d.t.Fatalf("the download did not start: %v", err)
	}
	return conn, resp.Body
}

// slowFile writes size pseudo-random bytes in chunks, a pause before each, like an export that
// reads its rows a batch at a time.
func slowFile(size, chunk int, pause time.Duration) (write func(ctx context.Context, w io.Writer) (int64, error), sum [32]byte) {
	data := make([]byte, size)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range data {
		data[i] = byte(rng.Uint32())
	}
	return func(ctx context.Context, w io.Writer) (int64, error) {
		var n int64
		for off := 0; off < size; off += chunk {
			time.Sleep(pause)
			m, err := w.Write(data[off:min(off+chunk, size)])
			n += int64(m)
			if err != nil {
				return n, err
			}
		}
		return n, nil
	}, sha256.Sum256(data)
}

// TestDownloadOutlastsWriteTimeout: a backup that takes three times the Write timeout arrives
// whole, because a download's deadline moves on with every write.
func TestDownloadOutlastsWriteTimeout(t *testing.T) {
	const size = 3 << 20
	backup, want := slowFile(size, 96<<10, 100*time.Millisecond) // 32 chunks: 3.2 s
	d := newDownloadEnv(t, backup)
	began := time.Now()
	resp, err := d.client.PostForm(d.base+"/admin/sikkerhetskopi", url.Values{"csrf": {d.csrf}})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	took := time.Since(began)
	t.Logf("%d bytes in %v, Write timeout %v", len(body), took.Round(time.Millisecond), shortTimeouts.Write)
	if err != nil || len(body) != size || sha256.Sum256(body) != want {
		t.Fatalf("got %d bytes (err %v), want the whole file of %d", len(body), err, size)
	}
	if took < 3*shortTimeouts.Write {
		t.Fatalf("took %v: not longer than the Write timeout, the test proves nothing", took)
	}
	events, _ := d.srv.Events.FindEvents(context.Background(), 0)
	if !hasEvent(events, ticket.EventBackup, fmt.Sprintf("sikkerhetskopi lastet ned (%d byte)", size)) {
		t.Errorf("no audit event for the whole download: %+v", events)
	}
}

// TestDownloadClientStallsIsCut: a client that stops taking the download is cut off after
// StreamIdle, and the producer stops.
func TestDownloadClientStallsIsCut(t *testing.T) {
	produced := make(chan error, 1)
	d := newDownloadEnv(t, func(ctx context.Context, w io.Writer) (int64, error) {
		n, err := endlessBackup(ctx, w)
		produced <- err
		return n, err
	})
	testBackupDB = d.db.Backup
	d.startBackup() // and reads no more
	select {
	case err := <-produced:
		if err == nil {
			t.Fatal("the producer ended without an error")
		}
	case <-time.After(shortTimeouts.StreamIdle + 5*time.Second):
		t.Fatal("the producer still runs for a client that stopped reading")
	}
}

// endlessBackup writes backups of a database one after another, each in a read transaction of
// its own, until a write fails.
func endlessBackup(ctx context.Context, w io.Writer) (int64, error) {
	var total int64
	for {
		n, err := testBackupDB(ctx, w)
		total += n
		if err != nil {
			return total, err
		}
	}
}

// testBackupDB is the database endlessBackup copies (set per test; the tests do not run in
// parallel).
var testBackupDB func(ctx context.Context, w io.Writer) (int64, error)

// TestDownloadEndsWhenClientGoes: a client that goes away in the middle of the backup ends the
// producer (its context ends, its read transaction closes) and the audit trail says it broke.
func TestDownloadEndsWhenClientGoes(t *testing.T) {
	produced := make(chan error, 1)
	var sawCtx error
	d := newDownloadEnv(t, func(ctx context.Context, w io.Writer) (int64, error) {
		n, err := endlessBackup(ctx, w)
		sawCtx = ctx.Err()
		produced <- err
		return n, err
	})
	testBackupDB = d.db.Backup
	conn, _ := d.startBackup()
	conn.Close()
	select {
	case err := <-produced:
		if err == nil || sawCtx == nil {
			t.Fatalf("the producer ended with %v and its context %v, want both ended", err, sawCtx)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the producer still runs after the client went away")
	}
	waitLog(t, d.log, `msg="download stopped" download=backup`) // logged once the handler's producer is done
	events, _ := d.srv.Events.FindEvents(context.Background(), 0)
	if !hasEvent(events, ticket.EventBackup, "sikkerhetskopi avbrutt") {
		t.Errorf("no audit event for the broken download: %+v", events)
	}
	closeWithin(t, d, 2*time.Second) // bbolt's Close waits for open read transactions
}

// TestShutdownEndsADownload: Shutdown during a backup that a client is still taking cuts it
// off at once: Shutdown returns promptly, the producer's read transaction is closed, the
// client sees a broken download (not a short file that looks whole), and no goroutine of the
// download is left.
func TestShutdownEndsADownload(t *testing.T) {
	produced := make(chan error, 1)
	d := newDownloadEnv(t, func(ctx context.Context, w io.Writer) (int64, error) {
		n, err := endlessBackup(ctx, w)
		produced <- err
		return n, err
	})
	testBackupDB = d.db.Backup
	_, r := d.startBackup()
	client, fast := make(chan error, 1), make(chan struct{})
	go func() { // a client that takes the download slowly, then what is left at once
		buf := make([]byte, 4096)
		for {
			select {
			case <-fast:
			case <-time.After(10 * time.Millisecond):
			}
			if _, err := r.Read(buf); err != nil {
				client <- err
				return
			}
		}
	}()
	time.Sleep(200 * time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	began := time.Now()
	if err := d.srv.Shutdown(ctx); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	took := time.Since(began)
	t.Logf("shutdown with a download running took %v", took.Round(time.Millisecond))
	if took > time.Second {
		t.Errorf("shutdown took %v, want at most a second", took)
	}
	select {
	case err := <-produced:
		if err == nil {
			t.Error("the producer ended without an error")
		}
	default:
		t.Fatal("Shutdown returned while the producer still ran")
	}
	closeWithin(t, d, 2*time.Second)
	close(fast)
	select {
	case err := <-client:
		if !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Errorf("the client's read ended with %v, want a broken download (unexpected EOF)", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the client still reads after shutdown")
	}
	if stacks := downloadGoroutines(); stacks != "" {
		t.Fatalf("download goroutines left after shutdown:\n%s", stacks)
	}
	waitLog(t, d.log, "reason=\"the server is shutting down\"")
}

// slowExport is the statistics service with an export that yields one ticket per pause, rows
// of them (0: until fn fails), and reports the state of its context when it returns.
type slowExport struct {
	ticket.StatsService
	rows  atomic.Int32
	pause time.Duration
	ended chan error
}

func (s *slowExport) ExportTickets(ctx context.Context, f ticket.ExportFilter, fn func(*ticket.Ticket) error) error {
	at := f.From.Add(time.Hour)
	tk := &ticket.Ticket{Subject: "Meldekort", Status: ticket.StatusOpen, Agency: "nav", Priority: ticket.PriorityNormal,
		Channel: ticket.ChannelEmail, CreatedAt: at, UpdatedAt: at}
	var err error
	rows := int(s.rows.Load())
	for i := 0; (rows == 0 || i < rows) && err == nil; i++ {
		time.Sleep(s.pause)
		tk.ID, tk.Ref = uint64(i+1), ticket.Ref{Year: 2026, Number: i + 1}
		if err = ctx.Err(); err == nil {
			err = fn(tk)
		}
	}
	s.ended <- ctx.Err()
	return err
}

// TestTicketExportOutlastsWriteTimeout: the ticket export, streamed the same way, arrives whole
// after three times the Write timeout; a client that goes away mid-export ends the export's
// context (the real one reads in short transactions that check it).
func TestTicketExportOutlastsWriteTimeout(t *testing.T) {
	export := &slowExport{pause: 10 * time.Millisecond, ended: make(chan error, 2)}
	export.rows.Store(300)
	d := newDownloadEnv(t, nil, func(s *web.Server) { export.StatsService = s.Stats; s.Stats = export })
	began := time.Now()
	resp, err := d.client.Get(d.base + "/statistikk/saker?uke=2026-W13&format=csv")
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	took := time.Since(began)
	t.Logf("%d bytes in %v, Write timeout %v", len(body), took.Round(time.Millisecond), shortTimeouts.Write)
	if lines := strings.Count(string(body), "\r\n"); err != nil || lines != 301 || !strings.Contains(string(body), "DH-2026-0300") {
		t.Fatalf("got %d lines (err %v), want the header and 300 rows:\n%.300s", lines, err, body)
	}
	if took < 3*shortTimeouts.Write {
		t.Fatalf("took %v: not longer than the Write timeout, the test proves nothing", took)
	}
	<-export.ended

	export.rows.Store(0) // endless
	conn, _ := d.startDownload(http.MethodGet, "/statistikk/saker?uke=2026-W13&format=csv", "")
	conn.Close()
	select {
	case err := <-export.ended:
		if err == nil {
			t.Fatal("the export ended with its context still alive")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the export still runs after the client went away")
	}
}

// closeWithin closes the database, which bbolt does only when no read transaction is open.
func closeWithin(t *testing.T, d *downloadEnv, limit time.Duration) {
	t.Helper()
	closed := make(chan error, 1)
	go func() { closed <- d.db.Close() }()
	select {
	case err := <-closed:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(limit):
		t.Fatal("the database does not close: a read transaction is still open")
	}
}

// downloadGoroutines returns the stacks of goroutines still in a download's code.
func downloadGoroutines() string {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	var left []string
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.Contains(g, "web.(*Server).streamBody") || strings.Contains(g, "web.(*download)") {
			left = append(left, g)
		}
	}
	return strings.Join(left, "\n\n")
}

func waitLog(t *testing.T, log *lockedBuffer, want string) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !strings.Contains(log.String(), want); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("log lacks %s:\n%s", want, log.String())
		}
	}
}

func hasEvent(events []*ticket.Event, kind ticket.EventKind, detail string) bool {
	for _, ev := range events {
		if ev.Kind == kind && ev.Detail == detail {
			return true
		}
	}
	return false
}

// TestNoDownloadStartsAfterShutdown: a request that reaches the handler while the server shuts
// down gets a Norwegian 503 instead of a download that would be cut at once.
func TestNoDownloadStartsAfterShutdown(t *testing.T) {
	e := newAdminEnv(t)
	admin := e.browser()
	admin.login("admin@ks.no")
	token := admin.csrf("/admin/sikkerhetskopi")
	if err := e.srv.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	resp, body := admin.post("/admin/sikkerhetskopi", url.Values{"csrf": {token}})
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body, "Prøv igjen om litt") {
		t.Fatalf("got %d, want 503 with a Norwegian sentence: %.300s", resp.StatusCode, body)
	}
}
