package mailbridge_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/mailbridge"
	"github.com/ks-no/digihjelpen/ticket"
	"github.com/ks-no/digihjelpen/ticket/notify"
)

// receiver is a team's webhook on this machine: it checks every post's signature as a
// receiver should, and answers with the statuses it is given, in turn (the last one then on).
type receiver struct {
	mu       sync.Mutex
	secret   string
	answers  []int
	posts    []string
	bad      []string
	delivery []string
	srv      *httptest.Server
}

func newReceiver(t *testing.T, secret string, answers ...int) *receiver {
	r := &receiver{secret: secret, answers: answers}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		defer r.mu.Unlock()
		err := notify.Verify(r.secret, req.Header.Get(notify.HeaderSignature), req.Header.Get(notify.HeaderTimestamp), body, time.Now(), 5*time.Minute)
		if err != nil || req.Header.Get("Content-Type") != "application/json; charset=utf-8" || req.Method != http.MethodPost {
			r.bad = append(r.bad, req.Method+" "+req.Header.Get("Content-Type")+": "+errString(err))
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		r.posts = append(r.posts, string(body))
		r.delivery = append(r.delivery, req.Header.Get(notify.HeaderDelivery))
		code := r.answers[0]
		if len(r.answers) > 1 {
			r.answers = r.answers[1:]
		}
		w.WriteHeader(code)
		io.WriteString(w, http.StatusText(code))
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func (r *receiver) got() (posts, bad, delivery []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.posts...), append([]string(nil), r.bad...), append([]string(nil), r.delivery...)
}

// webhookEnv is a database with one webhook to a receiver, and the sender, whose clock the
// test moves (the database's and the sender's: the signature's timestamp is real time, which
// the receiver checks).
type webhookEnv struct {
	db     *data.DB
	hooks  *data.WebhookService
	sender *mailbridge.WebhookSender
	hook   *ticket.Webhook
	clock  time.Time
}

func newWebhookEnv(t *testing.T, url string) *webhookEnv {
	t.Helper()
	e := &webhookEnv{clock: time.Now()}
	e.db = data.NewDB(filepath.Join(t.TempDir(), "hooks.db"))
	e.db.Now = func() time.Time { return e.clock }
	if err := e.db.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.db.Close() })
	e.hooks = data.NewWebhookService(e.db)
	e.hook = &ticket.Webhook{Name: "NAV-teamet", URL: url, Secret: "whsec_test", Kinds: []ticket.NotifyKind{ticket.NotifyNewTicket}, Format: ticket.WebhookMessage}
	if err := e.hooks.CreateWebhook(context.Background(), e.hook); err != nil {
		t.Fatal(err)
	}
	e.sender = &mailbridge.WebhookSender{Outbox: e.hooks, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Timeout: 5 * time.Second}
	if err := e.sender.Open(); err != nil {
		t.Fatal(err)
	}
	return e
}

// queue puts one post in the outbox, as the planner writes it.
func (e *webhookEnv) queue(t *testing.T) *ticket.OutboundMail {
	t.Helper()
	p, err := (&notify.Planner{BaseURL: "https://kontakt.ks.no", Domain: "ks.no"}).TestPost(e.hook, e.clock)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.hooks.QueueWebhookPost(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	return p
}

func (e *webhookEnv) send(t *testing.T) int {
	t.Helper()
	n, err := e.sender.SendDue(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func (e *webhookEnv) post(t *testing.T, id uint64) *ticket.OutboundMail {
	t.Helper()
	list, err := data.NewOutboxService(e.db).FindOutbox(context.Background(), ticket.OutboxFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range list {
		if m.ID == id {
			return m
		}
	}
	t.Fatalf("post %d is not in the outbox", id)
	return nil
}

// TestWebhookRetriedAfter500: the receiver answers 500, then 200. The post is signed (the
// receiver checks it), waits its retry delay after the 500, and is sent on the next try, once,
// with the same delivery id both times.
func TestWebhookRetriedAfter500(t *testing.T) {
	r := newReceiver(t, "whsec_test", http.StatusInternalServerError, http.StatusOK)
	e := newWebhookEnv(t, r.srv.URL+"/hook/abc")
	p := e.queue(t)
	if n := e.send(t); n != 1 {
		t.Fatalf("first pass tried %d", n)
	}
	got := e.post(t, p.ID)
	if got.State != ticket.OutboxQueued || got.Attempts != 1 || !strings.Contains(got.LastError, "500") {
		t.Fatalf("after a 500: %s, %d tries, %q", got.State, got.Attempts, got.LastError)
	}
	if n := e.send(t); n != 0 {
		t.Fatalf("tried again at once: %d", n)
	}
	e.clock = e.clock.Add(ticket.RetryDelay(1))
	if n := e.send(t); n != 1 {
		t.Fatalf("after the delay tried %d", n)
	}
	if got := e.post(t, p.ID); got.State != ticket.OutboxSent {
		t.Fatalf("after a 200: %s (%q)", got.State, got.LastError)
	}
	posts, bad, delivery := r.got()
	if len(bad) != 0 {
		t.Fatalf("the receiver refused posts: %v", bad)
	}
	if len(posts) != 2 || posts[0] != posts[1] || delivery[0] != delivery[1] || !strings.Contains(posts[0], `"text":"Digihjelpen: 1 varsel`) {
		t.Fatalf("posts %v, deliveries %v", posts, delivery)
	}
	if n := e.send(t); n != 0 {
		t.Fatalf("a sent post went again: %d", n)
	}
}

// TestWebhookRefusedForGood: a 404 (the channel is gone) parks the post at once, for admins
// to see; so does a wrong secret (the receiver answers 401). The reason never holds the
// address, which is a secret.
func TestWebhookRefusedForGood(t *testing.T) {
	for _, tt := range []struct {
		name, secret string
		answer       int
		want         string
	}{
		{"404", "whsec_test", http.StatusNotFound, "404"},
		{"wrong secret", "another", http.StatusOK, "401"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := newReceiver(t, tt.secret, tt.answer)
			e := newWebhookEnv(t, r.srv.URL+"/hook/hemmelig-nokkel")
			p := e.queue(t)
			e.send(t)
			got := e.post(t, p.ID)
			if got.State != ticket.OutboxParked || !strings.Contains(got.LastError, tt.want) || strings.Contains(got.LastError, "hemmelig-nokkel") {
				t.Fatalf("%s, %q", got.State, got.LastError)
			}
		})
	}
}

// TestWebhookUnreachable: no answer at all is a try that failed for now.
func TestWebhookUnreachable(t *testing.T) {
	r := newReceiver(t, "whsec_test", http.StatusOK)
	url := r.srv.URL + "/hook/hemmelig-nokkel"
	r.srv.Close()
	e := newWebhookEnv(t, url)
	p := e.queue(t)
	e.send(t)
	got := e.post(t, p.ID)
	if got.State != ticket.OutboxQueued || !strings.Contains(got.LastError, "svarte ikke") || strings.Contains(got.LastError, "hemmelig-nokkel") {
		t.Fatalf("%s, %q", got.State, got.LastError)
	}
}
