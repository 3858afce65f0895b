package web_test

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/routing"
	"github.com/ks-no/digihjelpen/ticket"
)

// withRouting gives the test server the routing admin pages and the referral list, on the
// test's own database, as cmd wires them.
func (e *testEnv) withRouting() *routing.Admin {
	e.t.Helper()
	places, err := routing.LoadPlaces()
	if err != nil {
		e.t.Fatal(err)
	}
	a := &routing.Admin{Env: routing.Env{Agencies: routing.DefaultAgencies(), Places: places},
		Sets: data.NewRuleSetService(e.db), Tickets: e.tickets, ParseMail: parseTestMail, TemplateExists: e.srv.Composer.HasAckTemplate}
	if err := a.Load(context.Background()); err != nil {
		e.t.Fatal(err)
	}
	e.srv.Rules, e.srv.Referrals, e.srv.ReminderAfter = a, e.tickets, 7*24*time.Hour
	return a
}

// parseTestMail reads a plain-text .eml; the program itself uses a fuller reader.
func parseTestMail(raw []byte) (*ticket.Ticket, *ticket.Message, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return nil, nil, ticket.Errorf(ticket.EINVALID, "Filen kunne ikke leses som en e-post.")
	}
	body, _ := io.ReadAll(msg.Body)
	from, _ := mail.ParseAddress(msg.Header.Get("From"))
	m := &ticket.Message{Direction: ticket.DirectionIn, From: from.Address, Subject: msg.Header.Get("Subject"), Text: string(body)}
	return &ticket.Ticket{Subject: m.Subject, Channel: ticket.ChannelEmail, Requester: ticket.Requester{Email: m.From}}, m, nil
}

const kursRules = "[[rules]]\nname = \"Kurs til NAV\"\nwords = [\"kurs*\"]\nagency = \"nav\"\ntags = [\"kurs\"]\n"

func TestRulesPagesAdminOnly(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080")
	e.withRouting()
	agent := e.browser()
	agent.login("agent@ks.no")
	for _, path := range []string{"/admin/regler", "/admin/regler/standard", "/admin/etater"} {
		if resp, _ := agent.get(path); resp.StatusCode != http.StatusForbidden {
			t.Errorf("agent on %s: status %d, want 403", path, resp.StatusCode)
		}
	}
	resp, _ := agent.post("/admin/regler/lagre", url.Values{"csrf": {agent.csrf("/innboks")}, "text": {kursRules}})
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("agent saving rules: status %d, want 403", resp.StatusCode)
	}
	anon := e.browser()
	if resp, _ := anon.get("/admin/regler"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("anonymous: status %d, want a redirect to login", resp.StatusCode)
	}
	admin := e.browser()
	admin.login("admin@ks.no")
	resp, body := admin.get("/admin/regler")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "de innebygde standardreglene") || !strings.Contains(body, "Prosjektmidler for bibliotek") {
		t.Fatalf("admin: status %d\n%s", resp.StatusCode, body)
	}
}

func TestRulesTryShowsErrorsWithLines(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080")
	e.withRouting()
	b := e.browser()
	b.login("admin@ks.no")
	bad := "[[rules]]\nname = \"Skatt\"\nagency = \"skatt\"\n"
	resp, body := b.post("/admin/regler/prov", url.Values{"csrf": {b.csrf("/admin/regler")}, "text": {bad}})
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("status %d, want 400", resp.StatusCode)
	}
	for _, want := range []string{"Reglene har 1 feil", "linje 3: regelen «Skatt»: agency: ukjent etat «skatt»", `aria-invalid="true"`, "agency = &#34;skatt&#34;"} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(body, `action="/admin/regler/lagre"`) {
		t.Error("a set with errors can be saved")
	}
	// Saving a bad set directly is refused the same way.
	resp, body = b.post("/admin/regler/lagre", url.Values{"csrf": {b.csrf("/admin/regler")}, "text": {bad}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "linje 3") {
		t.Fatalf("save of a bad set: status %d", resp.StatusCode)
	}
	resp, body = b.post("/admin/regler/prov", url.Values{"csrf": {b.csrf("/admin/regler")}, "text": {kursRules}, "since": {"1. januar"}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="since-feil"`) || !strings.Contains(body, "åååå-mm-dd") {
		t.Fatalf("bad date: status %d", resp.StatusCode)
	}
}

func TestRulesTrySaveRestore(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080")
	admin := e.withRouting()
	kurs := e.createTicket("Kurs i BankID for seniorer på biblioteket", "kari@lillehammer.kommune.no")
	e.createTicket("Hvor er håndboka?", "ola@hamar.kommune.no")
	b := e.browser()
	b.login("admin@ks.no")

	resp, body := b.post("/admin/regler/prov", url.Values{"csrf": {b.csrf("/admin/regler")}, "text": {kursRules}, "since": {""}})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("try: status %d\n%s", resp.StatusCode, body)
	}
	for _, want := range []string{"Lagrede saker prøvd: 2.", "1 ville fått en annen etat", "/saker/" + kurs.Ref.String(), "KS → NAV", "«Kurs til NAV»: ord «kurs» i emnet", "Lagre som ny versjon"} {
		if !strings.Contains(body, want) {
			t.Errorf("try page lacks %q", want)
		}
	}
	if got, _ := e.tickets.FindTicketByID(context.Background(), kurs.ID); got.Agency != "ks" {
		t.Fatalf("the try changed the ticket to %s", got.Agency)
	}
	if list, _ := admin.RuleSets(context.Background()); len(list) != 0 {
		t.Fatal("the try saved a version")
	}

	resp, _ = b.post("/admin/regler/lagre", url.Values{"csrf": {b.csrf("/admin/regler")}, "text": {kursRules}, "note": {"Kurs går til NAV"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/regler?lagret=1" {
		t.Fatalf("save: status %d to %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, body = b.get("/admin/regler?lagret=1")
	for _, want := range []string{"Versjon 1 er lagret", "versjon 1, lagret", "admin@ks.no", "Kurs går til NAV"} {
		if !strings.Contains(body, want) {
			t.Errorf("after save, page lacks %q", want)
		}
	}
	if d := admin.Route(&ticket.Ticket{Subject: "kurs"}, nil); d.Agency != "nav" {
		t.Fatalf("the saved rules are not in use: %s", d.Agency)
	}
	if _, err := admin.SaveRules(context.Background(), admin.DefaultRulesText(), "tilbake"); err != nil {
		t.Fatal(err)
	}
	_, body = b.get("/admin/regler/versjoner/1")
	if !strings.Contains(body, "Ta i bruk igjen") || !strings.Contains(body, "Kurs til NAV") {
		t.Fatalf("version page:\n%s", body)
	}
	resp, _ = b.post("/admin/regler/versjoner/1/gjenopprett", url.Values{"csrf": {b.csrf("/admin/regler/versjoner/1")}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/regler?lagret=3" {
		t.Fatalf("restore: status %d to %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	active, _ := admin.ActiveRules(context.Background())
	if active.Version != 3 || !strings.Contains(active.Source, "gjenopprettet fra versjon 1") {
		t.Fatalf("active after restore: %+v", active)
	}
	if resp, _ := b.get("/admin/regler/versjoner/99"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("missing version: status %d", resp.StatusCode)
	}
	if resp, _ := b.post("/admin/regler/lagre", url.Values{"text": {kursRules}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("save without csrf: status %d, want 403", resp.StatusCode)
	}
}

func TestRulesTryOnUploadedMail(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080")
	e.withRouting()
	b := e.browser()
	b.login("admin@ks.no")
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	w.WriteField("csrf", b.csrf("/admin/regler"))
	w.WriteField("text", kursRules)
	w.WriteField("since", "2026-01-01")
	fw, _ := w.CreateFormFile("eml", "sporsmal.eml")
	fw.Write([]byte("From: kari@bergen.kommune.no\r\nSubject: Kursavgift for eldre\r\n\r\nHva koster kursavgiften?\r\n"))
	w.Close()
	req := httptest.NewRequest(http.MethodPost, "/admin/regler/prov", &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	resp := b.do(req)
	body, _ := io.ReadAll(resp.Body)
	page := string(body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d\n%s", resp.StatusCode, page)
	}
	for _, want := range []string{"E-posten du lastet opp", "Kursavgift for eldre", "Bergen, Vestland", "Med reglene i bruk</dt><dd>KS, regel «standard»", "Med disse reglene</dt><dd>NAV, regel «Kurs til NAV»"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

func TestAgenciesPage(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080")
	e.withRouting()
	e.srv.Agencies[2].Email = "henvisning@nav.example.no"
	b := e.browser()
	b.login("admin@ks.no")
	resp, body := b.get("/admin/etater")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	for _, want := range []string{"Kompetanse Norge (HK-dir)", "<code>nasjonalbiblioteket</code>", "Skattemelding, skattekort", "mailto:henvisning@nav.example.no", "Mangler: henvisninger kan ikke sendes"} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

func TestReferralsPage(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080")
	e.withRouting()
	clock := time.Date(2026, 11, 23, 9, 0, 0, 0, ticket.Oslo)
	e.db.Now = func() time.Time { return clock }
	e.srv.Now = func() time.Time { return clock }
	tk := e.createTicket("Meldekort", "kari@lillehammer.kommune.no")
	other := e.createTicket("Skattekort", "ola@hamar.kommune.no")
	ctx := context.Background()
	for i, x := range []*ticket.Ticket{tk, other} {
		m := &ticket.Message{Direction: ticket.DirectionOut, To: []string{"svar@etat.example.no"}, Text: "Til etaten", MessageID: "<ref-" + string(rune('a'+i)) + "@test>"}
		if _, err := e.tickets.AppendMessage(ctx, x.ID, m, ticket.AppendOptions{Referral: &ticket.Referral{Agency: []string{"nav", "skatteetaten"}[i]}}); err != nil {
			t.Fatal(err)
		}
		clock = clock.Add(3 * 24 * time.Hour)
	}
	clock = clock.Add(2*24*time.Hour + time.Hour) // the first is 8 days old, the second 5
	if _, err := e.tickets.MarkOverdueReferrals(ctx, e.srv.ReminderAfter); err != nil {
		t.Fatal(err)
	}
	b := e.browser()
	b.login("agent@ks.no")
	_, body := b.get("/henvisninger")
	for _, want := range []string{tk.Ref.String(), other.Ref.String(), "Forfalt", "(8 dager)", "(5 dager)", "ikke er besvart etter 7 dager", `Forfalte <span class="count">1</span>`} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	_, body = b.get("/henvisninger?forfalt=1")
	if !strings.Contains(body, tk.Ref.String()) || strings.Contains(body, other.Ref.String()) {
		t.Errorf("overdue view shows the wrong referrals")
	}
}
