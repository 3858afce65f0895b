package web_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
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

func TestTicketActions(t *testing.T) {
	e := staffEnv(t)
	tk := e.createTicket("Kurs i BankID", "kari@lillehammer.kommune.no")
	ref := tk.Ref.String()
	br := e.browser()
	br.login("agent@ks.no")
	tests := []struct {
		name   string
		path   string
		form   url.Values
		status int
		want   []string // on the ticket page afterwards (or the refused page)
		wantTk func(*ticket.Ticket) bool
	}{
		{"assign to me", "/tildel", url.Values{"tildelt": {"meg"}}, http.StatusSeeOther,
			[]string{"Tildelingen er lagret.", "Tildelt Test agent."}, func(t *ticket.Ticket) bool { return t.Assignee == "agent@ks.no" }},
		{"assign to a person", "/tildel", url.Values{"tildelt": {e.userKey("admin@ks.no")}}, http.StatusSeeOther,
			[]string{"Tildelt Test admin (var Test agent)."}, func(t *ticket.Ticket) bool { return t.Assignee == "admin@ks.no" }},
		{"ErrAssignUnknown", "/tildel", url.Values{"tildelt": {"u999"}}, http.StatusBadRequest,
			[]string{"tildelt-feil", "Velg en saksbehandler fra listen."}, func(t *ticket.Ticket) bool { return t.Assignee == "admin@ks.no" }},
		{"status", "/status", url.Values{"status": {"åpen"}}, http.StatusSeeOther,
			[]string{"Statusen er endret.", "Status endret fra «Ny» til «Åpen»."}, func(t *ticket.Ticket) bool { return t.Status == ticket.StatusOpen }},
		{"ErrStatusUnknown", "/status", url.Values{"status": {"ferdig"}}, http.StatusBadRequest,
			[]string{"status-feil"}, func(t *ticket.Ticket) bool { return t.Status == ticket.StatusOpen }},
		{"ErrStaleVersion", "/status", url.Values{"status": {"venter"}, "versjon": {"1"}}, http.StatusConflict,
			[]string{"endret av noen andre"}, func(t *ticket.Ticket) bool { return t.Status == ticket.StatusOpen }},
		{"ErrAgencyWithoutReason", "/etat", url.Values{"etat": {"nav"}}, http.StatusBadRequest,
			[]string{"begrunnelse-feil", "Skriv hvorfor saken flyttes"}, func(t *ticket.Ticket) bool { return t.Agency == "ks" }},
		{"agency with reason", "/etat", url.Values{"etat": {"nav"}, "begrunnelse": {"gjelder dagpenger"}}, http.StatusSeeOther,
			[]string{"Flyttet til NAV av en saksbehandler: gjelder dagpenger.", "Etat endret fra KS til NAV."},
			func(t *ticket.Ticket) bool { return t.Agency == "nav" && t.Routing.Rule == "manuell" }},
		{"priority", "/prioritet", url.Values{"prioritet": {"høy"}}, http.StatusSeeOther,
			[]string{"Prioritet endret fra normal til høy."}, func(t *ticket.Ticket) bool { return t.Priority == ticket.PriorityHigh }},
		{"tags", "/stikkord", url.Values{"stikkord": {"BankID,  kurs , bankid"}}, http.StatusSeeOther,
			[]string{"Stikkord satt til: bankid, kurs."}, func(t *ticket.Ticket) bool { return strings.Join(t.Tags, ",") == "bankid,kurs" }},
		{"ErrTagTooLong", "/stikkord", url.Values{"stikkord": {strings.Repeat("x", 41)}}, http.StatusBadRequest,
			[]string{"stikkord-feil"}, func(t *ticket.Ticket) bool { return len(t.Tags) == 2 }},
		{"municipality by one language form", "/kommune", url.Values{"kommune": {"Kautokeino"}}, http.StatusSeeOther,
			[]string{"Kommune endret til Guovdageaidnu - Kautokeino (5612)."}, func(t *ticket.Ticket) bool { return t.Requester.Municipality.Number == "5612" }},
		{"municipality with its county", "/kommune", url.Values{"kommune": {"herøy (nordland)"}}, http.StatusSeeOther,
			[]string{"Kommune endret til Herøy (Nordland) (1818)."}, func(t *ticket.Ticket) bool { return t.Requester.Municipality.Number == "1818" }},
		{"municipality by the other language form", "/kommune", url.Values{"kommune": {"Guovdageaidnu"}}, http.StatusSeeOther,
			[]string{"Guovdageaidnu - Kautokeino (5612), Finnmark"}, func(t *ticket.Ticket) bool { return t.Requester.Municipality.Number == "5612" }},
		{"ErrMunicipalityTwoOfThem", "/kommune", url.Values{"kommune": {"Herøy"}}, http.StatusBadRequest,
			[]string{"kommune-feil", "Fant ingen kommune «Herøy»"}, func(t *ticket.Ticket) bool { return t.Requester.Municipality.Number == "5612" }},
		{"municipality by name", "/kommune", url.Values{"kommune": {"hamar"}}, http.StatusSeeOther,
			[]string{"Kommune endret til Hamar (3403).", "Hamar (3403), Innlandet"},
			func(t *ticket.Ticket) bool {
				return t.Requester.Municipality.Number == "3403" && t.Requester.County.Number == "34"
			}},
		{"ErrMunicipalityUnknown", "/kommune", url.Values{"kommune": {"Atlantis"}}, http.StatusBadRequest,
			[]string{"kommune-feil", "Fant ingen kommune «Atlantis»"}, func(t *ticket.Ticket) bool { return t.Requester.Municipality.Number == "3403" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := br.action(ref, tt.path, tt.form)
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
	if strings.Count(sel, "<option") != 1 || !strings.Contains(sel, `value="åpen"`) {
		t.Errorf("a closed ticket offers %s, want only åpen", sel)
	}
	if resp, _ := br.action(tk.Ref.String(), "/status", url.Values{"status": {"løst"}}); resp.StatusCode != http.StatusBadRequest {
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
		{"POST", "/saker/" + ref + "/tildel"}, {"POST", "/saker/" + ref + "/status"}, {"POST", "/saker/" + ref + "/etat"},
		{"POST", "/saker/" + ref + "/prioritet"}, {"POST", "/saker/" + ref + "/stikkord"}, {"POST", "/saker/" + ref + "/kommune"},
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
