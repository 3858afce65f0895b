package web_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/ks-no/digihjelpen/ticket"
	"github.com/ks-no/digihjelpen/web"
)

// brokenStore fails every lookup with an internal error, like a broken disk would.
type brokenStore struct{ web.TicketStore }

func (brokenStore) FindTickets(context.Context, ticket.TicketFilter) ([]*ticket.Ticket, int, error) {
	return nil, 0, errors.New("read /var/lib/digihjelpen/db: input/output error")
}

func TestInternalErrorShowsNoDetails(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080")
	e.srv.Tickets = brokenStore{e.tickets}
	b := e.browser()
	b.login("agent@ks.no")
	resp, body := b.get("/innboks")
	if resp.StatusCode != http.StatusInternalServerError {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if strings.Contains(body, "/var/lib") || strings.Contains(body, "goroutine") || !strings.Contains(body, "Det oppstod en intern feil") {
		t.Fatalf("page shows internals: %s", body)
	}
	if !strings.Contains(e.logs.String(), "input/output error") {
		t.Fatalf("the log lacks the cause: %s", e.logs.String())
	}
}

func TestSecurityHeaders(t *testing.T) {
	e := newTestEnv(t, "https://digihjelpen.ks.no")
	resp, _ := e.browser().get("/logg-inn")
	for h, want := range map[string]string{
		"X-Content-Type-Options":    "nosniff",
		"Referrer-Policy":           "same-origin",
		"X-Frame-Options":           "DENY",
		"Strict-Transport-Security": "max-age=31536000",
	} {
		if got := resp.Header.Get(h); got != want {
			t.Errorf("%s = %q, want %q", h, got, want)
		}
	}
	csp := resp.Header.Get("Content-Security-Policy")
	for _, part := range []string{"frame-ancestors 'none'", "script-src 'self'", "default-src 'self'"} {
		if !strings.Contains(csp, part) {
			t.Errorf("CSP %q lacks %q", csp, part)
		}
	}
	if strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP allows inline code: %q", csp)
	}
}

func TestHealthAndStatic(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080")
	b := e.browser()
	if resp, body := b.get("/healthz"); resp.StatusCode != http.StatusOK || !strings.Contains(body, `"ok"`) {
		t.Fatalf("healthz: %d %s", resp.StatusCode, body)
	}
	_, page := b.get("/logg-inn")
	i := strings.Index(page, "/static/")
	if i < 0 {
		t.Fatal("no stylesheet link")
	}
	href := page[i : i+strings.Index(page[i:], `"`)]
	resp, css := b.get(href)
	if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Cache-Control"), "immutable") || !strings.Contains(css, ":root") {
		t.Fatalf("static %s: %d %q", href, resp.StatusCode, resp.Header.Get("Cache-Control"))
	}
	if resp, _ := b.get("/static/0000/finnes-ikke.css"); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("missing static file: %d", resp.StatusCode)
	}
}

func TestPassword(t *testing.T) {
	hash, err := web.HashPassword("et-langt-passord-æøå")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$argon2id$v=19$") {
		t.Fatalf("hash %q is not argon2id", hash)
	}
	if !web.CheckPassword(hash, "et-langt-passord-æøå") || web.CheckPassword(hash, "et-langt-passord-aoa") || web.CheckPassword("garbage", "x") {
		t.Fatal("CheckPassword is wrong")
	}
	if _, err := web.HashPassword("kort"); ticket.ErrorCode(err) != ticket.EINVALID {
		t.Fatalf("short password: %v", err)
	}
}
