package web_test

import (
	"html"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/ks-no/digihjelpen/web"
)

// mailState is what the mail loops would report, changed by the test.
type mailState struct {
	mu sync.Mutex
	st web.MailState
}

func (m *mailState) get() web.MailState { m.mu.Lock(); defer m.mu.Unlock(); return m.st }
func (m *mailState) set(st web.MailState) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.st = st
}

const (
	intakeProblem = "Fikk ikke tilgangsnøkkel: tokentjenesten https://login.microsoftonline.com/ks/oauth2/v2.0/token avviste forespørselen (invalid_client: AADSTS7000215)."
	outboxProblem = "SMTP-tjeneren smtp.office365.com:587 avviste innloggingen for kontakt@ks.no: 535 5.7.3 Authentication unsuccessful"
)

// TestMailStateShown: what stops mail shows on the admin front page and the outbox page, and
// goes away when mail flows again.
func TestMailStateShown(t *testing.T) {
	st := &mailState{}
	e := newTestEnv(t, "http://127.0.0.1:8080", func(s *web.Server) { s.MailboxState = st.get })
	admin, agent := e.browser(), e.browser()
	admin.login("admin@ks.no")
	agent.login("agent@ks.no")
	pages := []struct {
		who  *browser
		path string
	}{{admin, "/admin/"}, {admin, "/utboks"}, {agent, "/utboks"}}

	st.set(web.MailState{Intake: intakeProblem, Outbox: outboxProblem})
	for _, p := range pages {
		resp, body := p.who.get(p.path)
		page := html.UnescapeString(body)
		if resp.StatusCode != http.StatusOK || !strings.Contains(page, "Innboksen kan ikke leses: "+intakeProblem) ||
			!strings.Contains(page, "Utgående e-post kan ikke sendes: "+outboxProblem) {
			t.Fatalf("%s: %d, the problems are not shown:\n%s", p.path, resp.StatusCode, page)
		}
	}
	st.set(web.MailState{Outbox: outboxProblem})
	if _, body := admin.get("/admin/"); strings.Contains(body, "Innboksen kan ikke leses") || !strings.Contains(html.UnescapeString(body), outboxProblem) {
		t.Fatal("the admin page shows a problem that is gone, or not the one left")
	}
	st.set(web.MailState{})
	for _, p := range pages {
		if _, body := p.who.get(p.path); strings.Contains(body, `id="epoststatus"`) {
			t.Fatalf("%s shows a mail problem while mail flows", p.path)
		}
	}
}

// TestMailStateUnset: without a reporter (CLI, tests) nothing shows.
func TestMailStateUnset(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080")
	admin := e.browser()
	admin.login("admin@ks.no")
	if resp, body := admin.get("/admin/"); resp.StatusCode != http.StatusOK || strings.Contains(body, `id="epoststatus"`) {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
}

// TestBrowserMailState: the notice passes axe on both pages.
func TestBrowserMailState(t *testing.T) {
	st := &mailState{}
	st.set(web.MailState{Intake: intakeProblem, Outbox: outboxProblem})
	e := newTestEnv(t, "http://127.0.0.1:8080", func(s *web.Server) { s.MailboxState = st.get })
	c := newChrome(t, e)
	c.login("admin@ks.no")
	c.visit("/admin/")
	if got := c.text("#epoststatus"); !strings.Contains(got, "Innboksen kan ikke leses") {
		t.Fatalf("notice %q", got)
	}
	c.audit("admin-epoststatus")
	c.visit("/utboks")
	c.audit("utboks-epoststatus")
}
