package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ks-no/digihjelpen/ticket"
)

func TestTicketMergeForm(t *testing.T) {
	e := staffEnv(t)
	target := e.createTicket("Kurs i BankID", "kari@lillehammer.kommune.no")
	source := e.createTicket("Kurs i BankID (sendt på nytt)", "kari.nordmann@gmail.com")
	src, dst := source.Ref.String(), target.Ref.String()
	br := e.browser()
	br.login("agent@ks.no")
	if _, body := br.get("/saker/" + src); !strings.Contains(body, "Slå sammen med en annen sak") || !strings.Contains(body, `action="/saker/`+src+`/slaa-sammen"`) {
		t.Fatal("the ticket page has no merge form")
	}
	for _, tt := range []struct {
		name, in string
		status   int
		want     []string
	}{
		{"ErrEmpty", " ", 400, []string{`id="referanse-feil"`, `aria-invalid="true"`, "Skriv referansen til saken"}},
		{"ErrNotARef", "tull", 400, []string{`id="referanse-feil"`, "«tull» er ikke en saksreferanse"}},
		{"ErrSelf", src, 400, []string{`id="referanse-feil"`, "kan ikke slås sammen med seg selv"}},
		{"ErrUnknown", "DH-2026-9999", 400, []string{`id="referanse-feil"`, "Fant ingen sak med referansen DH-2026-9999.", `value="DH-2026-9999"`}},
		{"confirmation", " " + strings.ToLower(dst) + " ", 200, []string{
			"Slå sammen " + src, "Kurs i BankID (sendt på nytt)", "kari.nordmann@gmail.com", "kari@lillehammer.kommune.no",
			"kopieres, med vedlegg, nederst i tråden til " + dst, "kari.nordmann@gmail.com blir deltaker i " + dst,
			`action="/saker/` + src + `/slaa-sammen/bekreft"`, `name="referanse" value="` + dst + `"`, "Sammenslåingen kan ikke angres."}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := br.action(src, "/slaa-sammen", url.Values{"referanse": {tt.in}})
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.status, body)
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("page lacks %q", w)
				}
			}
			if got, _ := e.tickets.FindTicketByID(context.Background(), source.ID); got.Merged() {
				t.Fatal("merged before the confirmation")
			}
		})
	}

	_, confirm := br.action(src, "/slaa-sammen", url.Values{"referanse": {dst}})
	token := csrfInput.FindStringSubmatch(confirm)[1]
	version := "1"
	if resp, _ := br.post("/saker/"+src+"/slaa-sammen/bekreft", url.Values{"referanse": {dst}, "versjon": {version}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("without CSRF: status %d, want 403", resp.StatusCode)
	}
	if resp, body := br.post("/saker/"+src+"/slaa-sammen/bekreft", url.Values{"csrf": {token}, "referanse": {dst}, "versjon": {"0"}}); resp.StatusCode != http.StatusConflict || !strings.Contains(body, "endret av noen andre") {
		t.Errorf("stale version: status %d, want 409", resp.StatusCode)
	}
	resp, _ := br.post("/saker/"+src+"/slaa-sammen/bekreft", url.Values{"csrf": {token}, "referanse": {dst}, "versjon": {version}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/saker/"+dst+"?ok=sammenslatt" {
		t.Fatalf("confirm: status %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, body := br.get(resp.Header.Get("Location"))
	for _, w := range []string{"Sakene er slått sammen.", "Slått sammen fra", `<a href="/saker/` + src + `">` + src + `</a>`,
		"Saken " + src + " ble slått sammen inn i denne: 1 melding lagt til nederst i tråden.", "kari.nordmann@gmail.com"} {
		if !strings.Contains(body, w) {
			t.Errorf("target page lacks %q", w)
		}
	}
	_, body = br.get("/saker/" + src)
	for _, w := range []string{`Slått sammen inn i <a href="/saker/` + dst + `">` + dst + `</a>`, "Status endret fra «Ny» til «Lukket».",
		"Slått sammen inn i " + dst + ": 1 melding kopiert dit."} {
		if !strings.Contains(body, w) {
			t.Errorf("source page lacks %q", w)
		}
	}
	for _, gone := range []string{"Slå sammen med en annen sak", `<select id="status"`, `id="skriv"`} {
		if strings.Contains(body, gone) {
			t.Errorf("a merged ticket still offers %q", gone)
		}
	}
	// the merged ticket cannot be merged again, nor reopened
	if resp, body := br.action(src, "/slaa-sammen/bekreft", url.Values{"referanse": {dst}}); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "allerede slått sammen") {
		t.Errorf("merging again: status %d", resp.StatusCode)
	}
	if resp, body := br.post("/saker/"+src+"/endre", url.Values{"csrf": {token}, "status": {"åpen"}}); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "kan ikke åpnes igjen") {
		t.Errorf("reopening: status %d", resp.StatusCode)
	}
	mustVerifyWeb(t, e)
}

// mustVerifyWeb checks the indexes of the web test's database.
func mustVerifyWeb(t *testing.T, e *testEnv) {
	t.Helper()
	if err := e.db.Verify(context.Background()); err != nil {
		t.Fatalf("index check: %v", err)
	}
}

func TestTicketMergeStatusPage(t *testing.T) {
	e := staffEnv(t)
	target := e.createTicket("Hemmelig emne i den andre saken", "per@hamar.kommune.no")
	source := e.createTicket("Kurs i BankID", "kari@lillehammer.kommune.no")
	ctx := ticket.NewContextWithActor(context.Background(), ticket.Actor{Name: "agent@ks.no", Role: ticket.RoleAgent})
	if _, err := e.tickets.MergeTickets(ctx, ticket.MergeRequest{SourceID: source.ID, Into: target.Ref}); err != nil {
		t.Fatal(err)
	}
	resp, body := e.browser().get("/sak/" + source.StatusToken)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status page: %d", resp.StatusCode)
	}
	if !strings.Contains(body, "Saken fortsetter som "+target.Ref.String()) || !strings.Contains(body, "(status: Ny)") {
		t.Error("the status page does not say the case continues under the target")
	}
	for _, secret := range []string{"Hemmelig emne", "per@hamar.kommune.no", target.StatusToken, `name="tillegg"`} {
		if strings.Contains(body, secret) {
			t.Errorf("the status page shows %q", secret)
		}
	}
}

func TestTicketMergeNeedsLogin(t *testing.T) {
	e := staffEnv(t)
	target := e.createTicket("Kurs", "kari@lillehammer.kommune.no")
	source := e.createTicket("Kurs igjen", "kari@lillehammer.kommune.no")
	br := e.browser()
	token := br.csrf("/logg-inn")
	for _, path := range []string{"/slaa-sammen", "/slaa-sammen/bekreft"} {
		resp, _ := br.post("/saker/"+source.Ref.String()+path, url.Values{"csrf": {token}, "referanse": {target.Ref.String()}})
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/logg-inn") {
			t.Errorf("%s without login: status %d to %q", path, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	// both staff roles may merge
	for i, who := range []string{"admin@ks.no", "agent@ks.no"} {
		other := e.createTicket("Kurs nok en gang", "kari@lillehammer.kommune.no")
		if i == 0 {
			other = source
		}
		br := e.browser()
		br.login(who)
		resp, _ := br.action(other.Ref.String(), "/slaa-sammen/bekreft", url.Values{"referanse": {target.Ref.String()}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Errorf("%s merging: status %d", who, resp.StatusCode)
		}
	}
	mustVerifyWeb(t, e)
}

func TestAPIMerge(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080")
	token := e.apiToken()
	target := e.createTicket("Dagpenger", "kari@lillehammer.kommune.no")
	source := e.createTicket("Dagpenger igjen", "kari@gmail.com")
	path := "/api/v1/tickets/" + source.Ref.String() + "/merge"
	for _, tt := range []struct {
		name, path, body string
		status           int
		code             string
	}{
		{"ErrUnknownField", path, `{"inn":"x"}`, 400, ticket.EINVALID},
		{"ErrNotARef", path, `{"into":"tull"}`, 400, ticket.EINVALID},
		{"ErrSelf", path, `{"into":"` + source.Ref.String() + `"}`, 400, ticket.EINVALID},
		{"ErrUnknownTarget", path, `{"into":"DH-2026-9999"}`, 400, ticket.EINVALID},
		{"ErrUnknownSource", "/api/v1/tickets/DH-2026-9999/merge", `{"into":"` + target.Ref.String() + `"}`, 404, ticket.ENOTFOUND},
		{"merge", path, `{"into":"` + target.Ref.String() + `"}`, 200, ""},
		{"ErrAgain", path, `{"into":"` + target.Ref.String() + `"}`, 400, ticket.EINVALID},
	} {
		t.Run(tt.name, func(t *testing.T) {
			status, v := e.apiSend(http.MethodPost, tt.path, token, tt.body)
			if status != tt.status {
				t.Fatalf("got %d %v, want %d", status, v, tt.status)
			}
			if tt.code != "" {
				if code := v["error"].(map[string]any)["code"]; code != tt.code {
					t.Fatalf("got code %v, want %s", code, tt.code)
				}
				return
			}
			if v["ref"] != target.Ref.String() || v["message_count"] != float64(2) {
				t.Errorf("answer %v, want the target with 2 messages", v)
			}
		})
	}
	if status, _ := e.apiSend(http.MethodPost, path, "", `{"into":"`+target.Ref.String()+`"}`); status != http.StatusUnauthorized {
		t.Errorf("without a token: %d, want 401", status)
	}
	resp, v := e.api(http.MethodGet, "/api/v1/tickets/"+source.Ref.String(), token)
	if resp.StatusCode != 200 || v["merged_into"] != target.Ref.String() || v["status"] != "lukket" {
		t.Errorf("merged ticket in the API: %v", v)
	}
	if _, v := e.api(http.MethodGet, "/api/v1/tickets/"+target.Ref.String(), token); v["merged_into"] != nil {
		t.Errorf("target in the API has merged_into %v", v["merged_into"])
	}
	mustVerifyWeb(t, e)
}
