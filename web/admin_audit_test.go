package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

// TestAuditLogPage: sign-ins (right and wrong), openings of a ticket page and API reads,
// downloads and admin changes are in /admin/logg, found by person, ticket, kind and period, and
// the CSV holds the same and is itself in the log.
func TestAuditLogPage(t *testing.T) {
	e := newAdminEnv(t)
	tk := e.createTicket("Kurs", "kari@hamar.kommune.no")
	other := e.createTicket("Annet", "ola@oslo.kommune.no")
	agent := e.browser()
	agent.login("agent@ks.no")
	bad := e.browser()
	bad.post("/logg-inn", url.Values{"csrf": {bad.csrf("/logg-inn")}, "email": {"agent@ks.no"}, "password": {"feil passord her"}})
	agent.get("/saker/" + tk.Ref.String())
	agent.get("/saker/" + tk.Ref.String() + "/vedlegg/1/0")
	if resp, _ := e.api(http.MethodGet, "/api/v1/tickets/"+other.Ref.String(), e.apiToken()); resp.StatusCode != http.StatusOK {
		t.Fatal("API read")
	}
	admin := e.browser()
	admin.login("admin@ks.no")

	today := time.Now().In(ticket.Oslo).Format("2006-01-02")
	tests := []struct {
		name, query string
		want        []string
		absent      []string
	}{
		{"everything", "", []string{"Innlogging", "agent@ks.no", "Sak åpnet", "saksside", "token:test", "Personopplysninger åpnet", "vedlegget «vedlegg.pdf»"}, nil},
		{"one person", "person=AGENT%40ks", []string{"agent@ks.no", "saksside"}, []string{"token:test", "admin@ks.no"}},
		{"one ticket", "sak=" + tk.Ref.String(), []string{"saksside", "vedlegg.pdf", ">" + tk.Ref.String() + "<"}, []string{"token:test", "<td>Innlogging</td>"}},
		{"one kind", "type=login", []string{"agent@ks.no", "mislykket innlogging med passord", "admin@ks.no"}, []string{"saksside"}},
		{"today", "fra=" + today + "&til=" + today, []string{"saksside", "Innlogging"}, nil},
		{"before there was anything", "til=2020-01-01", []string{"Ingen hendelser"}, []string{"saksside"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkPage(t, admin, "/admin/logg?"+tt.query, tt.want, tt.absent)
		})
	}
	resp, body := admin.get("/admin/logg?sak=DH-2026-9999&fra=i+går")
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="sak-feil"`) || !strings.Contains(body, `id="fra-feil"`) {
		t.Fatalf("bad search: %d, want errors beside the fields", resp.StatusCode)
	}

	resp, body = admin.get("/admin/logg/csv?type=opened")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") ||
		!strings.HasPrefix(body, "\uFEFFtid;hendelse;type;hvem;sak;fra;til;detaljer\r\n") {
		t.Fatalf("CSV: %d %q", resp.StatusCode, body)
	}
	lines := strings.Split(strings.TrimSpace(body), "\r\n")
	if len(lines) != 3 || !strings.Contains(lines[1], "token:test;"+other.Ref.String()) || !strings.Contains(lines[2], "agent@ks.no;"+tk.Ref.String()+";;;saksside") {
		t.Fatalf("CSV lines %q", lines)
	}
	checkPage(t, admin, "/admin/logg?type=exported", []string{"revisjonslogg-", "type=opened", "admin@ks.no"}, nil)
}

// TestAuditLogPages: a long log pages backwards without losing or repeating a line.
func TestAuditLogPages(t *testing.T) {
	e := newAdminEnv(t)
	tk := e.createTicket("Kurs", "kari@hamar.kommune.no")
	agent := e.browser()
	agent.login("agent@ks.no")
	for i := 0; i < 130; i++ {
		agent.get("/saker/" + tk.Ref.String())
	}
	admin := e.browser()
	admin.login("admin@ks.no")
	_, first := admin.get("/admin/logg?type=opened")
	next := regexpFind(t, first, `href="(/admin/logg\?[^"]*etter=[^"]+)"`)
	_, second := admin.get(strings.ReplaceAll(next, "&amp;", "&"))
	if n1, n2 := strings.Count(first, "<td>saksside</td>"), strings.Count(second, "<td>saksside</td>"); n1 != 100 || n2 != 30 {
		t.Fatalf("pages of %d and %d openings, want 100 and 30", n1, n2)
	}
	if strings.Contains(second, "Eldre hendelser") {
		t.Error("the last page links to more")
	}
}

// regexpFind returns the first group of pattern in s, failing the test when it is not there.
func regexpFind(t *testing.T, s, pattern string) string {
	t.Helper()
	m := regexp.MustCompile(pattern).FindStringSubmatch(s)
	if m == nil {
		t.Fatalf("no %s in the page", pattern)
	}
	return m[1]
}
