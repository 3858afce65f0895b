package web_test

import (
	"html"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/ks-no/digihjelpen/ticket"
)

var (
	mapLink  = regexp.MustCompile(`<a href="/kart/(\d{4})" aria-label="([^"]*)"><path id="k(\d{4})"`)
	tableRow = regexp.MustCompile(`(?s)<tr>\s*<th scope="row"><a href="/kart/(\d{4})">([^<]*)</a></th>\s*<td>[^<]*</td>\s*<td class="verdi[^"]*">(?:<span[^>]*>)?([^<]*)`)
)

// mapAndTable reads a map page: each municipality's link in the svg with its name, and each
// row of the table, as number -> "name: value".
func mapAndTable(t *testing.T, body string) (areas, rows map[string]string) {
	t.Helper()
	areas, rows = map[string]string{}, map[string]string{}
	svg := body[strings.Index(body, "<svg"):strings.LastIndex(body, "</svg>")]
	for _, m := range mapLink.FindAllStringSubmatch(svg, -1) {
		if m[1] != m[3] {
			t.Errorf("link %s wraps the outline of %s", m[1], m[3])
		}
		if _, dup := areas[m[1]]; dup {
			t.Errorf("%s is linked twice", m[1])
		}
		areas[m[1]] = html.UnescapeString(m[2])
	}
	for _, m := range tableRow.FindAllStringSubmatch(body, -1) {
		rows[m[1]] = html.UnescapeString(m[2]) + ": " + strings.TrimSpace(html.UnescapeString(m[3]))
	}
	return areas, rows
}

// TestMapEqualsTable: the public map has all 357 municipalities, each linked to its page and
// named by its name and status, and the table under it says the same for each.
func TestMapEqualsTable(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080")
	ctx := ctxAs("agent@ks.no")
	for _, o := range []*ticket.Offer{
		{Number: "3405", Status: ticket.OfferAvailable, Venues: []ticket.Venue{ticket.VenueLibrary}},
		{Number: "1804", Status: ticket.OfferEstablishing},
		{Number: "5501", Status: ticket.OfferAvailable},
	} {
		if err := e.register.SaveOffer(ctx, o, 0); err != nil {
			t.Fatal(err)
		}
	}
	resp, body := e.browser().get("/kart")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	areas, rows := mapAndTable(t, body)
	if len(areas) != 357 || len(rows) != 357 {
		t.Fatalf("got %d areas and %d table rows, want 357 of each", len(areas), len(rows))
	}
	units := registerUnits()
	for number, label := range areas {
		u, ok := units.Find(number)
		if !ok {
			t.Errorf("%s on the map is no municipality", number)
			continue
		}
		if rows[number] != label {
			t.Errorf("%s: map says %q, table %q", number, label, rows[number])
		}
		if !strings.HasPrefix(label, u.Name+": ") {
			t.Errorf("%s: label %q does not start with its name %s", number, label, u.Name)
		}
	}
	for number, want := range map[string]string{"3405": "Lillehammer: Har tilbud", "1804": "Bodø: Under etablering", "0301": "Oslo: Ikke kjent"} {
		if areas[number] != want {
			t.Errorf("%s: got %q, want %q", number, areas[number], want)
		}
	}
	for _, want := range []string{`<title id="kart-tittel">`, `<desc id="kart-beskrivelse">`, "Kartdata: © Kartverket", `href="#tabell"`,
		`<strong>2</strong> kommuner`, "Har tilbud <span class=\"muted\">(2 kommuner)"} {
		if !strings.Contains(body, want) {
			t.Errorf("map page lacks %q", want)
		}
	}
	if strings.Contains(body, "lag=saker") {
		t.Error("a visitor who is not logged in must not get the staff layers")
	}
}

// TestMapETag: the public map is sent again only when it changed.
func TestMapETag(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080")
	get := func(etag string) *http.Response {
		req := httptest.NewRequest(http.MethodGet, "/kart", nil)
		if etag != "" {
			req.Header.Set("If-None-Match", etag)
		}
		resp, err := e.srv.App().Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	first := get("")
	etag := first.Header.Get("ETag")
	if etag == "" || first.Header.Get("Cache-Control") != "no-cache" {
		t.Fatalf("ETag %q, Cache-Control %q", etag, first.Header.Get("Cache-Control"))
	}
	if resp := get(etag); resp.StatusCode != http.StatusNotModified {
		t.Errorf("same map: got %d, want 304", resp.StatusCode)
	}
	if err := e.register.SaveOffer(ctxAs("agent@ks.no"), &ticket.Offer{Number: "3405", Status: ticket.OfferAvailable}, 0); err != nil {
		t.Fatal(err)
	}
	if resp := get(etag); resp.StatusCode != http.StatusOK || resp.Header.Get("ETag") == etag {
		t.Errorf("changed register: got %d with ETag %s, want 200 and a new ETag", resp.StatusCode, resp.Header.Get("ETag"))
	}
	b := e.browser()
	b.login("agent@ks.no")
	if resp, _ := b.get("/kart"); resp.Header.Get("ETag") != "" || resp.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("staff map: ETag %q, Cache-Control %q, want none and no-store", resp.Header.Get("ETag"), resp.Header.Get("Cache-Control"))
	}
}

// TestMapStaffLayers: staff see the questions of a period and the municipalities never heard
// from, each on the map and in the table alike.
func TestMapStaffLayers(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080")
	e.createTicket("Kurs i BankID", "kari@lillehammer.kommune.no")
	e.createTicket("Skattemeldingen", "per@lillehammer.kommune.no")
	b := e.browser()
	b.login("agent@ks.no")

	_, body := b.get("/kart?lag=saker")
	areas, rows := mapAndTable(t, body)
	if areas["3405"] != "Lillehammer: 2" || rows["3405"] != "Lillehammer: 2" || areas["0301"] != "Oslo: 0" {
		t.Errorf("questions layer: Lillehammer %q/%q, Oslo %q", areas["3405"], rows["3405"], areas["0301"])
	}
	if len(areas) != 357 || len(rows) != 357 {
		t.Errorf("questions layer: %d areas, %d rows", len(areas), len(rows))
	}
	if !strings.Contains(body, `aria-current="page">Spørsmål i en periode`) || !strings.Contains(body, "2 spørsmål <span class=\"muted\">(1 kommuner)") {
		t.Error("questions layer: tab or legend missing")
	}

	_, body = b.get("/kart?lag=saker&fra=2000-01-01&til=2000-12-31")
	if areas, _ := mapAndTable(t, body); areas["3405"] != "Lillehammer: 0" {
		t.Errorf("a period without questions: %q", areas["3405"])
	}

	resp, body := b.get("/kart?lag=saker&fra=i+går&til=2026-01-01")
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="fra-feil"`) || !strings.Contains(body, `value="i går"`) {
		t.Errorf("a bad date: status %d, want 422 with the error beside the field and the text kept", resp.StatusCode)
	}

	_, body = b.get("/kart?lag=aldri")
	areas, rows = mapAndTable(t, body)
	if areas["3405"] != "Lillehammer: 2" || areas["1804"] != "Bodø: Aldri hørt fra" || rows["1804"] != areas["1804"] {
		t.Errorf("silent layer: Lillehammer %q, Bodø %q/%q", areas["3405"], areas["1804"], rows["1804"])
	}
	if !strings.Contains(body, "Aldri hørt fra <span class=\"muted\">(356 kommuner)") {
		t.Error("silent layer: legend count missing")
	}

	_, body = e.browser().get("/kart?lag=aldri")
	if areas, _ := mapAndTable(t, body); areas["1804"] != "Bodø: Ikke kjent" {
		t.Errorf("a visitor asking for a staff layer must get the offers: %q", areas["1804"])
	}
	e.addUser("leser@ks.no", ticket.RoleReader)
	reader := e.browser()
	reader.login("leser@ks.no")
	for _, layer := range []string{"saker", "aldri"} {
		_, body = reader.get("/kart?lag=" + layer)
		if areas, _ := mapAndTable(t, body); areas["3405"] != "Lillehammer: Ikke kjent" || strings.Contains(body, "lag=saker") {
			t.Errorf("a reader asking for the layer %s must get the public map: %q", layer, areas["3405"])
		}
	}
}

func TestMapSearch(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080")
	b := e.browser()
	tests := []struct {
		name     string
		q        string
		location string // a redirect to one municipality
		rows     int
	}{
		{"one match goes to its page", "lillehammer", "/kart/3405", 0},
		{"without æøå", "baerum", "/kart/3201", 0},
		{"by number", "5501", "/kart/5501", 0},
		{"two Herøy", "herøy", "", 2},
		{"none", "atlantis", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := b.get("/kart?q=" + strings.ReplaceAll(tt.q, "ø", "%C3%B8"))
			if tt.location != "" {
				if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != tt.location {
					t.Fatalf("got %d to %s, want a redirect to %s", resp.StatusCode, resp.Header.Get("Location"), tt.location)
				}
				return
			}
			_, rows := mapAndTable(t, body)
			if len(rows) != tt.rows {
				t.Errorf("got %d rows, want %d", len(rows), tt.rows)
			}
			if areas, _ := mapAndTable(t, body); len(areas) != 357 {
				t.Errorf("the map must keep every municipality: %d", len(areas))
			}
		})
	}
}

// TestMapEntry: a municipality's public page shows its offer but never the staff's note or
// flag, and a map of its county.
func TestMapEntry(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080")
	if err := e.register.SaveOffer(ctxAs("agent@ks.no"), &ticket.Offer{Number: "3405", Status: ticket.OfferAvailable,
		Venues: []ticket.Venue{ticket.VenueLibrary}, Address: "Wiers-Jenssens gate 1", Hours: "Tirsdager 10–14",
		Web: "https://www.lillehammer.kommune.no/digihjelp", SpecialNeed: true, Note: "Intern merknad"}, 0); err != nil {
		t.Fatal(err)
	}
	resp, body := e.browser().get("/kart/3405")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	for _, want := range []string{"<h1>Lillehammer</h1>", "Har tilbud", "Bibliotek", "Wiers-Jenssens gate 1", "Tirsdager 10–14",
		`href="https://www.lillehammer.kommune.no/digihjelp"`, `<title id="kart-tittel">Lillehammer i Innlandet</title>`, "Kartdata: © Kartverket"} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	for _, never := range []string{"Intern merknad", "ærskilt behov", "/kommuner/3405"} {
		if strings.Contains(body, never) {
			t.Errorf("the public page shows %q", never)
		}
	}
	areas, _ := mapAndTable(t, body)
	if _, ok := areas["3407"]; !ok || len(areas) < 40 {
		t.Errorf("the county map links %d municipalities (Gjøvik: %v), want Innlandet's 46 and some around", len(areas), ok)
	}
	for _, path := range []string{"/kart/9999", "/kart/34", "/kart/abc"} {
		if resp, _ := e.browser().get(path); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: got %d, want 404", path, resp.StatusCode)
		}
	}
	b := e.browser()
	b.login("agent@ks.no")
	if _, body := b.get("/kart/3405"); !strings.Contains(body, `href="/kommuner/3405"`) {
		t.Error("staff get a link to the register entry")
	}
	e.addUser("leser@ks.no", ticket.RoleReader)
	reader := e.browser()
	reader.login("leser@ks.no")
	if resp, body := reader.get("/kart/3405"); resp.StatusCode != http.StatusOK || strings.Contains(body, `href="/kommuner/3405"`) {
		t.Errorf("a reader gets the public page without the register's link: %d", resp.StatusCode)
	}
}
