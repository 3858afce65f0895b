package web_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/ks-no/digihjelpen/ticket"
	"github.com/ks-no/digihjelpen/web"
)

// allOff switches off every optional part of the server.
func allOff(s *web.Server) {
	s.Stats, s.Quarantine, s.Deleter, s.Composer, s.Outbox, s.Templates = nil, nil, nil, nil, nil, nil
	s.Rules, s.Referrals, s.Backup, s.Accounts = nil, nil, nil, nil
	s.AgencyStore, s.Drafts = nil, nil
	s.Notifications, s.Webhooks, s.SavedViews, s.Changes = nil, nil, nil, nil
	s.Retention, s.Persons, s.Audit = nil, nil, nil
	s.Overview = web.Overview{}
}

// TestFeaturesOff: with every optional part off, each of their routes is still routed and
// answers 404 with a sentence that says the function is switched off (as a page, or JSON for
// the API), never the plain «Siden finnes ikke.» of a path that does not exist; and no menu
// links them. Routes that are always on are untouched.
func TestFeaturesOff(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080", allOff)
	admin := e.browser()
	admin.login("admin@ks.no")
	token := e.addToken("alt", ticket.RoleAdmin)
	csrf := admin.csrf("/innboks")
	const off = "er ikke slått på på denne serveren."
	n := 0
	for _, r := range e.srv.RouteTable() {
		if r.Feature == "" {
			continue
		}
		n++
		form := url.Values{"csrf": {csrf}}
		req := httptest.NewRequest(r.Method, routeParams.Replace(r.Path), strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		var resp *http.Response
		if strings.HasPrefix(r.Access, "API") {
			req.Header.Set("Authorization", "Bearer "+token)
			var err error
			if resp, err = e.srv.App().Test(req, -1); err != nil {
				t.Fatal(err)
			}
		} else {
			resp = admin.do(req)
		}
		body := readAll(t, resp)
		if resp.StatusCode != http.StatusNotFound || !strings.Contains(body, "Denne funksjonen ("+r.Feature+") "+off) {
			t.Errorf("%s %s with %s off: %d, want 404 saying it is off", r.Method, r.Path, r.Feature, resp.StatusCode)
		}
		if strings.HasPrefix(r.Access, "API") && !strings.Contains(body, `"code":"not_found"`) {
			t.Errorf("%s %s: not a JSON error: %s", r.Method, r.Path, body)
		}
	}
	if n < 40 {
		t.Fatalf("only %d routes belong to a feature; is the table read?", n)
	}
	_, page := admin.get("/admin")
	for _, gone := range []string{`href="/henvisninger"`, `href="/utboks"`, `href="/karantene"`, `href="/statistikk"`, `href="/kommuner"`,
		`href="/admin/svarmaler"`, `href="/admin/regler"`, `href="/admin/sikkerhetskopi"`, `href="/admin/webhooker"`,
		`href="/admin/oppbevaring"`, `href="/admin/personer"`, `href="/admin/logg"`} {
		if strings.Contains(page, gone) {
			t.Errorf("the admin page links %s, which is off", gone)
		}
	}
	for _, kept := range []string{`href="/innboks"`, `href="/admin/brukere"`, `href="/admin/api-nokler"`, `href="/admin/etater"`} {
		if !strings.Contains(page, kept) {
			t.Errorf("the admin page lacks %s", kept)
		}
	}
	if resp, body := admin.get("/finnes-ikke"); resp.StatusCode != http.StatusNotFound || !strings.Contains(body, "Siden finnes ikke.") || strings.Contains(body, off) {
		t.Errorf("an unknown path: %d, want the plain 404", resp.StatusCode)
	}
	if resp, _ := admin.get("/innboks"); resp.StatusCode != http.StatusOK {
		t.Errorf("the inbox with the options off: %d", resp.StatusCode)
	}
}

// TestFeatureOffStillChecksRole: a route that is off still sends visitors without a session to
// the login page and refuses a role that may not use it, so being off reveals nothing.
func TestFeatureOffStillChecksRole(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080", allOff)
	e.addUser("leser@ks.no", ticket.RoleReader)
	if resp, _ := e.browser().get("/karantene"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("anonymous on /karantene: %d, want 303 to the login", resp.StatusCode)
	}
	reader := e.browser()
	reader.login("leser@ks.no")
	if resp, _ := reader.get("/karantene"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("reader on /karantene: %d, want 403", resp.StatusCode)
	}
	if resp, body := reader.get("/statistikk"); resp.StatusCode != http.StatusNotFound || !strings.Contains(body, "Denne funksjonen (statistikk) er ikke slått på") {
		t.Errorf("reader on /statistikk without statistics: %d", resp.StatusCode)
	}
}

func readAll(t *testing.T, resp *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
