package web_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/mailbridge"
	"github.com/ks-no/digihjelpen/routing"
	"github.com/ks-no/digihjelpen/ticket"
	"github.com/ks-no/digihjelpen/ticket/notify"
	"github.com/ks-no/digihjelpen/web"
)

const testPassword = "riktig-hest-batteri-stift"

func TestMain(m *testing.M) {
	code := m.Run()
	stopBrowser()
	os.Exit(code)
}

// testEnv is a web server on a real bbolt file, with an admin and an agent.
type testEnv struct {
	t       *testing.T
	srv     *web.Server
	db      *data.DB
	tickets *data.TicketService
	users   *data.UserService
	tokens  *data.TokenService
	logs    *bytes.Buffer
	intake  *mailbridge.Intake // mail intake into this database (the quarantine pages)
	// register is the municipality register (the overview pages, the ticket page's card).
	register *data.RegisterService
	handbook *data.HandbookService
	feedback *data.FeedbackService
}

// newTestEnv opens the server after applying opts, which set fields that Open reads.
func newTestEnv(t *testing.T, baseURL string, opts ...func(*web.Server)) *testEnv {
	t.Helper()
	db := data.NewDB(filepath.Join(t.TempDir(), "web.db"))
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	e := &testEnv{t: t, db: db, tickets: data.NewTicketService(db), users: data.NewUserService(db),
		tokens: data.NewTokenService(db), logs: &bytes.Buffer{},
		intake: &mailbridge.Intake{Store: data.NewIntakeService(db), MaxMessageBytes: 1 << 20}}
	e.srv = &web.Server{
		Tickets: e.tickets, Events: data.NewEventService(db), Users: e.users, Sessions: data.NewSessionService(db),
		Tokens: e.tokens, Agencies: routing.DefaultAgencies(), BaseURL: baseURL, Secret: bytes.Repeat([]byte("k"), 32),
		Logger: slog.New(slog.NewTextHandler(e.logs, nil)),
		Health: func(ctx context.Context) error { _, err := db.Stats(ctx); return err },
		Stats:  data.NewStatsService(db), Accounts: data.NewAccountService(db),
	}
	e.srv.Quarantine, e.srv.Deleter = e.intake, e.tickets
	e.srv.Notifications, e.srv.Webhooks = data.NewNotifyService(db), data.NewWebhookService(db)
	e.srv.Planner = &notify.Planner{BaseURL: baseURL, Domain: "ks.no", Agencies: e.srv.Agencies}
	e.srv.Seen, e.srv.SavedViews, e.srv.Searches = data.NewSeenService(db), data.NewSavedViewService(db), data.NewSearchService(db)
	e.srv.Changes = db.TicketsChanged
	e.register = data.NewRegisterService(db)
	e.handbook = data.NewHandbookService(db)
	e.feedback = data.NewFeedbackService(db)
	e.srv.Overview = web.Overview{Register: e.register, Counts: e.register, Units: registerUnits(), Handbook: e.handbook, Feedback: e.feedback}
	e.withMail(baseURL)
	// the edits of /admin/etater over the agencies withMail gave addresses (the same slice, so
	// a test that changes e.srv.Agencies changes the defaults)
	e.srv.AgencyStore, e.srv.Drafts = data.NewAgencyService(db, e.srv.Agencies), data.NewDraftService(db)
	for _, o := range opts {
		o(e.srv)
	}
	if err := e.srv.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.srv.Shutdown(context.Background()) })
	for _, u := range []struct {
		email string
		role  ticket.Role
	}{{"admin@ks.no", ticket.RoleAdmin}, {"agent@ks.no", ticket.RoleAgent}} {
		hash, err := web.HashPassword(testPassword)
		if err != nil {
			t.Fatal(err)
		}
		if err := e.users.CreateUser(context.Background(), &ticket.User{Email: u.email, Name: "Test " + string(u.role), Role: u.role, PasswordHash: hash}); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

// browser keeps cookies between requests, like a browser does.
type browser struct {
	e       *testEnv
	cookies map[string]string
}

func (e *testEnv) browser() *browser { return &browser{e: e, cookies: map[string]string{}} }

func (b *browser) do(req *http.Request) *http.Response {
	b.e.t.Helper()
	for k, v := range b.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	resp, err := b.e.srv.App().Test(req, -1)
	if err != nil {
		b.e.t.Fatal(err)
	}
	for _, c := range resp.Cookies() {
		if c.MaxAge < 0 || (!c.Expires.IsZero() && c.Expires.Before(time.Now())) {
			delete(b.cookies, c.Name)
		} else {
			b.cookies[c.Name] = c.Value
		}
	}
	return resp
}

func (b *browser) get(path string) (*http.Response, string) {
	b.e.t.Helper()
	resp := b.do(httptest.NewRequest(http.MethodGet, path, nil))
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

func (b *browser) post(path string, form url.Values) (*http.Response, string) {
	b.e.t.Helper()
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp := b.do(req)
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

var csrfInput = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf loads a page and returns the token of its first form.
func (b *browser) csrf(path string) string {
	b.e.t.Helper()
	_, body := b.get(path)
	m := csrfInput.FindStringSubmatch(body)
	if m == nil {
		b.e.t.Fatalf("no csrf token on %s", path)
	}
	return m[1]
}

// login logs in as email and fails the test if it does not work.
func (b *browser) login(email string) {
	b.e.t.Helper()
	resp, body := b.post("/logg-inn", url.Values{"csrf": {b.csrf("/logg-inn")}, "email": {email}, "password": {testPassword}})
	if resp.StatusCode != http.StatusSeeOther {
		b.e.t.Fatalf("login as %s: status %d: %s", email, resp.StatusCode, body)
	}
}

func (e *testEnv) createTicket(subject, email string) *ticket.Ticket {
	e.t.Helper()
	tk := &ticket.Ticket{Subject: subject, Status: ticket.StatusNew, Agency: "ks", Priority: ticket.PriorityNormal, Channel: ticket.ChannelEmail,
		Requester: ticket.Requester{Name: "Kari Nordmann", Email: email, Municipality: ticket.Municipality{Number: "3405", Name: "Lillehammer"}}}
	m := &ticket.Message{Direction: ticket.DirectionIn, From: email, Subject: subject, Text: "Hei, <b>hvordan</b> gjør vi dette?",
		Attachments: []ticket.Attachment{{Name: "vedlegg.pdf", Type: "application/pdf", Data: []byte("%PDF")}}}
	if err := e.tickets.CreateTicket(context.Background(), tk, m, ticket.CreateOptions{}); err != nil {
		e.t.Fatal(err)
	}
	return tk
}
