package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/ks-no/digihjelpen/ticket"
	"github.com/ks-no/digihjelpen/web"
)

// addUser adds a staff member with the test password and role, for tests that need more than
// the admin and the agent every testEnv has.
func (e *testEnv) addUser(email string, role ticket.Role) {
	e.t.Helper()
	hash, err := web.HashPassword(testPassword)
	if err != nil {
		e.t.Fatal(err)
	}
	if err := e.users.CreateUser(context.Background(), &ticket.User{Email: email, Name: "Test " + string(role), Role: role, PasswordHash: hash}); err != nil {
		e.t.Fatal(err)
	}
}

// addToken stores an API token with role and returns its secret.
func (e *testEnv) addToken(name string, role ticket.Role) string {
	e.t.Helper()
	secret, id := web.NewTokenSecret()
	if err := e.tokens.CreateToken(context.Background(), &ticket.Token{ID: id, Name: name, Role: role}); err != nil {
		e.t.Fatal(err)
	}
	return secret
}

// menuLinks are the links of the staff menu on a page.
var menuLinks = regexp.MustCompile(`<li><a href="([^"]+)"[^>]*>[^<]+</a></li>`)

func staffMenu(page string) []string {
	_, nav, _ := strings.Cut(page, `<nav aria-label="Hovedmeny">`)
	nav, _, _ = strings.Cut(nav, "</nav>")
	var links []string
	for _, m := range menuLinks.FindAllStringSubmatch(nav, -1) {
		links = append(links, m[1])
	}
	return links
}

// TestReaderSeesOnlyStatistics: a reader lands on the statistics after login, has only them and
// the public pages (the map, the handbook) in the menu, can download the weekly report in every format, and is refused everything with
// tickets or names, with a sentence that says what the role gives.
func TestReaderSeesOnlyStatistics(t *testing.T) {
	e := scenarioEnv(t)
	e.withRouting()
	e.addUser("leser@ks.no", ticket.RoleReader)
	tk := e.createTicket("Kurs i BankID", "kari@lillehammer.kommune.no")
	b := e.browser()
	resp, _ := b.post("/logg-inn", url.Values{"csrf": {b.csrf("/logg-inn")}, "email": {"leser@ks.no"}, "password": {testPassword}})
	if got := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || got != "/statistikk" {
		t.Fatalf("after login: %d to %q, want 303 to /statistikk", resp.StatusCode, got)
	}
	resp, page := b.get("/statistikk?uke=2026-W13")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("statistics: %d", resp.StatusCode)
	}
	if got := staffMenu(page); strings.Join(got, " ") != "/statistikk /kart /handbok" {
		t.Errorf("the reader's menu links %v, want only /statistikk and the public /kart and /handbok", got)
	}
	for _, leak := range []string{`action="/statistikk/saker"`, "Eksporter saker", `href="/innboks"`, `href="/admin"`} {
		if strings.Contains(page, leak) {
			t.Errorf("the reader's statistics page has %q", leak)
		}
	}
	if !strings.Contains(page, `<th scope="row">Nye saker</th><td>7</td>`) || !strings.Contains(page, `class="brand" href="/statistikk"`) {
		t.Error("the reader's statistics page lacks the figures or the home link")
	}
	for _, format := range []string{"xlsx", "csv", "csv-comma", "json"} {
		resp, body := b.get("/statistikk/rapport?uke=2026-W13&format=" + format)
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment") || len(body) == 0 {
			t.Errorf("report as %s: %d %q", format, resp.StatusCode, resp.Header.Get("Content-Disposition"))
		}
	}
	for _, path := range []string{"/innboks", "/saker/" + tk.Ref.String(), "/saker/" + tk.Ref.String() + "/vedlegg/1/0",
		"/statistikk/saker?uke=2026-W13", "/henvisninger", "/utboks", "/karantene", "/kommuner", "/kommuner/3405", "/handbok/ny"} {
		resp, body := b.get(path)
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "Med rollen leser ser du statistikken.") {
			t.Errorf("reader on %s: %d, want 403 with what the role gives", path, resp.StatusCode)
		}
		if strings.Contains(body, "Kurs i BankID") || strings.Contains(body, "kari@lillehammer") {
			t.Errorf("reader on %s sees the ticket", path)
		}
		if !strings.Contains(body, `href="/statistikk">Til forsiden`) {
			t.Errorf("reader on %s: «Til forsiden» does not lead to the statistics", path)
		}
	}
	if resp, body := b.get("/admin"); resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "bare for administratorer") {
		t.Errorf("reader on /admin: %d", resp.StatusCode)
	}
	resp, _ = b.post("/innboks/sok", url.Values{"csrf": {b.csrf("/statistikk")}, "q": {"BankID"}})
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("reader searching tickets: %d, want 403", resp.StatusCode)
	}
}

// TestReaderToken: an API token with the role leser reads the weekly report and /metrics, and
// nothing with tickets; agent and admin tokens keep everything they had.
func TestReaderToken(t *testing.T) {
	e := scenarioEnv(t)
	e.createTicket("Kurs i BankID", "kari@lillehammer.kommune.no")
	tokens := map[ticket.Role]string{}
	for _, r := range ticket.Roles {
		tokens[r] = e.addToken("nøkkel-"+string(r), r)
	}
	tests := []struct {
		name, path string
		role       ticket.Role
		want       int
	}{
		{"ReaderWeekly", "/api/v1/stats/weekly?week=2026-W13", ticket.RoleReader, http.StatusOK},
		{"ReaderWeeklyCSV", "/api/v1/stats/weekly?week=2026-W13&format=csv", ticket.RoleReader, http.StatusOK},
		{"ReaderMetrics", "/metrics", ticket.RoleReader, http.StatusOK},
		{"ErrReaderTickets", "/api/v1/tickets", ticket.RoleReader, http.StatusForbidden},
		{"ErrReaderTicketExport", "/api/v1/stats/tickets?week=2026-W13", ticket.RoleReader, http.StatusForbidden},
		{"ErrReaderQuarantine", "/api/v1/quarantine", ticket.RoleReader, http.StatusForbidden},
		{"AgentTickets", "/api/v1/tickets", ticket.RoleAgent, http.StatusOK},
		{"AgentTicketExport", "/api/v1/stats/tickets?week=2026-W13", ticket.RoleAgent, http.StatusOK},
		{"AdminWeekly", "/api/v1/stats/weekly?week=2026-W13", ticket.RoleAdmin, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, tt.path, nil)
			req.Header.Set("Authorization", "Bearer "+tokens[tt.role])
			resp, err := e.srv.App().Test(req, -1)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tt.want {
				t.Fatalf("got %d, want %d", resp.StatusCode, tt.want)
			}
			if tt.want == http.StatusForbidden {
				var v struct {
					Error struct{ Code, Message string }
				}
				if err := json.NewDecoder(resp.Body).Decode(&v); err != nil || v.Error.Code != ticket.EFORBIDDEN ||
					!strings.Contains(v.Error.Message, "rollen leser") {
					t.Errorf("got %+v (%v), want a JSON error naming the role", v, err)
				}
			}
		})
	}
}

// TestAdminGivesReaderRole: the admin user page offers the role, creates a reader and changes
// an agent into one; the reader's next request has only the reader's access.
func TestAdminGivesReaderRole(t *testing.T) {
	e := newAdminEnv(t)
	admin, agent := e.browser(), e.browser()
	admin.login("admin@ks.no")
	agent.login("agent@ks.no")
	_, page := admin.get("/admin/brukere")
	if !strings.Contains(page, `<option value="leser">Leser (bare statistikk)</option>`) {
		t.Fatal("the user page does not offer the role leser")
	}
	token := admin.csrf("/admin/brukere")
	resp, _ := admin.post("/admin/brukere", url.Values{"csrf": {token}, "navn": {"Leder"}, "epost": {"leder@ks.no"}, "rolle": {"leser"}})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("create a reader: %d", resp.StatusCode)
	}
	if u, err := e.users.FindUserByEmail(context.Background(), "leder@ks.no"); err != nil || u.Role != ticket.RoleReader {
		t.Fatalf("stored %+v (%v), want the role leser", u, err)
	}
	if resp, _ := agent.get("/innboks"); resp.StatusCode != http.StatusOK {
		t.Fatalf("agent before the change: %d", resp.StatusCode)
	}
	a, _ := e.users.FindUserByEmail(context.Background(), "agent@ks.no")
	resp, _ = admin.post("/admin/brukere/"+strconv.FormatUint(a.ID, 10)+"/rolle", url.Values{"csrf": {token}, "rolle": {"leser"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("change the role: %d", resp.StatusCode)
	}
	if resp, _ := agent.get("/innboks"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("the former agent on /innboks: %d, want 403", resp.StatusCode)
	}
	if resp, _ := agent.get("/statistikk"); resp.StatusCode != http.StatusOK {
		t.Errorf("the former agent on /statistikk: %d, want 200", resp.StatusCode)
	}
}
