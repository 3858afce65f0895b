package web_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/ks-no/digihjelpen/ticket"
	"github.com/ks-no/digihjelpen/web"
)

// access is who may use a route.
type access int

const (
	anyone       access = iota // no login; the route has its own guard (CSRF, rate limits)
	link                       // whoever holds a status link: the token in the URL is the key
	readers                    // logged-in staff of every role: readers (leser), agents, admins
	staff                      // logged-in agents and admins
	admins                     // logged-in admins only
	program                    // a bearer token of any role, never a session cookie: aggregate figures
	programStaff               // a bearer token with the role agent or admin, never a session cookie
	programAdmin               // a bearer token with the role admin, never a session cookie: a person's data
)

// tableAccess is how the server's route table (web.RouteLine.Access) names each kind of access.
var tableAccess = map[access][]string{
	anyone: {"anyone", "public"}, link: {"status link"}, readers: {"reader"}, staff: {"agent"}, admins: {"admin"},
	program: {"API reader"}, programStaff: {"API agent"}, programAdmin: {"API admin"},
}

// routeAccess is who may use each route, as docs/SECURITY.md and README.md say. Every route
// in fiber's table must be here (HEAD goes with GET) and agree with the server's route table:
// a route added without a line here fails TestEveryRouteChecksRole, and so does a route whose
// guard or table line does not match its line here.
var routeAccess = map[string]access{
	"GET /healthz": anyone, "GET /readyz": anyone, "GET /static/:hash/*": anyone, "GET /": anyone, "POST /": anyone,
	"GET /kvittering": anyone, "GET /skjema/kommune": anyone,
	"GET /logg-inn": anyone, "POST /logg-inn": anyone, "POST /logg-ut": anyone,
	"GET /logg-inn/kode": anyone, "POST /logg-inn/kode": anyone, "GET /glemt-passord": anyone, "POST /glemt-passord": anyone,
	"GET /nytt-passord/:token": anyone, "POST /nytt-passord/:token": anyone,
	"GET /logg-inn/sso": anyone, "GET /logg-inn/sso/tilbake": anyone, "GET /logg-ut/sso": anyone,

	"GET /sak/:token": link, "POST /sak/:token": link, "GET /sak/:token/vedlegg/:seq/:n": link,
	"POST /sak/:token/tilbakemelding": link, // «Fikk du svar du kunne bruke?» (issue 16)

	"GET /statistikk": readers, "GET /statistikk/rapport": readers,

	"GET /innboks": staff, "POST /innboks/sok": staff, "GET /innboks/endringer": staff,
	"POST /innboks/masse": staff, "POST /innboks/masse/bekreft": staff,
	"POST /innboks/visninger": staff, "POST /innboks/visninger/:id/slett": staff,
	"GET /konto/varsler": staff, "POST /konto/varsler": staff,
	"GET /saker/:ref": staff, "GET /saker/:ref/tilstede": staff, "POST /saker/:ref/endre": staff,
	"POST /saker/:ref/slaa-sammen": staff, "POST /saker/:ref/slaa-sammen/bekreft": staff,
	"POST /saker/:ref/utkast": staff, "POST /konto/signatur": staff,
	"GET /saker/:ref/vedlegg/:seq/:n": staff, "GET /saker/:ref/kilde/:seq": staff, "GET /saker/:ref/html/:seq": staff,
	"POST /saker/:ref/svar": staff, "POST /saker/:ref/notat": staff, "POST /saker/:ref/henvisning": staff,
	"GET /henvisninger": staff, "GET /utboks": staff, "GET /statistikk/saker": staff,
	"GET /karantene": staff, "GET /karantene/:id": staff, "GET /karantene/:id/kilde": staff,
	"GET /konto": readers, "POST /konto/navn": readers, "POST /konto/passord": readers, "GET /konto/tofaktor": readers,
	"POST /konto/tofaktor": readers, "POST /konto/tofaktor/av": readers, "POST /konto/gjenopprettingskoder": readers,
	"POST /karantene/:id/prov-igjen": staff, "POST /karantene/:id/opprett": staff,
	"GET /karantene/:id/forkast": staff, "POST /karantene/:id/forkast": staff,

	"POST /utboks/:id/send-igjen": admins, "GET /saker/:ref/slett": admins, "POST /saker/:ref/slett": admins,
	"GET /saker/:ref/slettet": admins, "GET /admin": admins, "GET /admin/brukere": admins, "POST /admin/brukere": admins,
	"POST /admin/brukere/:id/rolle": admins, "POST /admin/brukere/:id/aktiv": admins, "POST /admin/brukere/:id/passord": admins,
	"GET /admin/api-nokler": admins, "POST /admin/api-nokler": admins, "POST /admin/api-nokler/:id/slett": admins,
	"GET /admin/sikkerhetskopi": admins, "POST /admin/sikkerhetskopi": admins,
	"GET /admin/webhooker": admins, "POST /admin/webhooker": admins, "POST /admin/webhooker/:id/hemmelighet": admins,
	"POST /admin/webhooker/:id/test": admins, "POST /admin/webhooker/:id/slett": admins,
	"POST /admin/tofaktor": admins, "POST /admin/brukere/:id/tofaktor": admins,
	"GET /admin/regler": admins, "POST /admin/regler/prov": admins, "POST /admin/regler/lagre": admins,
	"GET /admin/regler/standard": admins, "GET /admin/regler/versjoner/:version": admins,
	"POST /admin/regler/versjoner/:version/gjenopprett": admins, "GET /admin/etater": admins,
	"GET /admin/etater/:key": admins, "POST /admin/etater/:key": admins,
	"GET /admin/svarmaler": admins, "GET /admin/svarmaler/ny": admins, "POST /admin/svarmaler": admins,
	"GET /admin/svarmaler/:id": admins, "POST /admin/svarmaler/:id": admins, "POST /admin/svarmaler/:id/slett": admins,
	"GET /admin/svarmaler/kvitteringer/ny": admins, "POST /admin/svarmaler/kvitteringer": admins,
	"GET /admin/svarmaler/kvitteringer/:name": admins, "POST /admin/svarmaler/kvitteringer/:name": admins,
	"GET /admin/svarmaler/kvitteringer/:name/slett": admins, "POST /admin/svarmaler/kvitteringer/:name/slett": admins,
	"GET /admin/oppbevaring": admins, "POST /admin/oppbevaring": admins, "GET /admin/personer": admins,
	"POST /admin/personer/innsyn": admins, "POST /admin/personer/slett": admins, "POST /admin/personer/slett/bekreft": admins,
	"GET /admin/logg": admins, "GET /admin/logg/csv": admins,

	// the programme's overview (issue 16): the map is public (staff get more layers on it), the
	// register is for staff who work tickets
	"GET /kart": anyone, "GET /kart/:nr": anyone,
	"GET /handbok": anyone, "GET /handbok/forslag": anyone, "GET /handbok/:slug": anyone, "POST /handbok/:slug/svarte": anyone,
	"POST /handbok": staff, "GET /handbok/ny": staff, "POST /handbok/:slug": staff, "GET /handbok/:slug/endre": staff,
	"POST /handbok/:slug/slett": staff,
	"GET /kommuner":             staff, "GET /kommuner/eksport.csv": staff, "GET /kommuner/:nr": staff, "POST /kommuner/:nr": staff,
	"POST /kommuner/import": admins,

	"GET /metrics": program, "GET /api/v1/stats/weekly": program, "GET /api/v1/stats/period": program,

	"GET /api/v1/tickets": programStaff, "GET /api/v1/tickets/:ref": programStaff,
	"PATCH /api/v1/tickets/:ref": programStaff, "POST /api/v1/tickets/:ref/replies": programStaff,
	"POST /api/v1/tickets/:ref/notes": programStaff, "POST /api/v1/tickets/:ref/referrals": programStaff,
	"POST /api/v1/tickets/:ref/merge": programStaff,
	"GET /api/v1/stats/tickets":       programStaff, "GET /api/v1/quarantine": programStaff,

	"GET /api/v1/persons/:email": programAdmin, "DELETE /api/v1/persons/:email": programAdmin,
}

// routeParams fills a route's parameters with values that name nothing, so a request that
// gets past the guards changes nothing (a status link of the right form, so its lookup runs).
var routeParams = strings.NewReplacer(":ref", "DH-2026-9999", ":id", "999999", ":token", "3b241101-e2bb-4255-8caf-4136c566a962",
	":seq", "1", ":nr", "9999", ":n", "0", ":version", "999", ":name", "finnes-ikke", ":hash", "x", ":slug", "finnes-ikke",
	":email", "ingen%40finnes.ikke", "*", "x")

// TestEveryRouteChecksRole walks fiber's whole route table with every kind of visitor: nobody,
// a reader, an agent, an admin (each with a valid CSRF token, so it is the role check that
// answers) and programs with bearer tokens of the roles leser and admin. Staff routes send
// visitors without a session to the login page, agent routes refuse readers, admin routes
// refuse agents, the API takes a bearer token and never a session cookie and refuses a reader's
// token beyond the statistics, and no form is taken without its CSRF token. Every route must
// also be in the server's route table with the same access as here.
func TestEveryRouteChecksRole(t *testing.T) {
	e := newAdminEnv(t, func(s *web.Server) { // SSO on, at a provider that does not answer: its routes are there
		s.SSO = web.SSOConfig{Issuer: "http://127.0.0.1:9/oidc", ClientID: "x", ClientSecret: "y", AgentGroups: []string{"g"}}
	})
	e.withRouting()
	e.addUser("leser@ks.no", ticket.RoleReader)
	anon, reader, agent, admin := e.browser(), e.browser(), e.browser(), e.browser()
	reader.login("leser@ks.no")
	agent.login("agent@ks.no")
	admin.login("admin@ks.no")
	secret := e.addToken("alle-ruter", ticket.RoleAdmin)
	agentSecret := e.addToken("saksbehandling", ticket.RoleAgent)
	readerSecret := e.addToken("styringsgruppa", ticket.RoleReader)
	csrf := map[*browser]string{anon: anon.csrf("/logg-inn"), reader: reader.csrf("/statistikk"), agent: agent.csrf("/innboks"), admin: admin.csrf("/innboks")}

	// send makes the request as b (nil: no cookies), with b's CSRF token or none, and the
	// bearer token when one is given.
	send := func(b *browser, method, path string, withCSRF bool, bearer string) (*http.Response, string) {
		t.Helper()
		form := url.Values{}
		if withCSRF && b != nil {
			form.Set("csrf", csrf[b])
		}
		req := httptest.NewRequest(method, path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if bearer != "" {
			req.Header.Set("Authorization", "Bearer "+bearer)
		}
		var resp *http.Response
		if b != nil {
			resp = b.do(req)
		} else {
			var err error
			if resp, err = e.srv.App().Test(req, -1); err != nil {
				t.Fatal(err)
			}
		}
		body, _ := io.ReadAll(resp.Body)
		return resp, string(body)
	}
	toLogin := func(resp *http.Response) bool {
		return resp.StatusCode == http.StatusSeeOther && strings.HasPrefix(resp.Header.Get("Location"), "/logg-inn")
	}
	allowed := func(resp *http.Response) bool {
		return resp.StatusCode != http.StatusUnauthorized && resp.StatusCode != http.StatusForbidden && !toLogin(resp)
	}

	table := map[string]web.RouteLine{}
	for _, l := range e.srv.RouteTable() {
		table[l.Method+" "+l.Path] = l
	}
	seen := map[string]bool{}
	for _, r := range e.srv.App().GetRoutes(true) {
		name := r.Method + " " + r.Path
		if r.Method == http.MethodHead {
			name = "GET " + r.Path
		}
		who, ok := routeAccess[name]
		if !ok {
			t.Errorf("%s %s is not in routeAccess: add it with who may use it, and check that its guard says the same", r.Method, r.Path)
			continue
		}
		if l, ok := table[name]; !ok {
			t.Errorf("%s %s is not in the route table (web/routes.go): register routes only there", r.Method, r.Path)
		} else if !slices.Contains(tableAccess[who], l.Access) {
			t.Errorf("%s %s: the route table gives it to %q, routeAccess to %v", r.Method, r.Path, l.Access, tableAccess[who])
		}
		seen[name] = true
		path := routeParams.Replace(r.Path)
		changes := r.Method != http.MethodGet && r.Method != http.MethodHead

		switch who {
		case anyone, link:
			if resp, _ := send(nil, r.Method, path, false, ""); who == link && resp.StatusCode != http.StatusNotFound && resp.StatusCode != http.StatusForbidden {
				t.Errorf("%s %s with an unknown status link: %d, want 404", r.Method, path, resp.StatusCode)
			}
		case readers, staff, admins:
			if resp, _ := send(anon, r.Method, path, true, ""); !toLogin(resp) {
				t.Errorf("anonymous %s %s: %d %q, want a redirect to the login page", r.Method, path, resp.StatusCode, resp.Header.Get("Location"))
			}
			if resp, _ := send(nil, r.Method, path, false, secret); !toLogin(resp) && resp.StatusCode != http.StatusForbidden {
				t.Errorf("bearer token on %s %s: %d, want the login page (tokens are for the API)", r.Method, path, resp.StatusCode)
			}
			resp, _ := send(reader, r.Method, path, true, "")
			if who != readers && resp.StatusCode != http.StatusForbidden {
				t.Errorf("reader %s %s: %d, want 403", r.Method, path, resp.StatusCode)
			}
			if who == readers && !allowed(resp) {
				t.Errorf("reader %s %s: %d, want it let through", r.Method, path, resp.StatusCode)
			}
			resp, _ = send(agent, r.Method, path, true, "")
			if who == admins && resp.StatusCode != http.StatusForbidden {
				t.Errorf("agent %s %s: %d, want 403", r.Method, path, resp.StatusCode)
			}
			if who != admins && !allowed(resp) {
				t.Errorf("agent %s %s: %d, want it let through", r.Method, path, resp.StatusCode)
			}
			if resp, _ := send(admin, r.Method, path, true, ""); !allowed(resp) {
				t.Errorf("admin %s %s: %d, want it let through", r.Method, path, resp.StatusCode)
			}
		case program, programStaff, programAdmin:
			for _, b := range []*browser{anon, reader, admin} {
				if resp, _ := send(b, r.Method, path, true, ""); resp.StatusCode != http.StatusUnauthorized {
					t.Errorf("%s %s with cookies and no bearer token: %d, want 401", r.Method, path, resp.StatusCode)
				}
			}
			if resp, _ := send(nil, r.Method, path, false, "dh_ingen-slik-nokkel"); resp.StatusCode != http.StatusUnauthorized {
				t.Errorf("%s %s with an unknown token: %d, want 401", r.Method, path, resp.StatusCode)
			}
			if resp, _ := send(nil, r.Method, path, false, secret); !allowed(resp) {
				t.Errorf("%s %s with a bearer token: %d, want it let through", r.Method, path, resp.StatusCode)
			}
			resp, _ := send(nil, r.Method, path, false, agentSecret)
			if who == programAdmin && resp.StatusCode != http.StatusForbidden {
				t.Errorf("%s %s with an agent's token: %d, want 403", r.Method, path, resp.StatusCode)
			}
			if who != programAdmin && !allowed(resp) {
				t.Errorf("%s %s with an agent's token: %d, want it let through", r.Method, path, resp.StatusCode)
			}
			resp, _ = send(nil, r.Method, path, false, readerSecret)
			if who != program && resp.StatusCode != http.StatusForbidden {
				t.Errorf("%s %s with a reader's token: %d, want 403", r.Method, path, resp.StatusCode)
			}
			if who == program && !allowed(resp) {
				t.Errorf("%s %s with a reader's token: %d, want it let through", r.Method, path, resp.StatusCode)
			}
		}
		// Every form needs its CSRF token, whoever sends it; the API has no cookies to forge.
		if changes && who != program && who != programStaff && who != programAdmin {
			for _, b := range []*browser{anon, admin} {
				resp, body := send(b, r.Method, path, false, "")
				if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "Skjemaet er utløpt") {
					t.Errorf("%s %s without a CSRF token: %d, want 403", r.Method, path, resp.StatusCode)
				}
			}
		}
	}
	for name := range routeAccess {
		if !seen[name] {
			t.Errorf("routeAccess lists %s, which is not a route: remove it", name)
		}
	}
	for name := range table {
		if !seen[name] {
			t.Errorf("the route table lists %s, which fiber does not serve", name)
		}
	}
}

// TestSecurityHeadersOnPublicPages checks the headers every new page type sends.
func TestSecurityHeadersOnPublicPages(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080", publicOpts(0))
	tk := formTicket(t, e)
	for _, path := range []string{"/", "/sak/" + tk.StatusToken, "/logg-inn"} {
		resp, body := e.browser().get(path)
		csp := resp.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("%s: CSP %q", path, csp)
		}
		if resp.Header.Get("X-Content-Type-Options") != "nosniff" || resp.Header.Get("X-Frame-Options") != "DENY" || resp.Header.Get("Referrer-Policy") == "" {
			t.Errorf("%s: headers %v", path, resp.Header)
		}
		if strings.Contains(body, "<script>") || strings.Contains(body, " style=") || strings.Contains(body, " onclick=") {
			t.Errorf("%s has inline script or style", path)
		}
	}
}
