package web_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/mailbridge"
	"github.com/ks-no/digihjelpen/ticket"
)

const (
	autoReply = "From: Kari Nordmann <kari@hamar.kommune.no>\r\nTo: kontakt@digihjelpen.test\r\nSubject: Fraværsmelding\r\n" +
		"Message-ID: <fravaer@hamar.kommune.no>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nJeg er på ferie.\r\n"
	// a header that tries to break out of the page
	hostile = "From: <script>alert(1)</script>@x.no\r\nSubject: <img src=x onerror=alert(1)>\r\nX-Test: \x1b[31mrød\x07\r\n" +
		"Message-ID: <hostile@x.no>\r\nAuto-Submitted: auto-replied\r\n\r\n<script>alert(2)</script>\r\n"
)

// quarantine takes raw mails in through real intake and returns their quarantine ids.
func (e *testEnv) quarantine(raws ...string) []uint64 {
	e.t.Helper()
	var batch []mailbridge.Incoming
	for _, r := range raws {
		batch = append(batch, mailbridge.Incoming{Raw: []byte(r), Source: "test"})
	}
	res, err := e.intake.Take(context.Background(), batch)
	if err != nil {
		e.t.Fatal(err)
	}
	var ids []uint64
	for _, r := range res {
		if r.Outcome != ticket.IntakeQuarantined {
			e.t.Fatalf("got %+v, want quarantined", r)
		}
		ids = append(ids, r.QuarantineID)
	}
	return ids
}

func TestQuarantinePages(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080")
	ids := e.quarantine(autoReply, hostile, "\x00 ikke en e-post")
	b := e.browser()
	if resp, _ := b.get("/karantene"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("anonymous: got %d, want a redirect to login", resp.StatusCode)
	}
	b.login("agent@ks.no")

	resp, body := b.get("/karantene")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "3 e-poster") || !strings.Contains(body, "Fraværsmelding") {
		t.Fatalf("list: %d\n%s", resp.StatusCode, body)
	}
	if _, body := b.get("/karantene?arsak=parse"); !strings.Contains(body, "1 e-poster") || strings.Contains(body, "Fraværsmelding") {
		t.Errorf("filtered list:\n%s", body)
	}
	if resp, _ := b.get("/karantene?arsak=tull"); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("unknown reason: got %d, want 400", resp.StatusCode)
	}

	resp, body = b.get("/karantene/" + itoa(ids[1]))
	if resp.StatusCode != http.StatusOK || strings.Contains(body, "<script>alert") || strings.Contains(body, "<img src=x") ||
		!strings.Contains(body, "&lt;script&gt;alert(1)") || strings.Contains(body, "\x1b") {
		t.Fatalf("hostile header not made safe:\n%s", body)
	}
	if strings.Contains(body, "alert(2)") {
		t.Errorf("the body is shown; only the header should be")
	}

	resp = b.do(httptest.NewRequest(http.MethodGet, "/karantene/"+itoa(ids[1])+"/kilde", nil))
	raw, _ := io.ReadAll(resp.Body)
	if !strings.HasPrefix(resp.Header.Get("Content-Disposition"), `attachment; filename="karantene-`+itoa(ids[1])+`.eml"`) ||
		resp.Header.Get("Content-Type") != "application/octet-stream" || string(raw) != hostile {
		t.Errorf("source download: %v %q", resp.Header, raw)
	}
	if !strings.Contains(resp.Header.Get("Content-Security-Policy"), "sandbox") || resp.Header.Get("X-Content-Type-Options") != "nosniff" ||
		resp.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("source download without the safe headers of a download: %v", resp.Header)
	}
	if resp, _ := b.get("/karantene/999"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("missing entry: got %d, want 404", resp.StatusCode)
	}

	// retry keeps an unreadable mail, with a notice; create anyway makes a ticket of it
	form := url.Values{"csrf": {b.csrf("/karantene/" + itoa(ids[2]))}}
	if resp, _ := b.post("/karantene/"+itoa(ids[2])+"/prov-igjen", form); resp.Header.Get("Location") != "/karantene/"+itoa(ids[2])+"?resultat=fortsatt" {
		t.Errorf("retry: got %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, _ = b.post("/karantene/"+itoa(ids[2])+"/opprett", form)
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/saker/DH-") {
		t.Fatalf("create anyway: got %d to %q", resp.StatusCode, loc)
	}
	if resp, body := b.get(loc); resp.StatusCode != http.StatusOK || !strings.Contains(body, "kunne ikke leses") {
		t.Errorf("the new ticket: %d\n%s", resp.StatusCode, body)
	}

	// discard needs the confirmation page's field, and then it is gone
	if resp, _ := b.post("/karantene/"+itoa(ids[0])+"/forkast", form); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("discard without confirmation: got %d, want 400", resp.StatusCode)
	}
	if _, body := b.get("/karantene/" + itoa(ids[0]) + "/forkast"); !strings.Contains(body, "slettes for godt") {
		t.Errorf("confirmation page:\n%s", body)
	}
	form.Set("bekreft", "ja")
	resp, _ = b.post("/karantene/"+itoa(ids[0])+"/forkast", form)
	if resp.Header.Get("Location") != "/karantene?resultat=forkastet" {
		t.Fatalf("discard: got %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if _, body := b.get("/karantene?resultat=forkastet"); !strings.Contains(body, "E-posten er forkastet") || !strings.Contains(body, "1 e-poster") {
		t.Errorf("after discard:\n%s", body)
	}
	if resp, _ := b.post("/karantene/"+itoa(ids[1])+"/forkast", url.Values{"bekreft": {"ja"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("discard without CSRF: got %d, want 403", resp.StatusCode)
	}
}

func TestAPIQuarantine(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080")
	token := e.apiToken()
	ids := e.quarantine(autoReply, hostile, "\x00 ikke en e-post")
	resp, v := e.api(http.MethodGet, "/api/v1/quarantine?limit=2", token)
	list := v["quarantine"].([]any)
	if resp.StatusCode != http.StatusOK || len(list) != 2 || v["total"].(float64) != 3 || v["next"] != itoa(ids[1]) {
		t.Fatalf("page 1: %d %v", resp.StatusCode, v)
	}
	first := list[0].(map[string]any)
	if first["reason"] != "parse" || first["reason_label"] != "Kunne ikke leses" || first["received_at"] == "" {
		t.Errorf("entry %v", first)
	}
	_, v = e.api(http.MethodGet, "/api/v1/quarantine?limit=2&cursor="+v["next"].(string), token)
	if list := v["quarantine"].([]any); len(list) != 1 || list[0].(map[string]any)["subject"] != "Fraværsmelding" || v["next"] != "" {
		t.Errorf("page 2: %v", v)
	}
	_, v = e.api(http.MethodGet, "/api/v1/quarantine?reason=auto", token)
	if v["total"].(float64) != 2 {
		t.Errorf("reason=auto: %v", v)
	}
	if resp, _ := e.api(http.MethodGet, "/api/v1/quarantine", ""); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("without token: got %d", resp.StatusCode)
	}
	if resp, _ := e.api(http.MethodGet, "/api/v1/quarantine?cursor=x", token); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("bad cursor: got %d", resp.StatusCode)
	}
}

func TestTicketDelete(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080")
	tk := e.createTicket("Slett denne saken", "kari@hamar.kommune.no")
	agent := e.browser()
	agent.login("agent@ks.no")
	if _, body := agent.get("/saker/" + tk.Ref.String()); strings.Contains(body, "/slett") {
		t.Errorf("an agent sees the delete link")
	}
	if resp, _ := agent.get("/saker/" + tk.Ref.String() + "/slett"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("agent: got %d, want 403", resp.StatusCode)
	}
	if resp, _ := agent.post("/saker/"+tk.Ref.String()+"/slett", url.Values{"csrf": {agent.csrf("/innboks")}, "bekreft": {"ja"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("agent POST: got %d, want 403", resp.StatusCode)
	}
	admin := e.browser()
	admin.login("admin@ks.no")
	if _, body := admin.get("/saker/" + tk.Ref.String()); !strings.Contains(body, `href="/saker/`+tk.Ref.String()+`/slett"`) {
		t.Errorf("the admin lacks the delete link")
	}
	csrf := admin.csrf("/saker/" + tk.Ref.String() + "/slett")
	if resp, _ := admin.post("/saker/"+tk.Ref.String()+"/slett", url.Values{"csrf": {csrf}}); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("without confirmation: got %d, want 400", resp.StatusCode)
	}
	resp, _ := admin.post("/saker/"+tk.Ref.String()+"/slett", url.Values{"csrf": {csrf}, "bekreft": {"ja"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/saker/"+tk.Ref.String()+"/slettet" {
		t.Fatalf("delete: got %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if _, body := admin.get("/saker/" + tk.Ref.String() + "/slettet"); !strings.Contains(body, "er slettet for godt") {
		t.Errorf("receipt:\n%s", body)
	}
	if resp, _ := admin.get("/saker/" + tk.Ref.String()); resp.StatusCode != http.StatusNotFound {
		t.Errorf("the ticket after delete: got %d, want 404", resp.StatusCode)
	}
	audit, _ := data.NewEventService(e.db).FindEvents(context.Background(), 0)
	if len(audit) == 0 || audit[len(audit)-1].Kind != ticket.EventDeleted || audit[len(audit)-1].Actor != "admin@ks.no" {
		t.Errorf("audit got %+v", audit)
	}
}

// TestBrowserQuarantine clicks through the quarantine as an agent would, and deletes a ticket
// as an administrator, with an axe audit of every page type.
func TestBrowserQuarantine(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080")
	ids := e.quarantine(autoReply, "\x00 ikke en e-post")
	tk := e.createTicket("Sak som skal slettes", "kari@hamar.kommune.no")
	c := newChrome(t, e)
	c.login("admin@ks.no")

	c.do(chromedp.Click(chromedp.CSS(`a[href="/karantene"]`)), chromedp.WaitVisible(chromedp.CSS("table.tickets")))
	c.audit("karantene")
	c.do(chromedp.Click(chromedp.CSS(`a[href="/karantene/`+itoa(ids[0])+`"]`)), chromedp.WaitVisible(chromedp.CSS("pre.raw-header")))
	if got := c.text("main h1"); got != "Fraværsmelding" {
		t.Fatalf("heading %q", got)
	}
	c.audit("karantene-epost")
	c.do(chromedp.Click(chromedp.CSS(`a[href="/karantene/`+itoa(ids[0])+`/forkast"]`)), chromedp.WaitVisible(chromedp.CSS("button.danger")))
	c.audit("karantene-forkast")
	c.do(chromedp.Click(chromedp.CSS("button.danger")), chromedp.WaitVisible(chromedp.CSS(`[role="status"]`)))
	if got := c.text(`.alert-ok`); !strings.Contains(got, "E-posten er forkastet") {
		t.Errorf("notice %q", got)
	}
	c.audit("karantene-forkastet")

	c.visit("/karantene/" + itoa(ids[1]))
	c.do(chromedp.Click(chromedp.CSS(`form[action$="/opprett"] button`)), chromedp.WaitVisible(chromedp.CSS(".thread")))
	if !strings.HasPrefix(c.location(), "/saker/DH-") {
		t.Errorf("after create anyway at %s", c.location())
	}

	c.visit("/saker/" + tk.Ref.String())
	c.do(chromedp.Click(chromedp.CSS(`a[href="/saker/`+tk.Ref.String()+`/slett"]`)), chromedp.WaitVisible(chromedp.CSS("button.danger")))
	c.audit("sak-slett")
	c.do(chromedp.Click(chromedp.CSS("button.danger")), chromedp.WaitVisible(chromedp.CSS(`p[role="status"]`)))
	c.audit("sak-slettet")
}

func itoa(n uint64) string { return strconv.FormatUint(n, 10) }
