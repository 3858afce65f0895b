package web_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/routing"
	"github.com/ks-no/digihjelpen/ticket"
	"github.com/ks-no/digihjelpen/web"
)

// openInboxes is how many inboxes the poll benchmark keeps open.
const openInboxes = 50

// BenchmarkInboxPoll is one cycle of the live inbox with fifty inboxes open and nothing
// changing: fifty agents' browsers each ask /innboks/endringer once, over real HTTP (keep-alive,
// as a browser polls) to the server on 127.0.0.1, each with its own session. It reports the
// CPU time the process spent per cycle (server and clients together, so an upper bound of the
// server's) and that as a share of one core when the cycle comes every 10 s, as the inbox's
// script polls.
func BenchmarkInboxPoll(b *testing.B) {
	db := data.NewDB(filepath.Join(b.TempDir(), "poll.db"))
	if err := db.Open(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	srv := &web.Server{Tickets: data.NewTicketService(db), Events: data.NewEventService(db), Users: data.NewUserService(db),
		Sessions: data.NewSessionService(db), Tokens: data.NewTokenService(db), Agencies: routing.DefaultAgencies(),
		BaseURL: "http://127.0.0.1:8080", Secret: bytes.Repeat([]byte("k"), 32), Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Seen: data.NewSeenService(db), Changes: db.TicketsChanged}
	if err := srv.Open(); err != nil {
		b.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	go srv.Serve(ln)
	b.Cleanup(func() { srv.Shutdown(context.Background()) })
	base := "http://" + ln.Addr().String()
	clients, poll := pollClients(b, db, base)
	cycle := func() {
		var wg sync.WaitGroup
		for _, c := range clients {
			wg.Add(1)
			go func() {
				defer wg.Done()
				resp, err := c.Get(poll)
				if err != nil {
					b.Error(err)
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusNoContent {
					b.Errorf("poll: %d, want 204", resp.StatusCode)
				}
			}()
		}
		wg.Wait()
	}
	cycle() // connections up, as in a browser that has polled before
	b.ResetTimer()
	before := cpuTime()
	for range b.N {
		cycle()
	}
	spent := cpuTime() - before
	b.StopTimer()
	per := spent / time.Duration(b.N)
	b.ReportMetric(float64(per.Microseconds())/1000, "cpu-ms/cycle")
	b.ReportMetric(100*per.Seconds()/10, "%core@10s")
}

// pollClients signs fifty agents in (sessions made as the login makes them) and returns a
// keep-alive client for each, and the address their inboxes poll.
func pollClients(b *testing.B, db *data.DB, base string) ([]*http.Client, string) {
	users, sessions := data.NewUserService(db), data.NewSessionService(db)
	var clients []*http.Client
	var page string
	for i := range openInboxes {
		u := &ticket.User{Email: fmt.Sprintf("agent%d@ks.no", i), Name: fmt.Sprintf("Agent %d", i), Role: ticket.RoleAgent, PasswordHash: "x"}
		if err := users.CreateUser(context.Background(), u); err != nil {
			b.Fatal(err)
		}
		secret := fmt.Sprintf("poll-benchmark-session-%d", i)
		sum := sha256.Sum256([]byte(secret))
		if err := sessions.CreateSession(context.Background(), &ticket.Session{ID: hex.EncodeToString(sum[:]), UserID: u.ID,
			ExpiresAt: time.Now().Add(time.Hour)}); err != nil {
			b.Fatal(err)
		}
		c := &http.Client{Transport: &sessionTransport{cookie: "dh_session=" + secret, next: &http.Transport{MaxIdleConnsPerHost: 1}}}
		clients = append(clients, c)
		if i == 0 {
			resp, err := c.Get(base + "/innboks")
			if err != nil {
				b.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			page = string(body)
		}
	}
	m := regexp.MustCompile(`data-poll="([^"]+)"`).FindStringSubmatch(page)
	if m == nil {
		b.Fatal("the inbox has no poll address")
	}
	return clients, base + m[1]
}

// sessionTransport sends a session cookie with every request, as the browser does.
type sessionTransport struct {
	cookie string
	next   http.RoundTripper
}

func (t *sessionTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Cookie", t.cookie)
	return t.next.RoundTrip(r)
}
