package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/ks-no/digihjelpen/ticket"
)

// TestStatsPeriodPage: /statistikk?fra=…&til=… shows the report of any period to a reader,
// led by the key figures against the period of the same length before it; two whole weeks
// count the new tickets of both (the scenario's W12 and W13).
func TestStatsPeriodPage(t *testing.T) {
	e := scenarioEnv(t)
	e.addUser("leser@ks.no", ticket.RoleReader)
	b := e.browser()
	b.login("leser@ks.no")
	w12, err := e.srv.Stats.WeeklyReport(context.Background(), ticket.Week{Year: 2026, Week: 12})
	if err != nil {
		t.Fatal(err)
	}
	resp, body := b.get("/statistikk?fra=2026-03-16&til=2026-03-29")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("got status %d", resp.StatusCode)
	}
	newTickets := w12.New + 7 // W13 has 7 (data's scenario test)
	for _, want := range []string{
		"Statistikk for 16.3.2026–29.3.2026", "Fra og med 16.03.2026 til og med 29.03.2026",
		"Sammenlignet med forrige periode (2.3.2026–15.3.2026).",
		`<p class="kf-label">Nye saker</p>`, `<p class="kf-value">` + strconv.Itoa(newTickets) + `</p>`,
		`<th scope="row">Nye saker</th><td>` + strconv.Itoa(newTickets) + `</td>`, `<th scope="row">Åpne ved periodens slutt</th><td>7</td>`,
		`href="/statistikk/rapport?fra=2026-03-16&amp;til=2026-03-29&amp;format=xlsx"`,
		`value="2026-03-16"`, `value="2026-03-29"`, `href="/statistikk">Til denne uka`,
		`role="img" aria-labelledby="uker-tittel"`, "Sammendrag for perioden",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("period page lacks %q", want)
		}
	}
	if strings.Contains(body, "Eksporter saker") || strings.Contains(body, "Forrige uke") {
		t.Error("a reader's period page must offer neither the ticket export nor week links")
	}
	resp, body = b.get("/statistikk/rapport?fra=2026-03-16&til=2026-03-29&format=csv")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Disposition"), `attachment; filename="digihjelpen-periode-2026-03-16-2026-03-29.csv"`) {
		t.Fatalf("period csv: %d %q", resp.StatusCode, resp.Header.Get("Content-Disposition"))
	}
	for _, want := range []string{"\ufeffperiode;del;kode;navn;mål;felt;verdi\r\n", "2026-03-16–2026-03-29;Endring;new;Nye saker;Denne perioden;current;" + strconv.Itoa(newTickets) + "\r\n",
		"2026-03-16–2026-03-29;Sammendrag;;;Nye saker;new;" + strconv.Itoa(newTickets) + "\r\n"} {
		if !strings.Contains(body, want) {
			t.Errorf("period csv lacks %q", want)
		}
	}
	_, body = b.get("/statistikk/rapport?fra=2026-03-16&til=2026-03-29&format=xlsx")
	f, err := excelize.OpenReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := strings.Join(f.GetSheetList(), ","); !strings.HasPrefix(got, "Endring,Sammendrag,Etater,") || !strings.HasSuffix(got, ",Hull i håndboken,Tilbakemeldinger,Besvart av håndboken") {
		t.Errorf("period sheets %s", got)
	}
	if v, _ := f.GetCellValue("Sammendrag", "B1"); v != "2026-03-16–2026-03-29" {
		t.Errorf("Sammendrag!B1 = %q, want the period", v)
	}
}

// TestStatsPeriodErrors: a period that is not one, has not begun or is too long is refused
// beside the period's fields, the text kept, with the current week below.
func TestStatsPeriodErrors(t *testing.T) {
	e := scenarioEnv(t)
	b := e.browser()
	b.login("agent@ks.no")
	tests := []struct {
		name, query, field, want string
	}{
		{"ErrFromDate", "fra=1.13.2026&til=2026-01-31", "periode-fra", "Skriv fra-datoen som"},
		{"ErrOrder", "fra=2026-02-01&til=2026-01-01", "periode-til", "Til-datoen kan ikke være før fra-datoen."},
		{"ErrFuture", "fra=2099-01-01&til=2099-01-31", "periode-fra", "Perioden har ikke begynt ennå."},
		{"ErrTooLong", "fra=2010-01-01&til=2026-01-01", "periode-til", "En periode kan være høyst tre år"},
		{"ErrOnlyOne", "fra=2026-01-01", "periode-til", "Skriv til-datoen som"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, path := range []string{"/statistikk?", "/statistikk/rapport?format=csv&"} {
				resp, body := b.get(path + tt.query)
				if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, tt.want) || !strings.Contains(body, `id="`+tt.field+`-feil"`) {
					t.Errorf("%s%s: got %d, want 400 with %q beside %s", path, tt.query, resp.StatusCode, tt.want, tt.field)
				}
				if q, _ := url.ParseQuery(tt.query); !strings.Contains(body, `value="`+q.Get("fra")+`"`) {
					t.Errorf("%s%s: the typed date is not kept", path, tt.query)
				}
			}
		})
	}
}

// TestAPIStatsPeriod: GET /api/v1/stats/period (a reader's token is enough) gives the period's
// report in the weekly report's shape, the period before it, and the change; the counts of two
// whole weeks are the sums of the weeks'.
func TestAPIStatsPeriod(t *testing.T) {
	e := scenarioEnv(t)
	token := e.addToken("styringsgruppa", ticket.RoleReader)
	week := func(w string) map[string]any {
		_, v := e.api(http.MethodGet, "/api/v1/stats/weekly?week="+w, token)
		return v
	}
	w12, w13 := week("2026-W12"), week("2026-W13")
	resp, v := e.api(http.MethodGet, "/api/v1/stats/period?from=2026-03-16&to=2026-03-29", token)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("got status %d: %v", resp.StatusCode, v)
	}
	get := func(x any, path string) any {
		for _, k := range strings.Split(path, ".") {
			m, ok := x.(map[string]any)
			if !ok {
				return nil
			}
			x = m[k]
		}
		return x
	}
	for _, path := range []string{"new", "by_agency.ks.new", "by_channel.email", "by_municipality.3405.new", "first_response_hours.count",
		"referrals.skatteetaten.sent", "referrals.skatteetaten.answered", "by_topic.ingen.new"} {
		sum := get(w12, path).(float64) + get(w13, path).(float64)
		if got := get(v, path); got != sum {
			t.Errorf("%s: period %v, weeks %v + %v", path, got, get(w12, path), get(w13, path))
		}
	}
	for path, want := range map[string]any{
		"period.from": "2026-03-16", "period.to": "2026-03-29", "period.days": 14.0, "from": "2026-03-16T00:00:00+01:00",
		"to": "2026-03-30T00:00:00+02:00", "previous.period.from": "2026-03-02", "previous.period.to": "2026-03-15",
		"open_at_end": get(w13, "open_at_end"), "open_at_start": get(w12, "open_at_start"),
		"change.new.current": get(v, "new"), "change.new.previous": get(v, "previous.new"), "week": nil,
	} {
		if got := get(v, path); got != want {
			t.Errorf("%s: got %v, want %v", path, got, want)
		}
	}
	for name, path := range map[string]string{"ErrMissing": "/api/v1/stats/period?from=2026-03-16", "ErrDate": "/api/v1/stats/period?from=2026-03-16&to=i-morgen",
		"ErrFormat": "/api/v1/stats/period?from=2026-03-16&to=2026-03-29&format=pdf"} {
		if resp, v := e.api(http.MethodGet, path, token); resp.StatusCode != http.StatusBadRequest || v["error"] == nil {
			t.Errorf("%s: got %d %v, want 400 with an error", name, resp.StatusCode, v)
		}
	}
	req := httptest.NewRequest(http.MethodGet, "/api/v1/stats/period?from=2026-03-16&to=2026-03-29&format=xlsx", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := e.srv.App().Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || !bytes.HasPrefix(body, []byte("PK")) {
		t.Errorf("xlsx from the API: status %d", resp.StatusCode)
	}
}

// TestStatsWhatQuestionsTeach: the current week's page (where /statistikk opens), the weekly
// JSON and the mail count questions by topic and tag, list «hull i håndboken» (tickets answered
// without an article link), the requesters' answers by agency and the questions an article
// answered before they were sent.
func TestStatsWhatQuestionsTeach(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080")
	ctx := context.Background()
	agent := e.browser()
	agent.login("agent@ks.no")
	tagged := func(subject string, tags ...string) *ticket.Ticket {
		tk := e.createTicket(subject, "kari@lillehammer.kommune.no")
		if _, err := e.tickets.UpdateTicket(ctx, tk.ID, ticket.TicketUpdate{Tags: &tags}); err != nil {
			t.Fatal(err)
		}
		return tk
	}
	withArticle, without1, without2 := tagged("Skattemeldingen", "skatt"), tagged("Skattekort", "skatt"), tagged("Kurs", "opplæring")
	tagged("Ubesvart", "skatt")
	for tk, text := range map[*ticket.Ticket]string{
		withArticle: "«Skattemeldingen»: http://127.0.0.1:8080/handbok/skattemeldingen",
		without1:    "Ring Skatteetaten.", without2: "Se kursene på kompetansenorge.no.",
	} {
		if resp, _ := agent.post("/saker/"+tk.Ref.String()+"/svar", with(agent.replyForm(tk), "text", text, "status", "løst")); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("reply: %d", resp.StatusCode)
		}
	}
	if got, _ := e.tickets.FindTicketByID(ctx, withArticle.ID); strings.Join(got.Articles, ",") != "skattemeldingen" {
		t.Fatalf("the reply's article link is not kept: %v", got.Articles)
	}
	anon := e.browser()
	for tk, answer := range map[*ticket.Ticket]string{withArticle: "ja", without1: "nei"} {
		path := "/sak/" + tk.StatusToken
		if resp, _ := anon.post(path+"/tilbakemelding", url.Values{"csrf": {anon.csrf(path)}, "svar": {answer}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("feedback: %d", resp.StatusCode)
		}
	}
	if err := e.handbook.CreateArticle(ctx, &ticket.Article{Title: "Kom i gang", Text: "Slik kommer du i gang."}); err != nil {
		t.Fatal(err)
	}
	form := e.browser()
	for range 2 {
		if resp, _ := form.post("/handbok/kom-i-gang/svarte", url.Values{"csrf": {form.csrf("/")}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("self-help: %d", resp.StatusCode)
		}
	}

	resp, body := agent.get("/statistikk")
	w := ticket.WeekOf(e.srv.Now())
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Statistikk for uke "+strconv.Itoa(w.Week)) || !strings.Contains(body, "Uka er ikke over") {
		t.Fatalf("/statistikk must open on the current week: %d", resp.StatusCode)
	}
	for _, want := range []string{
		"Sammenlignet med samme tid forrige uke.",
		`<th scope="row">skatt</th><td>3</td>`, `<th scope="row">Uten tema (e-post) <span class="key">ingen</span></th><td>4</td>`,
		`<th scope="row">Stikkord: skatt <span class="key">tag:skatt</span></th><td>1</td><td>1</td><td>2</td>`,
		`<th scope="row">Stikkord: opplæring <span class="key">tag:opplæring</span></th><td>2</td><td>1</td><td>1</td>`,
		`<th scope="row">Kompetanse Norge (HK-dir) <span class="key">kompetanse-norge</span></th><td>0</td>`,
		`<th scope="row">Alle etater <span class="key">alle</span></th><td>1</td><td>1</td><td>50</td>`,
		`<th scope="row">Kom i gang <span class="key">kom-i-gang</span></th><td>2</td>`,
		`<p class="kf-label">Besvart av håndboken før de ble sendt</p>`, `aria-labelledby="stikkord-diagram-tittel"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the week's page lacks %q", want)
		}
	}
	token := e.addToken("tall", ticket.RoleReader)
	_, v := e.api(http.MethodGet, "/api/v1/stats/weekly?week="+w.String(), token)
	raw, _ := json.Marshal(map[string]any{"tags": v["by_tag"], "gaps": v["handbook_gaps"], "feedback": v["feedback"], "self": v["self_help"]})
	for _, want := range []string{`"skatt":{"name":"skatt","new":3,"referred":0,"reopened":0,"resolved":2}`,
		`{"answered":2,"key":"skatt","kind":"tag","name":"skatt","without_article":1}`, `"ks":{"name":"KS","not_useful":1,"useful":1}`,
		`"by_article":[{"questions":2,"slug":"kom-i-gang","title":"Kom i gang"}],"questions":2`} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("weekly JSON lacks %s in %s", want, raw)
		}
	}
}
