package web_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/ks-no/digihjelpen/data/datagen"
	"github.com/ks-no/digihjelpen/ticket"
)

// scenarioEnv is a web server over datagen.Scenario, whose 2026-W13 answers data's tests check
// number by number: here the pages, files and API must show the same numbers.
func scenarioEnv(t *testing.T) *testEnv {
	t.Helper()
	e := newTestEnv(t, "http://127.0.0.1:8080")
	if err := datagen.Scenario(context.Background(), e.db); err != nil {
		t.Fatal(err)
	}
	e.db.Now = time.Now
	return e
}

func TestStatsPage(t *testing.T) {
	e := scenarioEnv(t)
	b := e.browser()
	if resp, _ := b.get("/statistikk"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("logged out: got status %d, want 303 to the login", resp.StatusCode)
	}
	b.login("agent@ks.no")
	resp, body := b.get("/statistikk?uke=2026-W13")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("got status %d: %s", resp.StatusCode, body)
	}
	for _, want := range []string{
		"Statistikk for uke 13 2026", `aria-current="page">Statistikk`,
		`<th scope="row">Nye saker</th><td>7</td>`, `<th scope="row">Løste saker</th><td>5</td>`,
		`<th scope="row">Åpne ved ukeslutt</th><td>7</td>`, `<th scope="row">Første svar, median (timer)</th><td>7,5</td>`,
		`<th scope="row">Løsningstid, 90-persentil (arbeidstimer)</th><td>31,6</td>`,
		`role="img" aria-labelledby="uker-tittel"`, `role="img" aria-labelledby="svartid-tittel"`, `role="img" aria-labelledby="fylker-tittel"`,
		`<figcaption id="fylker-beskrivelse">`, "Flest fra Innlandet (3)",
		`href="/statistikk/rapport?uke=2026-W13&amp;format=xlsx"`, `href="/statistikk?uke=2026-W12"`, `href="/statistikk?uke=2026-W14"`,
		`<th scope="row">Lillehammer <span class="key">3405</span></th><td>3</td>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	this := ticket.WeekOf(time.Now())
	if _, body := b.get("/statistikk"); !strings.Contains(body, fmt.Sprintf("Statistikk for uke %d %d", this.Week, this.Year)) {
		t.Errorf("default page: want the current week, %s", this)
	}
	if _, body := b.get("/statistikk?uke=" + this.String()); !strings.Contains(body, "Statistikk for uke") || strings.Contains(body, "Neste uke") {
		t.Errorf("this week's page: want no link to a week that has not begun")
	}
}

func TestStatsPageErrors(t *testing.T) {
	e := scenarioEnv(t)
	b := e.browser()
	b.login("agent@ks.no")
	tests := []struct {
		name, path, want string
	}{
		{"ErrWeekFormat", "/statistikk?uke=uke47", "«uke47» er ikke en uke"},
		{"ErrFutureWeek", "/statistikk?uke=2099-W01", "har ikke begynt ennå"},
		{"ErrDownloadWeek", "/statistikk/rapport?uke=2026-W99&format=csv", "Uke 99 finnes ikke i 2026"},
		{"ErrExportDates", "/statistikk/saker?fra=1.13.2026&til=2026-01-01", "Skriv fra-datoen som"},
		{"ErrExportOrder", "/statistikk/saker?fra=2026-02-01&til=2026-01-01", "Til-datoen kan ikke være før fra-datoen."},
		{"ErrExportFormat", "/statistikk/saker?fra=2026-01-01&til=2026-01-31&format=pdf", "Ukjent format «pdf»"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := b.get(tt.path)
			if resp.StatusCode != http.StatusBadRequest {
				t.Errorf("got status %d, want 400", resp.StatusCode)
			}
			if !strings.Contains(body, tt.want) || !strings.Contains(body, `class="field-error"`) || !strings.Contains(body, `aria-invalid="true"`) {
				t.Errorf("got a page without the error %q beside its field", tt.want)
			}
		})
	}
}

func TestStatsReportFiles(t *testing.T) {
	e := scenarioEnv(t)
	b := e.browser()
	b.login("agent@ks.no")
	get := func(format string) (*http.Response, string) {
		t.Helper()
		resp, body := b.get("/statistikk/rapport?uke=2026-W13&format=" + format)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: got status %d: %s", format, resp.StatusCode, body)
		}
		if want := `attachment; filename="digihjelpen-uke-2026-W13.`; !strings.HasPrefix(resp.Header.Get("Content-Disposition"), want) {
			t.Errorf("%s: Content-Disposition %q", format, resp.Header.Get("Content-Disposition"))
		}
		return resp, body
	}

	resp, body := get("csv")
	if ct := resp.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Errorf("csv content type %q", ct)
	}
	if !strings.HasPrefix(body, "\ufeffuke;del;kode;navn;mål;felt;verdi\r\n") {
		t.Errorf("csv starts %q", body[:min(len(body), 60)])
	}
	for _, want := range []string{
		"2026-W13;Sammendrag;;;Nye saker;new;7\r\n", "2026-W13;Sammendrag;;;Første svar, median (timer);first_response_hours.median;7,5\r\n",
		"2026-W13;Etater;nav;NAV;Nye;new;1\r\n", "2026-W13;Kommuner;3405;Lillehammer;Nye;new;3\r\n",
		"2026-W13;Henvisninger;nav;NAV;Svartid, median (timer);answer_hours.median;\r\n", "2026-W13;Topp 10 kommuner;4601;Bergen;Plass;rank;2\r\n",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("csv lacks %q", want)
		}
	}
	_, body = get("csv-comma")
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff")))
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, row := range rows {
		if row[1] == "Sammendrag" && row[5] == "resolution_hours.p90" {
			found = row[6] == "118"
		}
		if row[1] == "Sammendrag" && row[5] == "first_response_hours.p90" && row[6] != "50.1" {
			t.Errorf("comma csv: p90 %q, want 50.1", row[6])
		}
	}
	if !found {
		t.Error("comma csv: no resolution p90 of 118")
	}

	_, body = get("xlsx")
	f, err := excelize.OpenReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := strings.Join(f.GetSheetList(), ","); got != "Sammendrag,Etater,Kanaler,Fylker,Topp 10 kommuner,Henvisninger,Kommuner,Tema,Stikkord,Hull i håndboken,Tilbakemeldinger,Besvart av håndboken" {
		t.Errorf("sheets %s", got)
	}
	if typ, _ := f.GetCellType("Sammendrag", "B7"); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		t.Errorf("new tickets cell is %v, want a number", typ)
	}
	if v, _ := f.GetCellValue("Sammendrag", "B7", excelize.Options{RawCellValue: true}); v != "7" {
		t.Errorf("Sammendrag!B7 = %q, want 7", v)
	}
	if v, _ := f.GetCellValue("Sammendrag", "B2"); v != "23.03.2026" {
		t.Errorf("from date shows as %q, want 23.03.2026", v)
	}
	if v, _ := f.GetCellValue("Sammendrag", "B2", excelize.Options{RawCellValue: true}); v != "46104" {
		t.Errorf("from date is %q, want the Excel serial 46104", v)
	}
	if v, _ := f.GetCellValue("Etater", "E2", excelize.Options{RawCellValue: true}); v != "0" { // KS referred
		t.Errorf("Etater!E2 = %q, want 0", v)
	}

	_, body = get("json")
	var j map[string]any
	if err := json.Unmarshal([]byte(body), &j); err != nil {
		t.Fatal(err)
	}
	if j["new"] != 7.0 || j["week"] != "2026-W13" {
		t.Errorf("json: new %v week %v", j["new"], j["week"])
	}
}

func TestAPIStatsWeekly(t *testing.T) {
	e := scenarioEnv(t)
	token := e.apiToken()
	resp, v := e.api(http.MethodGet, "/api/v1/stats/weekly?week=2026-W13", token)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("got status %d: %v", resp.StatusCode, v)
	}
	get := func(path string) any {
		var x any = v
		for _, k := range strings.Split(path, ".") {
			m, ok := x.(map[string]any)
			if !ok {
				return nil
			}
			x = m[k]
		}
		return x
	}
	tests := []struct {
		path string
		want any
	}{
		{"week", "2026-W13"}, {"from", "2026-03-23T00:00:00+01:00"}, {"to", "2026-03-30T00:00:00+02:00"},
		{"new", 7.0}, {"resolved", 5.0}, {"referred", 2.0}, {"reopened", 3.0}, {"open_at_end", 7.0}, {"open_at_start", 3.0},
		{"without_response", 4.0}, {"resolved_without_response", 1.0},
		{"by_agency.nav.new", 1.0}, {"by_agency.nav.resolved", 2.0}, {"by_agency.nav.referred", 1.0}, {"by_agency.ks.open_at_end", 5.0},
		{"by_agency.nav.name", "NAV"}, {"by_agency.kompetanse-norge.new", 0.0},
		{"by_channel.email", 5.0}, {"by_channel.web", 2.0}, {"by_channel_detail.web.resolved", 3.0},
		{"by_county.34.name", "Innlandet"}, {"by_county.34.new", 3.0}, {"by_county.ukjent.new", 1.0},
		{"by_municipality.3405.name", "Lillehammer"}, {"by_municipality.3405.new", 3.0},
		{"first_response_hours.median", 7.5}, {"first_response_hours.p90", 50.1}, {"first_response_hours.business_median", 1.75},
		{"first_response_hours.business_p90", 2.0}, {"first_response_hours.count", 4.0},
		{"resolution_hours.median", 69.0}, {"resolution_hours.p90", 118.0}, {"resolution_hours.business_median", 20.0},
		{"resolution_hours.business_p90", 31.6},
		{"referrals.skatteetaten.answered", 2.0}, {"referrals.nav.open_at_end", 1.0}, {"referrals.nav.answer_hours.median", nil},
	}
	for _, tt := range tests {
		if got := get(tt.path); got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.path, got, tt.want)
		}
	}
	if top, _ := v["top_municipalities"].([]any); len(top) != 3 || top[0].(map[string]any)["number"] != "3405" {
		t.Errorf("top_municipalities: %v", v["top_municipalities"])
	}

	for name, path := range map[string]string{"ErrWeek": "/api/v1/stats/weekly?week=2026-W60", "ErrFormat": "/api/v1/stats/weekly?format=pdf"} {
		if resp, v := e.api(http.MethodGet, path, token); resp.StatusCode != http.StatusBadRequest || v["error"] == nil {
			t.Errorf("%s: got %d %v, want 400 with an error", name, resp.StatusCode, v)
		}
	}
	if resp, _ := e.api(http.MethodGet, "/api/v1/stats/weekly", ""); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("without token: got %d, want 401", resp.StatusCode)
	}
	req := httptest.NewRequest(http.MethodGet, "/api/v1/stats/weekly?week=2026-W13&format=xlsx", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := e.srv.App().Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || !bytes.HasPrefix(body, []byte("PK")) {
		t.Errorf("xlsx from the API: status %d, starts %q", resp.StatusCode, body[:min(4, len(body))])
	}
}

func TestStatsTicketExport(t *testing.T) {
	e := scenarioEnv(t)
	e.createTicket("=HYPERLINK(\"http://x\")", "kari@lillehammer.kommune.no") // today: outside the period
	b := e.browser()
	b.login("agent@ks.no")

	resp, body := b.get("/statistikk/saker?fra=2026-03-16&til=2026-03-29&format=csv")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("got status %d: %s", resp.StatusCode, body)
	}
	if got := resp.Header.Get("Content-Disposition"); !strings.HasPrefix(got, `attachment; filename="digihjelpen-saker-2026-03-16-2026-03-29.csv";`) {
		t.Errorf("Content-Disposition %q", got)
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff")))
	r.Comma = ';'
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1+12 { // T0 … T12 but T8, created Monday 30 March 00:00
		t.Fatalf("got %d rows, want a header and 12 tickets", len(rows))
	}
	if rows[0][0] != "Sak" || rows[0][12] != "Timer til første svar" {
		t.Errorf("header %v", rows[0])
	}
	var t1 []string
	for _, row := range rows {
		if row[21] == "Scenario T1" {
			t1 = row
		}
	}
	// T1: created Friday 15:00, answered Monday 09:00 (66 h, 2 business hours), resolved 12:00
	want := map[int]string{1: "2026-03-20 15:00", 2: "2026-W12", 3: "Løst", 4: "NAV", 5: "Nettskjema", 8: "Oslo",
		11: "2026-03-23 09:00", 12: "66", 13: "2", 14: "2026-03-23 12:00", 15: "69", 16: "5"}
	for i, w := range want {
		if len(t1) <= i || t1[i] != w {
			t.Errorf("T1 column %d (%s): got %q, want %q", i, rows[0][i], t1[min(i, len(t1)-1)], w)
		}
	}

	_, body = b.get("/statistikk/saker?uke=2026-W13&format=json")
	var list []map[string]any
	if err := json.Unmarshal([]byte(body), &list); err != nil {
		t.Fatalf("json export: %v", err)
	}
	if len(list) != 7 {
		t.Errorf("json export of W13: %d tickets, want 7", len(list))
	}

	today := time.Now().In(ticket.Oslo).Format("2006-01-02") // the period is in Oslo dates (the machine's clock may be UTC)
	_, body = b.get("/statistikk/saker?fra=" + today + "&til=" + today + "&format=csv")
	if !strings.Contains(body, "'=HYPERLINK") {
		t.Errorf("a subject starting with = must be kept from being a formula: %q", body)
	}

	resp, body = b.get("/statistikk/saker?uke=2026-W13&format=xlsx")
	f, err := excelize.OpenReader(strings.NewReader(body))
	if err != nil {
		t.Fatalf("xlsx export (status %d): %v", resp.StatusCode, err)
	}
	defer f.Close()
	xrows, err := f.GetRows("Saker")
	if err != nil || len(xrows) != 8 {
		t.Fatalf("xlsx export: %d rows, %v", len(xrows), err)
	}
	if typ, _ := f.GetCellType("Saker", "B2"); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		t.Errorf("created is %v, want a date (a number)", typ)
	}

	events, err := e.srv.Events.FindEvents(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	exports := 0
	for _, ev := range events {
		if ev.Kind == ticket.EventExported && ev.Actor == "agent@ks.no" {
			exports++
		}
	}
	if exports != 4 {
		t.Errorf("audit trail has %d exports, want 4", exports)
	}
}
