package main

import (
	"bufio"
	"context"
	"io"
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

// TestEndToEnd builds the real binary, starts it on a free port with a new database holding one
// ticket, logs in over HTTP with the printed admin password, sees the ticket in the inbox, and
// stops it with SIGTERM.
func TestEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	dir := t.TempDir()
	bin := buildBinary(t)
	dbPath := filepath.Join(dir, "var", "e2e.db")
	ref := seedTicket(t, dbPath)

	addr := freeAddr(t)
	cmd := exec.Command(bin, "serve")
	cmd.Env = append(os.Environ(), "DIGIHJELPEN_STORAGE_PATH="+dbPath, "DIGIHJELPEN_SERVER_ADDR="+addr,
		"DIGIHJELPEN_SERVER_BASE_URL=http://"+addr, "DIGIHJELPEN_SERVER_ADMIN_EMAIL=admin@ks.no",
		"DIGIHJELPEN_SERVER_TRUSTED_PROXIES=127.0.0.1")
	stdout, _ := cmd.StdoutPipe()
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	password := readPassword(t, stdout)
	go io.Copy(io.Discard, stdout)
	waitHealthy(t, "http://"+addr+"/healthz")

	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	page := get(t, client, "http://"+addr+"/logg-inn")
	token := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(page)
	if token == nil {
		t.Fatal("no CSRF token on the login page")
	}
	guessesFromBehindTheProxy(t, client, "http://"+addr, token[1])
	resp, err := client.PostForm("http://"+addr+"/logg-inn", url.Values{"csrf": {token[1]}, "email": {"admin@ks.no"}, "password": {password}})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "<h1>Innboks</h1>") {
		t.Fatalf("after login: %d %s", resp.StatusCode, body)
	}
	if !strings.Contains(string(body), ref) || !strings.Contains(string(body), "Hvordan organiserer vi Digihjelpen?") {
		t.Fatalf("inbox lacks the ticket %s", ref)
	}
	searchFinds(t, client, "http://"+addr, "bibliotekene", ref)

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v\n%s", err, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("server did not stop within 10 s of SIGTERM")
	}
	if !strings.Contains(stderr.String(), "stopped") {
		t.Fatalf("log lacks a clean stop: %s", stderr.String())
	}
	if strings.Contains(stderr.String(), password) {
		t.Fatal("the admin password was logged")
	}
}

func seedTicket(t *testing.T, path string) string {
	t.Helper()
	db := data.NewDB(path)
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tk := &ticket.Ticket{Subject: "Hvordan organiserer vi Digihjelpen?", Status: ticket.StatusNew, Agency: "ks",
		Priority: ticket.PriorityNormal, Channel: ticket.ChannelWeb, Requester: ticket.Requester{Email: "kari@gjovik.kommune.no"}}
	m := &ticket.Message{Direction: ticket.DirectionIn, From: "kari@gjovik.kommune.no", Text: "Vi starter opp i biblioteket."}
	if err := data.NewTicketService(db).CreateTicket(context.Background(), tk, m, ticket.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	return tk.Ref.String()
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func readPassword(t *testing.T, r io.Reader) string {
	t.Helper()
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		if p, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "Passord: "); ok {
			return p
		}
	}
	t.Fatal("the server printed no admin password")
	return ""
}

func waitHealthy(t *testing.T, u string) {
	t.Helper()
	for range 100 {
		if resp, err := http.Get(u); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s never answered 200", u)
}

func get(t *testing.T, c *http.Client, u string) string {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// guessesFromBehindTheProxy makes a client behind the trusted proxy (127.0.0.1, as configured)
// use up its login limit; the limit is that client's alone, so the login that follows (from
// the proxy's own address) still works.
func guessesFromBehindTheProxy(t *testing.T, client *http.Client, base, token string) {
	t.Helper()
	for i := 1; i <= 6; i++ {
		req, _ := http.NewRequest(http.MethodPost, base+"/logg-inn",
			strings.NewReader(url.Values{"csrf": {token}, "email": {"gjetter@ks.no"}, "password": {"feil-passord-x"}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Forwarded-For", "203.0.113.9")
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if want := map[bool]int{true: http.StatusTooManyRequests, false: http.StatusUnauthorized}[i == 6]; resp.StatusCode != want {
			t.Fatalf("guess %d from behind the proxy: status %d, want %d", i, resp.StatusCode, want)
		}
	}
}
