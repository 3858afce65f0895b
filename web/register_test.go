package web_test

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/ks-no/digihjelpen/ticket"
)

func TestRegisterAccess(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080")
	anon, agent, admin := e.browser(), e.browser(), e.browser()
	agent.login("agent@ks.no")
	admin.login("admin@ks.no")
	tests := []struct {
		name   string
		b      *browser
		method string
		path   string
		want   int
	}{
		{"list needs login", anon, "GET", "/kommuner", http.StatusSeeOther},
		{"entry needs login", anon, "GET", "/kommuner/3405", http.StatusSeeOther},
		{"export needs login", anon, "GET", "/kommuner/eksport.csv", http.StatusSeeOther},
		{"OK agent list", agent, "GET", "/kommuner", http.StatusOK},
		{"OK agent entry", agent, "GET", "/kommuner/3405", http.StatusOK},
		{"OK county authority", agent, "GET", "/kommuner/46", http.StatusOK},
		{"OK agent export", agent, "GET", "/kommuner/eksport.csv", http.StatusOK},
		{"unknown number", agent, "GET", "/kommuner/9999", http.StatusNotFound},
		{"Oslo has no county authority of its own", agent, "GET", "/kommuner/03", http.StatusNotFound},
		{"import is for admins", agent, "POST", "/kommuner/import", http.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var resp *http.Response
			if tt.method == "GET" {
				resp, _ = tt.b.get(tt.path)
			} else {
				resp, _ = tt.b.post(tt.path, url.Values{"csrf": {tt.b.csrf("/kommuner")}})
			}
			if resp.StatusCode != tt.want {
				t.Errorf("got %d, want %d", resp.StatusCode, tt.want)
			}
		})
	}
}

func TestRegisterList(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080")
	if err := e.register.SaveOffer(ctxAs("agent@ks.no"), &ticket.Offer{Number: "3405", Status: ticket.OfferAvailable, Venues: []ticket.Venue{ticket.VenueLibrary}, SpecialNeed: true}, 0); err != nil {
		t.Fatal(err)
	}
	e.createTicket("Kurs i BankID", "kari@lillehammer.kommune.no")
	b := e.browser()
	b.login("agent@ks.no")
	tests := []struct {
		name  string
		query string
		rows  int
		has   []string
	}{
		{"all", "", 371, []string{"Viser 371 av 371", `href="/kommuner/3405">Lillehammer</a>`, "Vestland fylkeskommune", `<strong>1</strong> kommuner`, `<strong>356</strong> kommuner`}},
		{"by name without æøå", "?q=baerum", 1, []string{"Bærum"}},
		{"by number", "?q=3405", 1, []string{"Lillehammer", `<td class="num">1</td>`}},
		{"by status", "?status=tilbud", 1, []string{"Lillehammer"}},
		{"by county", "?fylke=56", 19, []string{"Finnmark fylkeskommune", "Vardø"}},
		{"special need", "?behov=1", 1, []string{"Lillehammer"}},
		{"none", "?q=atlantis", 0, []string{"Ingen kommuner passer til søket."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := b.get("/kommuner" + tt.query)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d", resp.StatusCode)
			}
			if got := strings.Count(body, `<th scope="row">`); got != tt.rows {
				t.Errorf("got %d rows, want %d", got, tt.rows)
			}
			for _, want := range tt.has {
				if !strings.Contains(body, want) {
					t.Errorf("page lacks %q", want)
				}
			}
		})
	}
}

func ctxAs(email string) context.Context {
	return ticket.NewContextWithActor(context.Background(), ticket.Actor{Name: email, Role: ticket.RoleAgent})
}

// TestRegisterEdit saves an entry from the form, shows each mistake beside its field with
// the text kept, and refuses a save from an older version.
func TestRegisterEdit(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080")
	b := e.browser()
	b.login("agent@ks.no")
	csrf := b.csrf("/kommuner/3405")
	form := func(version string, kv ...string) url.Values {
		v := url.Values{"csrf": {csrf}, "versjon": {version}, "status": {"tilbud"}, "sted": {"bibliotek", "servicetorg"},
			"adresse": {"Wiers-Jenssens gate 1"}, "apningstider": {"Tirsdager 10–14"}, "nettside": {"https://www.lillehammer.kommune.no/digihjelp"},
			"saerskilt_behov": {"ja"}, "merknad": {"Ny leder fra januar"}}
		for i := 0; i < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v
	}

	resp, body := b.post("/kommuner/3405", form("0", "nettside", "javascript:alert(1)", "status", "kanskje"))
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("invalid: status %d", resp.StatusCode)
	}
	for _, want := range []string{`id="nettside-feil"`, `aria-invalid="true"`, `id="status-feil"`, `href="#nettside"`, "Wiers-Jenssens gate 1", "Ny leder fra januar"} {
		if !strings.Contains(body, want) {
			t.Errorf("invalid form lacks %q", want)
		}
	}

	resp, _ = b.post("/kommuner/3405", form("0"))
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/kommuner/3405?ok=lagret" {
		t.Fatalf("save: status %d to %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	o, err := e.register.FindOffer(context.Background(), "3405")
	if err != nil || o.Version != 1 || o.Status != ticket.OfferAvailable || len(o.Venues) != 2 || !o.SpecialNeed || o.UpdatedBy != "agent@ks.no" {
		t.Fatalf("stored: %+v %v", o, err)
	}
	_, body = b.get("/kommuner/3405?ok=lagret")
	for _, want := range []string{"Endringen er lagret.", "Versjon 1:", `value="1"`, "Særskilt behov for hjelp"} {
		if !strings.Contains(body, want) {
			t.Errorf("saved page lacks %q", want)
		}
	}

	resp, body = b.post("/kommuner/3405", form("0", "adresse", "Storgata 1"))
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, "endret av agent@ks.no") || !strings.Contains(body, "Storgata 1") {
		t.Errorf("stale save: status %d, want 409 with the text kept", resp.StatusCode)
	}
}

// TestRegisterCSVThroughTheWeb downloads the register, changes a row as a spreadsheet would,
// reads it in, and sees a file with a mistake refused whole.
func TestRegisterCSVThroughTheWeb(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080")
	b := e.browser()
	b.login("admin@ks.no")
	resp, file := b.get("/kommuner/eksport.csv")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(file, "\ufeffkommunenummer;navn;status") || !strings.Contains(resp.Header.Get("Content-Disposition"), "kommuneregister-") {
		t.Fatalf("export: %d %q", resp.StatusCode, resp.Header.Get("Content-Disposition"))
	}
	if got := strings.Count(file, "\n"); got != 372 {
		t.Errorf("export has %d lines, want a header and 371 rows", got)
	}
	changed := strings.Replace(file, "3405;Lillehammer;ikke kjent;;;;;;nei;", "3405;Lillehammer;tilbud;bibliotek;;;;;ja;", 1)
	if changed == file {
		t.Fatal("the row of Lillehammer is not as expected")
	}
	resp, _ = b.upload("/kommuner/import", "kommuner.csv", changed)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/kommuner?importert=1-370" {
		t.Fatalf("import: %d to %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	if !e.register.SpecialNeed("3405") {
		t.Error("the imported flag must reach the router")
	}
	_, body := b.get("/kommuner?importert=1-370")
	if !strings.Contains(body, "1 oppføring er endret, 370 var uendret") {
		t.Error("no import summary")
	}
	bad := strings.Replace(changed, "3407;Gjøvik;ikke kjent;", "3407;Gjøvik;kanskje;", 1)
	bad = strings.Replace(bad, "3405;Lillehammer;tilbud;bibliotek;", "3405;Lillehammer;ikke kjent;bibliotek;", 1)
	resp, body = b.upload("/kommuner/import", "kommuner.csv", bad)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "kolonne status: ukjent status «kanskje»") {
		t.Fatalf("bad import: %d", resp.StatusCode)
	}
	if o, _ := e.register.FindOffer(context.Background(), "3405"); o.Status != ticket.OfferAvailable {
		t.Error("a refused file must change nothing")
	}
	events, _ := e.srv.Events.FindEvents(context.Background(), 0)
	exported := false
	for _, ev := range events {
		exported = exported || (ev.Kind == ticket.EventExported && strings.Contains(ev.Detail, "kommuneregisteret"))
	}
	if !exported {
		t.Error("the download is not in the audit trail")
	}
}

// upload posts a file as the import form does.
func (b *browser) upload(path, name, content string) (*http.Response, string) {
	b.e.t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	w.WriteField("csrf", b.csrf("/kommuner"))
	fw, _ := w.CreateFormFile("fil", name)
	io.WriteString(fw, content)
	w.Close()
	req := httptest.NewRequest(http.MethodPost, path, &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	resp := b.do(req)
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

// TestTicketPagePlaceCard shows the municipality's offer and earlier tickets on a ticket.
func TestTicketPagePlaceCard(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080")
	if err := e.register.SaveOffer(ctxAs("agent@ks.no"), &ticket.Offer{Number: "3405", Status: ticket.OfferEstablishing, Hours: "Tirsdager 10–14", Note: "Ny leder"}, 0); err != nil {
		t.Fatal(err)
	}
	first := e.createTicket("Kurs i BankID", "kari@lillehammer.kommune.no")
	second := e.createTicket("Skattemeldingen", "per@lillehammer.kommune.no")
	b := e.browser()
	b.login("agent@ks.no")
	_, body := b.get("/saker/" + second.Ref.String())
	for _, want := range []string{`id="kommunekort">Lillehammer`, "Under etablering", "Tirsdager 10–14", "Merknad: Ny leder", `href="/saker/` + first.Ref.String() + `">`, `href="/kommuner/3405"`} {
		if !strings.Contains(body, want) {
			t.Errorf("ticket page lacks %q", want)
		}
	}
	_, body = b.get("/saker/" + first.Ref.String())
	if !strings.Contains(body, `href="/saker/`+second.Ref.String()+`">`) {
		t.Error("the earlier ticket's card must list the other one")
	}
}
