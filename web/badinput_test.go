package web_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// hostileValues are what a route parameter, a query value or a form field may hold when someone
// types a URL by hand or a program gets it wrong: numbers out of range, negative, not numbers,
// encoded NUL and dots, a reference of another shape, and a very long value.
var hostileValues = []string{"-1", "0", "99999999999999999999", "9223372036854775807", "x", "%00", "..", "%2e%2e%2f",
	"DH-2026-0000", "DH-99999999999999999999-1", "2026-W99", strings.Repeat("9", 300)}

// hostileQuery has every query parameter some route reads, each with a wrong value: unknown
// views and enum values, malformed cursors, impossible weeks and dates, limits out of range.
var hostileQuery = "?vis=ukjent&etat=ukjent&tildelt=u99999&kommune=abcd&fylke=999&kanal=fax&sorter=x&etter=!!!" +
	"&uke=2026-W99&fra=2026-02-30&til=1900-13-01&format=exe&week=0000-W00&from=x&to=9999-99-99" +
	"&cursor=%00%ff&limit=-99999999999999999999&status=ukjent&agency=ukjent&municipality=x&q=%00" +
	"&arsak=ukjent&for=-1&reason=ukjent&resultat=x&ok=x&sendt=x&lagret=-1&neste=//evil.example&domene=" + strings.Repeat("a", 300)

// TestBadInputNeverFails walks every route as an admin (and the API with a token) with hostile
// parameters, query strings and form fields: each must answer with a Norwegian refusal (4xx),
// never a 500 or a panic.
func TestBadInputNeverFails(t *testing.T) {
	t.Parallel() // one of the longest: it overlaps the others that wait for the browser
	e := newTestEnv(t, "http://127.0.0.1:8080", publicOpts(1000))
	e.withRouting()
	e.srv.Backup = e.db.Backup
	tk := formTicket(t, e)
	staffTicket := e.createTicket("Kurs i BankID", "kari@lillehammer.kommune.no")
	admin := e.browser()
	admin.login("admin@ks.no")
	csrf := admin.csrf("/innboks")
	token := e.apiToken()
	form := url.Values{"csrf": {csrf}}
	for _, k := range []string{"status", "tildelt", "prioritet", "etat", "begrunnelse", "kommune", "stikkord", "versjon", "version",
		"seen", "text", "note", "agency", "notify", "mal", "handling", "since", "title", "name", "rolle", "aktiv", "navn", "epost",
		"bekreft", "eml_text", "neste", "q", "etter", "tillegg", "sporsmal", "tema"} {
		form.Set(k, "\x00"+strings.Repeat("ø", 2000))
	}
	form.Set("since", "2026-02-30")

	// a route without the parameter a value fills asks the same request again: ask it once
	asked := map[string]bool{}
	check := func(method, path string) {
		t.Helper()
		if asked[method+" "+path] {
			return
		}
		asked[method+" "+path] = true
		var req *http.Request
		switch {
		case strings.HasPrefix(path, "/api/") || path == "/metrics":
			req = httptest.NewRequest(method, path, strings.NewReader(`{"status":"ukjent","agency":"x","assignee":"x","priority":"x","text":"\u0000"}`))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+token)
		case method == http.MethodGet:
			req = httptest.NewRequest(method, path+hostileQuery, nil)
		default:
			req = httptest.NewRequest(method, path, strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		resp := admin.do(req)
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode >= 500 && resp.StatusCode != http.StatusNotImplemented {
			t.Errorf("%s %.120s: %d %.200s", method, path, resp.StatusCode, body)
		}
	}
	for _, r := range e.srv.App().GetRoutes(true) {
		if r.Method == http.MethodHead || r.Path == "/logg-ut" {
			continue
		}
		for _, v := range hostileValues {
			// every parameter hostile, then the ticket and the status link real and the rest hostile
			check(r.Method, strings.NewReplacer(":ref", v, ":token", v, ":seq", v, ":nr", v, ":n", v, ":id", v, ":version", v, ":name", v,
				":hash", v, ":slug", v, ":key", v, ":email", v, "*", v).Replace(r.Path))
			check(r.Method, strings.NewReplacer(":ref", staffTicket.Ref.String(), ":token", tk.StatusToken, ":seq", v, ":nr", v, ":n", v, ":id", v,
				":version", v, ":name", v, ":hash", v, ":slug", v, ":key", v, ":email", v, "*", v).Replace(r.Path))
		}
	}
	if strings.Contains(e.logs.String(), "panic") {
		t.Errorf("a handler panicked:\n%s", e.logs.String())
	}
}
