package web_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/ticket"
	"github.com/ks-no/digihjelpen/web"
)

// newAdminEnv is a test server with backup, retention (365 days, as configured), a person's
// data and the audit log on its own database.
func newAdminEnv(t *testing.T, opts ...func(*web.Server)) *testEnv {
	e := newTestEnv(t, "http://127.0.0.1:8080", opts...)
	e.srv.Backup = e.db.Backup
	retention := data.NewRetentionService(e.db)
	retention.Default = 365 * 24 * time.Hour
	e.srv.Retention = retention
	e.srv.Persons, e.srv.Audit = data.NewPersonService(e.db), data.NewAuditService(e.db)
	return e
}

func TestAdminRoleChecks(t *testing.T) {
	e := newAdminEnv(t)
	e.withRouting() // the rules page is in the admin menu only when the rules are wired
	routes := []struct{ method, path string }{
		{"GET", "/admin"}, {"GET", "/admin/brukere"}, {"POST", "/admin/brukere"}, {"POST", "/admin/brukere/1/rolle"},
		{"POST", "/admin/brukere/1/aktiv"}, {"POST", "/admin/brukere/1/passord"}, {"GET", "/admin/api-nokler"},
		{"POST", "/admin/api-nokler"}, {"POST", "/admin/api-nokler/x/slett"}, {"GET", "/admin/sikkerhetskopi"},
		{"POST", "/admin/sikkerhetskopi"},
	}
	agent, anonymous := e.browser(), e.browser()
	agent.login("agent@ks.no")
	token := agent.csrf("/innboks")
	anonToken := anonymous.csrf("/logg-inn")
	for _, r := range routes {
		var resp *http.Response
		if r.method == "GET" {
			resp, _ = agent.get(r.path)
		} else {
			resp, _ = agent.post(r.path, url.Values{"csrf": {token}, "rolle": {"admin"}, "aktiv": {"nei"}})
		}
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("agent %s %s: got %d, want 403", r.method, r.path, resp.StatusCode)
		}
		if r.method == "GET" {
			resp, _ = anonymous.get(r.path)
		} else {
			resp, _ = anonymous.post(r.path, url.Values{"csrf": {anonToken}})
		}
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc(resp), "/logg-inn") {
			t.Errorf("anonymous %s %s: got %d to %q, want a redirect to login", r.method, r.path, resp.StatusCode, loc(resp))
		}
	}
	if u, _ := e.users.FindUserByEmail(context.Background(), "agent@ks.no"); u.Role != ticket.RoleAgent {
		t.Fatal("the agent made itself admin")
	}
	admin := e.browser()
	admin.login("admin@ks.no")
	resp, body := admin.get("/admin")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("admin: status %d", resp.StatusCode)
	}
	for _, want := range []string{"/admin/brukere", "/admin/api-nokler", "/admin/etater", "/admin/svarmaler", "/admin/regler",
		"/karantene", "/utboks", "/admin/sikkerhetskopi", "365 dager", `href="/admin" aria-current="page">Administrasjon`} {
		if !strings.Contains(body, want) {
			t.Errorf("admin page lacks %q", want)
		}
	}
	if _, body := agent.get("/innboks"); strings.Contains(body, `href="/admin"`) {
		t.Error("agents see the admin link")
	}
}

var secretInput = regexp.MustCompile(`id="hemmelighet" class="secret" type="text" readonly value="([^"]+)"`)

func TestAdminCreateUser(t *testing.T) {
	tests := []struct {
		name     string
		form     url.Values
		field    string
		want     string
		password string // "" when generated
	}{
		{"OK generated password", url.Values{"navn": {"Per Ås"}, "epost": {"per@ks.no"}, "rolle": {"agent"}}, "", "", ""},
		{"OK own password", url.Values{"navn": {"Siv"}, "epost": {"siv@ks.no"}, "rolle": {"admin"}, "passord": {"et-langt-nok-passord"}}, "", "", "et-langt-nok-passord"},
		{"ErrNameRequired", url.Values{"epost": {"per@ks.no"}, "rolle": {"agent"}}, "navn", "Skriv navnet.", ""},
		{"ErrEmailInvalid", url.Values{"navn": {"Per"}, "epost": {"per"}, "rolle": {"agent"}}, "epost", "Skriv en gyldig e-postadresse.", ""},
		{"ErrEmailTaken", url.Values{"navn": {"Per"}, "epost": {"Agent@ks.no"}, "rolle": {"agent"}}, "epost", "Det finnes allerede en bruker", ""},
		{"ErrRole", url.Values{"navn": {"Per"}, "epost": {"per@ks.no"}, "rolle": {"sjef"}}, "rolle", "Rollen må være", ""},
		{"ErrShortPassword", url.Values{"navn": {"Per"}, "epost": {"per@ks.no"}, "rolle": {"agent"}, "passord": {"kort"}}, "passord", "minst 12 tegn", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newAdminEnv(t)
			admin := e.browser()
			admin.login("admin@ks.no")
			tt.form.Set("csrf", admin.csrf("/admin/brukere"))
			resp, body := admin.post("/admin/brukere", tt.form)
			if tt.field != "" {
				if resp.StatusCode != http.StatusBadRequest {
					t.Fatalf("got status %d, want 400", resp.StatusCode)
				}
				checkFieldError(t, body, tt.field, tt.want)
				return
			}
			password := tt.password
			if password == "" {
				m := secretInput.FindStringSubmatch(body)
				if resp.StatusCode != http.StatusOK || m == nil || len(m[1]) < 20 {
					t.Fatalf("got status %d, no password shown: %s", resp.StatusCode, body)
				}
				password = m[1]
				if resp.Header.Get("Cache-Control") != "no-store" {
					t.Error("a page with a password may be cached")
				}
			} else if resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("got status %d, want 303", resp.StatusCode)
			}
			email := tt.form.Get("epost")
			u, err := e.users.FindUserByEmail(context.Background(), email)
			if err != nil || u.Role != ticket.Role(tt.form.Get("rolle")) || !web.CheckPassword(u.PasswordHash, password) {
				t.Fatalf("user %+v %v: password or role wrong", u, err)
			}
			if strings.Contains(e.logs.String(), password) {
				t.Fatal("the password is in the log")
			}
		})
	}
}

// userID returns the id of the user with email, as the admin URLs carry it.
func (e *testEnv) userID(email string) string {
	e.t.Helper()
	u, err := e.users.FindUserByEmail(context.Background(), email)
	if err != nil {
		e.t.Fatal(err)
	}
	return strconv.FormatUint(u.ID, 10)
}

func TestAdminLastAdmin(t *testing.T) {
	e := newAdminEnv(t)
	admin := e.browser()
	admin.login("admin@ks.no")
	me := e.userID("admin@ks.no")
	token := admin.csrf("/admin/brukere")
	tests := []struct {
		name, path string
		form       url.Values
		status     int
		want       string
	}{
		{"ErrDemoteLastAdmin", "/admin/brukere/" + me + "/rolle", url.Values{"rolle": {"agent"}}, http.StatusBadRequest, "Det må finnes minst én aktiv administrator."},
		{"ErrDisableSelf", "/admin/brukere/" + me + "/aktiv", url.Values{"aktiv": {"nei"}}, http.StatusForbidden, "Du kan ikke deaktivere deg selv."},
		{"ErrUnknownUser", "/admin/brukere/999/rolle", url.Values{"rolle": {"agent"}}, http.StatusNotFound, "Fant ikke brukeren."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.form.Set("csrf", token)
			resp, body := admin.post(tt.path, tt.form)
			if resp.StatusCode != tt.status || !strings.Contains(body, tt.want) {
				t.Fatalf("got %d, want %d with %q: %s", resp.StatusCode, tt.status, tt.want, body)
			}
			if u, _ := e.users.FindUserByEmail(context.Background(), "admin@ks.no"); !u.IsAdmin() {
				t.Fatal("the last admin lost the role")
			}
		})
	}
	t.Run("OK with another admin", func(t *testing.T) {
		agent := e.userID("agent@ks.no")
		if resp, _ := admin.post("/admin/brukere/"+agent+"/rolle", url.Values{"csrf": {token}, "rolle": {"admin"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("promote: status %d", resp.StatusCode)
		}
		resp, _ := admin.post("/admin/brukere/"+me+"/rolle", url.Values{"csrf": {token}, "rolle": {"agent"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("demote self with another admin: status %d", resp.StatusCode)
		}
		if resp, _ := admin.get("/admin"); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("a demoted admin still reaches /admin: %d", resp.StatusCode)
		}
	})
}

func TestAdminDisableAndResetLogOut(t *testing.T) {
	e := newAdminEnv(t)
	admin, agent := e.browser(), e.browser()
	admin.login("admin@ks.no")
	agent.login("agent@ks.no")
	id := e.userID("agent@ks.no")
	token := admin.csrf("/admin/brukere")

	resp, _ := admin.post("/admin/brukere/"+id+"/aktiv", url.Values{"csrf": {token}, "aktiv": {"nei"}})
	if resp.StatusCode != http.StatusSeeOther || loc(resp) != "/admin/brukere?ok=deaktivert" {
		t.Fatalf("disable: %d %q", resp.StatusCode, loc(resp))
	}
	if resp, _ := agent.get("/innboks"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("a disabled user is still logged in: %d", resp.StatusCode)
	}
	if resp, _ := e.browser().post("/logg-inn", url.Values{"csrf": {agent.csrf("/logg-inn")}}); resp.StatusCode == http.StatusSeeOther {
		t.Fatal("a disabled user can log in")
	}
	if resp, _ := admin.post("/admin/brukere/"+id+"/aktiv", url.Values{"csrf": {token}, "aktiv": {"ja"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("enable: %d", resp.StatusCode)
	}
	agent.login("agent@ks.no")

	resp, body := admin.post("/admin/brukere/"+id+"/passord", url.Values{"csrf": {token}})
	m := secretInput.FindStringSubmatch(body)
	if resp.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("reset: status %d, no password shown", resp.StatusCode)
	}
	if resp, _ := agent.get("/innboks"); resp.StatusCode != http.StatusSeeOther {
		t.Fatal("the old session survived a password reset")
	}
	fresh := e.browser()
	if resp, _ := fresh.post("/logg-inn", url.Values{"csrf": {fresh.csrf("/logg-inn")}, "email": {"agent@ks.no"}, "password": {testPassword}}); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("the old password still works: %d", resp.StatusCode)
	}
	if resp, _ := fresh.post("/logg-inn", url.Values{"csrf": {fresh.csrf("/logg-inn")}, "email": {"agent@ks.no"}, "password": {m[1]}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("the new password does not work: %d", resp.StatusCode)
	}
}

// TestAdminResetOwnPasswordLogsOutElsewhere: an admin who resets their own password (after a
// lost laptop, say) is logged out in every other browser, and stays logged in in this one with
// a new session.
func TestAdminResetOwnPasswordLogsOutElsewhere(t *testing.T) {
	e := newAdminEnv(t)
	here, elsewhere := e.browser(), e.browser()
	here.login("admin@ks.no")
	elsewhere.login("admin@ks.no")
	before := here.cookies["dh_session"]

	resp, body := here.post("/admin/brukere/"+e.userID("admin@ks.no")+"/passord", url.Values{"csrf": {here.csrf("/admin/brukere")}})
	if resp.StatusCode != http.StatusOK || secretInput.FindStringSubmatch(body) == nil {
		t.Fatalf("reset: status %d, no password shown", resp.StatusCode)
	}
	if resp, _ := elsewhere.get("/innboks"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("the admin's other session survived the reset of their password: %d", resp.StatusCode)
	}
	if resp, _ := here.get("/innboks"); resp.StatusCode != http.StatusOK {
		t.Errorf("the browser that reset the password was logged out: %d", resp.StatusCode)
	}
	if here.cookies["dh_session"] == before {
		t.Error("the session was kept: it should be a new one")
	}
	old := e.browser()
	old.cookies["dh_session"] = before
	if resp, _ := old.get("/innboks"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("the session from before the reset still works: %d", resp.StatusCode)
	}
}

func TestAdminTokens(t *testing.T) {
	e := newAdminEnv(t)
	admin := e.browser()
	admin.login("admin@ks.no")
	token := admin.csrf("/admin/api-nokler")
	resp, body := admin.post("/admin/api-nokler", url.Values{"csrf": {token}, "navn": {""}, "rolle": {"agent"}})
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("no name: status %d", resp.StatusCode)
	}
	checkFieldError(t, body, "navn", "Gi nøkkelen et navn.")

	resp, body = admin.post("/admin/api-nokler", url.Values{"csrf": {token}, "navn": {"statistikk"}, "rolle": {"agent"}})
	m := secretInput.FindStringSubmatch(body)
	if resp.StatusCode != http.StatusOK || m == nil || !strings.HasPrefix(m[1], "dh_") {
		t.Fatalf("create: status %d, no secret", resp.StatusCode)
	}
	api := func() int {
		req, _ := http.NewRequest(http.MethodGet, "/api/v1/tickets", nil)
		req.Header.Set("Authorization", "Bearer "+m[1])
		resp, err := e.srv.App().Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode
	}
	if got := api(); got != http.StatusOK {
		t.Fatalf("API with the new token: %d", got)
	}
	_, list := admin.get("/admin/api-nokler")
	if !strings.Contains(list, "statistikk") || strings.Contains(list, m[1]) {
		t.Fatal("the list must name the token and never show its secret")
	}
	del := regexp.MustCompile(`action="(/admin/api-nokler/[0-9a-f]+/slett)"`).FindStringSubmatch(list)
	if del == nil {
		t.Fatal("no revoke button")
	}
	if resp, _ := admin.post(del[1], url.Values{"csrf": {token}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("revoke: %d", resp.StatusCode)
	}
	if got := api(); got != http.StatusUnauthorized {
		t.Fatalf("API with a revoked token: %d, want 401", got)
	}
}

func TestAdminBackup(t *testing.T) {
	e := newAdminEnv(t)
	tk := e.createTicket("Sikkerhetskopi æøå", "kari@lillehammer.kommune.no")
	admin := e.browser()
	admin.login("admin@ks.no")
	resp, body := admin.post("/admin/sikkerhetskopi", url.Values{"csrf": {admin.csrf("/admin/sikkerhetskopi")}})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if cd := resp.Header.Get("Content-Disposition"); !regexp.MustCompile(`^attachment; filename="digihjelpen-\d{4}-\d{2}-\d{2}-\d{4}\.db";`).MatchString(cd) {
		t.Fatalf("got Content-Disposition %q", cd)
	}
	path := filepath.Join(t.TempDir(), "kopi.db")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	copyDB := &data.DB{Path: path, Now: time.Now, ReadOnly: true}
	if err := copyDB.Open(); err != nil {
		t.Fatalf("open the downloaded copy: %v", err)
	}
	defer copyDB.Close()
	if got, err := data.NewTicketService(copyDB).FindTicketByRef(context.Background(), tk.Ref); err != nil || got.Subject != tk.Subject {
		t.Fatalf("the copy lacks the ticket: %v", err)
	}
	events, _ := e.srv.Events.FindEvents(context.Background(), 0)
	var found bool
	for _, ev := range events {
		found = found || (ev.Kind == ticket.EventBackup && ev.Actor == "admin@ks.no" && strings.Contains(ev.Detail, "lastet ned"))
	}
	if !found {
		t.Fatalf("no audit event for the download: %+v", events)
	}
}

// TestStreamedDownloadPanicIsRecovered: a streamed download (the backup, the ticket export) is
// written after the handler returned, in a goroutine of fasthttp's; a panic there must be
// logged and end that download only, not the server.
func TestStreamedDownloadPanicIsRecovered(t *testing.T) {
	e := newAdminEnv(t)
	e.srv.Backup = func(ctx context.Context, w io.Writer) (int64, error) {
		io.WriteString(w, "begynnelsen")
		panic("kopien feilet midt i")
	}
	admin := e.browser()
	admin.login("admin@ks.no")
	resp, _ := admin.post("/admin/sikkerhetskopi", url.Values{"csrf": {admin.csrf("/admin/sikkerhetskopi")}})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("backup: %d", resp.StatusCode)
	}
	if resp, _ := admin.get("/innboks"); resp.StatusCode != http.StatusOK {
		t.Fatalf("after the panic: %d", resp.StatusCode)
	}
	if !strings.Contains(e.logs.String(), "panic in download") {
		t.Errorf("the panic was not logged:\n%s", e.logs.String())
	}
}

func TestAdminRetentionShown(t *testing.T) {
	e := newAdminEnv(t)
	tk := e.createTicket("Gammel sak", "kari@lillehammer.kommune.no")
	closed := ticket.StatusClosed
	if _, err := e.tickets.UpdateTicket(context.Background(), tk.ID, ticket.TicketUpdate{Status: &closed}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.srv.Retention.AnonymiseClosedBefore(context.Background(), time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	admin := e.browser()
	admin.login("admin@ks.no")
	_, body := admin.get("/admin")
	for _, want := range []string{"365 dager", "Siste kjøring", "1 saker"} {
		if !strings.Contains(body, want) {
			t.Errorf("admin page lacks %q", want)
		}
	}
	if _, err := e.srv.Retention.SetRetention(context.Background(), 0); err != nil {
		t.Fatal(err)
	}
	if _, body := admin.get("/admin"); !strings.Contains(body, "slått av") {
		t.Error("a disabled retention is not shown as off")
	}
}

func TestSessionLifetime(t *testing.T) {
	var offset time.Duration
	e := newTestEnv(t, "http://127.0.0.1:8080", func(s *web.Server) { s.Now = func() time.Time { return time.Now().Add(offset) } })
	b := e.browser()
	b.login("agent@ks.no")
	for _, at := range []time.Duration{6 * time.Hour, 12 * time.Hour, 18 * time.Hour, 23 * time.Hour} {
		offset = at
		if resp, _ := b.get("/innboks"); resp.StatusCode != http.StatusOK {
			t.Fatalf("at +%v in use: got %d, want still logged in", at, resp.StatusCode)
		}
	}
	offset = 24*time.Hour + time.Minute
	if resp, _ := b.get("/innboks"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("a day after login: got %d, want a redirect to login", resp.StatusCode)
	}
}
