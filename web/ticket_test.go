package web_test

import (
	"context"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/ks-no/digihjelpen/ticket"
)

// post sends a form from the ticket page (with its CSRF token) and returns the response.
func (b *browser) action(ref, path string, form url.Values) (*http.Response, string) {
	b.e.t.Helper()
	form.Set("csrf", b.csrf("/saker/"+ref))
	return b.post("/saker/"+ref+path, form)
}

func TestTicketUpdatePanel(t *testing.T) {
	e := staffEnv(t)
	tk := e.createTicket("Kurs i BankID", "kari@lillehammer.kommune.no")
	ref := tk.Ref.String()
	br := e.browser()
	br.login("agent@ks.no")
	tests := []struct {
		name   string
		form   url.Values
		status int
		want   []string // on the ticket page afterwards (or the refused page)
		wantTk func(*ticket.Ticket) bool
	}{
		{"assign to me", url.Values{"tildelt": {"meg"}}, http.StatusSeeOther,
			[]string{"Endringene er lagret.", "Tildelt Test agent."}, func(t *ticket.Ticket) bool { return t.Assignee == "agent@ks.no" }},
		{"assign to a person", url.Values{"tildelt": {e.userKey("admin@ks.no")}}, http.StatusSeeOther,
			[]string{"Tildelt Test admin (var Test agent)."}, func(t *ticket.Ticket) bool { return t.Assignee == "admin@ks.no" }},
		{"ErrAssignUnknown", url.Values{"tildelt": {"u999"}}, http.StatusBadRequest,
			[]string{"tildelt-feil", "Velg en saksbehandler fra listen."}, func(t *ticket.Ticket) bool { return t.Assignee == "admin@ks.no" }},
		{"status", url.Values{"status": {"åpen"}}, http.StatusSeeOther,
			[]string{"Endringene er lagret.", "Status endret fra «Ny» til «Åpen»."}, func(t *ticket.Ticket) bool { return t.Status == ticket.StatusOpen }},
		{"ErrStatusUnknown", url.Values{"status": {"ferdig"}}, http.StatusBadRequest,
			[]string{"status-feil"}, func(t *ticket.Ticket) bool { return t.Status == ticket.StatusOpen }},
		{"ErrAgencyWithoutReason", url.Values{"etat": {"nav"}}, http.StatusBadRequest,
			[]string{"begrunnelse-feil", "Skriv hvorfor saken flyttes"}, func(t *ticket.Ticket) bool { return t.Agency == "ks" }},
		{"agency with reason", url.Values{"etat": {"nav"}, "begrunnelse": {"gjelder dagpenger"}}, http.StatusSeeOther,
			[]string{"Flyttet til NAV av en saksbehandler: gjelder dagpenger.", "Etat endret fra KS til NAV."},
			func(t *ticket.Ticket) bool { return t.Agency == "nav" && t.Routing.Rule == "manuell" }},
		{"the same agency needs no reason", url.Values{"etat": {"nav"}, "prioritet": {"høy"}}, http.StatusSeeOther,
			[]string{"Prioritet endret fra normal til høy."}, func(t *ticket.Ticket) bool { return t.Priority == ticket.PriorityHigh && t.Agency == "nav" }},
		{"tags", url.Values{"stikkord": {"BankID,  kurs , bankid"}}, http.StatusSeeOther,
			[]string{"Stikkord satt til: bankid, kurs."}, func(t *ticket.Ticket) bool { return strings.Join(t.Tags, ",") == "bankid,kurs" }},
		{"ErrTagTooLong", url.Values{"stikkord": {strings.Repeat("x", 41)}}, http.StatusBadRequest,
			[]string{"stikkord-feil"}, func(t *ticket.Ticket) bool { return len(t.Tags) == 2 }},
		{"municipality by one language form", url.Values{"kommune": {"Kautokeino"}}, http.StatusSeeOther,
			[]string{"Kommune endret til Guovdageaidnu - Kautokeino (5612)."}, func(t *ticket.Ticket) bool { return t.Requester.Municipality.Number == "5612" }},
		{"municipality with its county", url.Values{"kommune": {"herøy (nordland)"}}, http.StatusSeeOther,
			[]string{"Kommune endret til Herøy (Nordland) (1818)."}, func(t *ticket.Ticket) bool { return t.Requester.Municipality.Number == "1818" }},
		{"municipality by the other language form", url.Values{"kommune": {"Guovdageaidnu"}}, http.StatusSeeOther,
			[]string{"Guovdageaidnu - Kautokeino (5612), Finnmark"}, func(t *ticket.Ticket) bool { return t.Requester.Municipality.Number == "5612" }},
		{"ErrMunicipalityTwoOfThem", url.Values{"kommune": {"Herøy"}}, http.StatusBadRequest,
			[]string{"kommune-feil", "Fant ingen kommune «Herøy»"}, func(t *ticket.Ticket) bool { return t.Requester.Municipality.Number == "5612" }},
		{"municipality by name", url.Values{"kommune": {"hamar"}}, http.StatusSeeOther,
			[]string{"Kommune endret til Hamar (3403).", "Hamar (3403), Innlandet"},
			func(t *ticket.Ticket) bool {
				return t.Requester.Municipality.Number == "3403" && t.Requester.County.Number == "34"
			}},
		{"ErrMunicipalityUnknown", url.Values{"kommune": {"Atlantis"}}, http.StatusBadRequest,
			[]string{"kommune-feil", "Fant ingen kommune «Atlantis»"}, func(t *ticket.Ticket) bool { return t.Requester.Municipality.Number == "3403" }},
		{"ErrSeveralAtOnceNothingSaved", url.Values{"status": {"ferdig"}, "prioritet": {"lav"}, "kommune": {"Atlantis"}}, http.StatusBadRequest,
			[]string{"status-feil", "kommune-feil", `value="Atlantis"`}, func(t *ticket.Ticket) bool { return t.Priority == ticket.PriorityHigh }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := br.action(ref, "/endre", tt.form)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.status, body)
			}
			if resp.StatusCode == http.StatusSeeOther {
				_, body = br.get(resp.Header.Get("Location"))
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("page lacks %q", w)
				}
			}
			got, err := e.tickets.FindTicketByID(context.Background(), tk.ID)
			if err != nil || !tt.wantTk(got) {
				t.Errorf("ticket after: %+v %v", got, err)
			}
		})
	}
}

// TestTicketUpdateOneSave: the whole panel as the page sends it, six changes in one save, one
// history entry each; a field left as it was writes none.
func TestTicketUpdateOneSave(t *testing.T) {
	e := staffEnv(t)
	tk := e.createTicket("Kurs i BankID", "kari@lillehammer.kommune.no")
	ref := tk.Ref.String()
	br := e.browser()
	br.login("agent@ks.no")
	before, _ := e.srv.Events.FindEvents(context.Background(), tk.ID)
	form := url.Values{"versjon": {"1"}, "status": {"åpen"}, "tildelt": {"meg"}, "etat": {"skatteetaten"}, "begrunnelse": {"skattekort"},
		"prioritet": {"høy"}, "stikkord": {"skattekort"}, "kommune": {"0301"}}
	resp, body := br.action(ref, "/endre", form)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	after, _ := e.srv.Events.FindEvents(context.Background(), tk.ID)
	kinds := map[ticket.EventKind]int{}
	for _, ev := range after[len(before):] {
		if ev.Kind != ticket.EventOpened { // the page opened to save from is in the audit log
			kinds[ev.Kind]++
		}
	}
	want := map[ticket.EventKind]int{ticket.EventStatus: 1, ticket.EventAssigned: 1, ticket.EventAgency: 1, ticket.EventPriority: 1, ticket.EventTags: 1, ticket.EventMunicipal: 1}
	if len(kinds) != len(want) {
		t.Errorf("events %v, want %v", kinds, want)
	}
	for k, n := range want {
		if kinds[k] != n {
			t.Errorf("%d %s events, want %d", kinds[k], k, n)
		}
	}
	got, _ := e.tickets.FindTicketByID(context.Background(), tk.ID)
	if got.Version != 2 {
		t.Errorf("version %d, want 2: one save", got.Version)
	}
	form.Set("versjon", "2") // the same values again: nothing changes, nothing is written
	if resp, _ := br.action(ref, "/endre", form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("again: status %d", resp.StatusCode)
	}
	again, _ := e.srv.Events.FindEvents(context.Background(), tk.ID)
	for _, ev := range again[len(after):] {
		if ev.Kind != ticket.EventOpened {
			t.Errorf("saving the same values wrote a %s event", ev.Kind)
		}
	}
}

// TestTicketUpdateStale: a save from a page opened before someone else's change is held: the
// fresh ticket, what changed, and the choices kept in the panel.
func TestTicketUpdateStale(t *testing.T) {
	e := staffEnv(t)
	tk := e.createTicket("Kurs i BankID", "kari@lillehammer.kommune.no")
	ref := tk.Ref.String()
	br := e.browser()
	br.login("agent@ks.no")
	_, page := br.get("/saker/" + ref)
	seen := regexp.MustCompile(`name="sett" value="(\d+)"`).FindStringSubmatch(page)
	admin := e.browser()
	admin.login("admin@ks.no")
	if resp, _ := admin.action(ref, "/endre", url.Values{"versjon": {"1"}, "prioritet": {"lav"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("admin's change: %d", resp.StatusCode)
	}
	resp, body := br.action(ref, "/endre", url.Values{"versjon": {"1"}, "sett": {seen[1]}, "status": {"løst"}, "stikkord": {"viktig, bankid"},
		"etat": {"nav"}, "begrunnelse": {"gjelder NAV-innlogging"}})
	if resp.StatusCode != http.StatusConflict {
		t.Fatalf("status %d, want 409", resp.StatusCode)
	}
	for _, w := range []string{"endret av noen andre", "Prioritet endret: normal → lav", `value="viktig, bankid"`, `value="gjelder NAV-innlogging"`,
		`<option value="løst" selected>`, `<option value="nav" selected>`} {
		if !strings.Contains(html.UnescapeString(body), w) && !strings.Contains(body, w) {
			t.Errorf("held page lacks %q", w)
		}
	}
	got, _ := e.tickets.FindTicketByID(context.Background(), tk.ID)
	if got.Status != ticket.StatusNew || got.Agency != "ks" || len(got.Tags) != 0 {
		t.Errorf("a stale save went through: %+v", got)
	}
}

func TestTicketOffersAllowedTransitions(t *testing.T) {
	e := staffEnv(t)
	tk := e.createTicket("Lukket sak", "kari@lillehammer.kommune.no")
	if _, err := e.tickets.UpdateTicket(context.Background(), tk.ID, ticket.TicketUpdate{Status: ptr(ticket.StatusClosed)}); err != nil {
		t.Fatal(err)
	}
	br := e.browser()
	br.login("agent@ks.no")
	_, body := br.get("/saker/" + tk.Ref.String())
	start := strings.Index(body, `<select id="status"`)
	sel := body[start : start+strings.Index(body[start:], "</select>")]
	if strings.Count(sel, "<option") != 2 || !strings.Contains(sel, `value="åpen"`) || !strings.Contains(sel, `value="lukket" selected`) {
		t.Errorf("a closed ticket offers %s, want itself and åpen", sel)
	}
	if resp, _ := br.action(tk.Ref.String(), "/endre", url.Values{"status": {"løst"}}); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("closed to resolved: status %d, want 400", resp.StatusCode)
	}
}

func TestTicketThread(t *testing.T) {
	e := staffEnv(t)
	ctx := context.Background()
	tk := e.createTicket("Kurs i BankID", "kari@lillehammer.kommune.no")
	in := &ticket.Message{Direction: ticket.DirectionIn, From: "kari@lillehammer.kommune.no", Text: "Takk!\n\nDen 23. nov. 2026 kl. 09:05 skrev KS:\n> Gammelt svar\n> her",
		HTML: `<p>Takk!<script>alert(1)</script><img src="https://sporing.example/p.gif"></p>`, Raw: []byte("From: kari@lillehammer.kommune.no\r\n\r\nTakk!"),
		Attachments: []ticket.Attachment{{Name: "Søknad å.html", Type: "text/html", Data: []byte("<script>alert(1)</script>")}}}
	if _, err := e.tickets.AppendMessage(ctx, tk.ID, in, ticket.AppendOptions{}); err != nil {
		t.Fatal(err)
	}
	note := &ticket.Message{Direction: ticket.DirectionNote, Author: "admin@ks.no", Text: "Intern: sjekk håndboken."}
	if _, err := e.tickets.AppendMessage(ctx, tk.ID, note, ticket.AppendOptions{}); err != nil {
		t.Fatal(err)
	}
	ref := tk.Ref.String()
	br := e.browser()
	br.login("agent@ks.no")
	resp, body := br.get("/saker/" + ref)
	if resp.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("ticket page may be cached: %q", resp.Header.Get("Cache-Control"))
	}
	for _, w := range []string{"<summary>Vis sitert tekst</summary>", "&gt; Gammelt svar", "Intern merknad", "Test admin",
		`src="/saker/` + ref + `/html/2"`, `sandbox="allow-popups allow-popups-to-escape-sandbox"`, "/kilde/2", "Saken kom inn på e-post.", "Intern merknad skrevet."} {
		if !strings.Contains(body, w) {
			t.Errorf("ticket page lacks %q", w)
		}
	}
	if strings.Contains(body, "<script>alert") {
		t.Error("mail HTML reached the page")
	}

	resp, frame := br.get("/saker/" + ref + "/html/2")
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "sandbox") {
		t.Errorf("frame CSP %q", csp)
	}
	if strings.Contains(frame, "<script") || strings.Contains(frame, "Takk!") == false {
		t.Errorf("frame not sanitised: %s", frame)
	}

	resp, _ = br.get("/saker/" + ref + "/vedlegg/2/0")
	for h, want := range map[string]string{
		"Content-Disposition":    `attachment; filename="S_knad _.html"; filename*=UTF-8''S%C3%B8knad%20%C3%A5.html`,
		"Content-Type":           "application/octet-stream",
		"X-Content-Type-Options": "nosniff",
		"Cache-Control":          "no-store",
	} {
		if got := resp.Header.Get(h); got != want {
			t.Errorf("%s: got %q, want %q", h, got, want)
		}
	}
	if resp, _ := br.get("/saker/" + ref + "/vedlegg/1/0"); resp.Header.Get("Content-Type") != "application/pdf" {
		t.Errorf("pdf served as %q", resp.Header.Get("Content-Type"))
	}
	resp, raw := br.get("/saker/" + ref + "/kilde/2")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(raw, "From: kari@") || !strings.Contains(resp.Header.Get("Content-Disposition"), ref+"-melding-2.eml") {
		t.Errorf("raw: status %d %q", resp.StatusCode, resp.Header.Get("Content-Disposition"))
	}
	for _, path := range []string{"/vedlegg/2/5", "/vedlegg/x/0", "/kilde/1", "/html/1"} {
		if resp, _ := br.get("/saker/" + ref + path); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", path, resp.StatusCode)
		}
	}
	_, body = br.get("/saker/" + ref)
	for _, w := range []string{"Personopplysninger åpnet: vedlegget «Søknad å.html» (melding 2).", "Personopplysninger åpnet: e-postens kildetekst (melding 2)."} {
		if !strings.Contains(body, w) {
			t.Errorf("history lacks %q", w)
		}
	}
}

func TestPresence(t *testing.T) {
	e := staffEnv(t)
	tk := e.createTicket("Kurs i BankID", "kari@lillehammer.kommune.no")
	agent, admin := e.browser(), e.browser()
	agent.login("agent@ks.no")
	admin.login("admin@ks.no")
	if _, body := agent.get("/saker/" + tk.Ref.String()); strings.Contains(body, "ser også på saken") {
		t.Error("alone, but told someone else is here")
	}
	if _, body := admin.get("/saker/" + tk.Ref.String()); !strings.Contains(body, "Test agent ser også på saken.") {
		t.Error("admin is not told the agent has the ticket open")
	}
	req := httptest.NewRequest(http.MethodGet, "/saker/"+tk.Ref.String()+"/tilstede", nil)
	req.Header.Set("Accept", "application/json")
	resp := agent.do(req)
	b, _ := io.ReadAll(resp.Body)
	if !strings.Contains(string(b), "Test admin ser også på saken.") {
		t.Errorf("poll: %s", b)
	}
}

func TestSimilarOnTicketPage(t *testing.T) {
	e := staffEnv(t)
	ctx := context.Background()
	old := e.createTicket("Skattekort for ny arbeidstaker", "kari@lillehammer.kommune.no")
	reply := &ticket.Message{Direction: ticket.DirectionOut, From: "kontakt@ks.no", To: []string{"kari@lillehammer.kommune.no"}, Text: "Skattekortet bestilles på skatteetaten.no, se håndboken kapittel 4."}
	if _, err := e.tickets.AppendMessage(ctx, old.ID, reply, ticket.AppendOptions{Status: ptr(ticket.StatusResolved)}); err != nil {
		t.Fatal(err)
	}
	e.createTicket("Kurs for seniorer", "per@hamar.kommune.no")
	q := e.createTicket("Hvordan bestille skattekortet til en arbeidstaker?", "nina@bergen.kommune.no")
	e.index()
	br := e.browser()
	br.login("agent@ks.no")
	_, body := br.get("/saker/" + q.Ref.String())
	for _, w := range []string{"Lignende spørsmål som er besvart", `href="/saker/` + old.Ref.String() + `"`, "Skattekortet bestilles på skatteetaten.no"} {
		if !strings.Contains(body, w) {
			t.Errorf("page lacks %q", w)
		}
	}
}

func TestStaffRoutesNeedLogin(t *testing.T) {
	e := staffEnv(t)
	tk := e.createTicket("Kurs", "kari@lillehammer.kommune.no")
	ref := tk.Ref.String()
	br := e.browser()
	token := br.csrf("/logg-inn")
	for _, r := range []struct{ method, path string }{
		{"GET", "/innboks"}, {"POST", "/innboks/sok"}, {"GET", "/saker/" + ref}, {"GET", "/saker/" + ref + "/tilstede"},
		{"POST", "/saker/" + ref + "/endre"}, {"POST", "/saker/" + ref + "/utkast"},
		{"GET", "/saker/" + ref + "/vedlegg/1/0"}, {"GET", "/saker/" + ref + "/kilde/1"}, {"GET", "/saker/" + ref + "/html/1"},
	} {
		var resp *http.Response
		if r.method == "GET" {
			resp, _ = br.get(r.path)
		} else {
			resp, _ = br.post(r.path, url.Values{"csrf": {token}, "status": {"løst"}, "tildelt": {"ingen"}})
		}
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/logg-inn") {
			t.Errorf("%s %s without login: status %d to %q", r.method, r.path, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	if got, _ := e.tickets.FindTicketByID(context.Background(), tk.ID); got.Status != ticket.StatusNew {
		t.Error("a change went through without login")
	}
}
