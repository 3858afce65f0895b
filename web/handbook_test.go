package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

// seedHandbook stores three articles as staff would.
func seedHandbook(t *testing.T, e *testEnv) {
	t.Helper()
	_, err := e.handbook.ImportArticles(ctxAs("agent@ks.no"), []*ticket.Article{
		{Slug: "logge-inn-pa-nav", Title: "Når innbyggeren ikke får logget inn på nav.no",
			Text: "## Sjekk dette først\n\n- Har innbyggeren **BankID** eller MinID?\n- Prøv [ID-porten](https://idporten.no).\n\n<script>alert(1)</script>\n\n[farlig](javascript:alert(1))",
			Tags: []string{"nav", "innlogging"}, Agencies: []string{"nav"}},
		{Slug: "endre-skattekortet", Title: "Endre skattekortet", Text: "Skattekortet endres på skatteetaten.no.", Tags: []string{"skatt"}, Agencies: []string{"skatteetaten"}},
		{Slug: "kurs-for-seniorer", Title: "Kurs for seniorer", Text: "Biblioteket holder kurs i digitale ferdigheter."},
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestHandbookPages(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080")
	seedHandbook(t, e)
	b := e.browser()
	resp, body := b.get("/handbok")
	if resp.StatusCode != http.StatusOK || strings.Count(body, `<li>
  <h2><a href="/handbok/`) != 3 || strings.Contains(body, "/handbok/ny") {
		t.Fatalf("list: %d, want three articles and no edit link for a visitor", resp.StatusCode)
	}
	tests := []struct {
		name, query string
		want        []string
	}{
		{"by tag", "?stikkord=skatt", []string{"endre-skattekortet"}},
		{"by agency", "?etat=nav", []string{"logge-inn-pa-nav"}},
		{"by words, inflected", "?q=skattekortene", []string{"endre-skattekortet"}},
		{"by title", "?q=kurs", []string{"kurs-for-seniorer"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, body := b.get("/handbok" + tt.query)
			if n := strings.Count(body, `<h2><a href="/handbok/`); n != len(tt.want) {
				t.Errorf("got %d articles, want %v", n, tt.want)
			}
			for _, slug := range tt.want {
				if !strings.Contains(body, `<h2><a href="/handbok/`+slug+`">`) {
					t.Errorf("lacks %s", slug)
				}
			}
		})
	}

	resp, body = b.get("/handbok/logge-inn-pa-nav")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("article: %d", resp.StatusCode)
	}
	for _, want := range []string{"<h2>Sjekk dette først</h2>", "<li>Har innbyggeren <strong>BankID</strong> eller MinID?</li>",
		`<a href="https://idporten.no" rel="nofollow">ID-porten</a>`, "Gjelder: NAV"} {
		if !strings.Contains(body, want) {
			t.Errorf("article lacks %q", want)
		}
	}
	for _, never := range []string{"<script>alert", "javascript:"} {
		if strings.Contains(body, never) {
			t.Errorf("article has %q", never)
		}
	}
	if resp, _ := b.get("/handbok/finnes-ikke"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown article: %d", resp.StatusCode)
	}
}

// TestHandbookEdit: staff create, change and delete articles, each version kept, with the
// mistakes beside their fields.
func TestHandbookEdit(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080")
	b := e.browser()
	b.login("agent@ks.no")
	csrf := b.csrf("/handbok/ny")
	resp, body := b.post("/handbok", url.Values{"csrf": {csrf}, "tittel": {""}, "tekst": {"Tekst"}, "stikkord": {"ha mellomrom"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="tittel-feil"`) || !strings.Contains(body, `id="stikkord-feil"`) {
		t.Fatalf("invalid: %d", resp.StatusCode)
	}
	resp, _ = b.post("/handbok", url.Values{"csrf": {csrf}, "tittel": {"Bestille time på biblioteket"}, "tekst": {"Ring biblioteket."}, "stikkord": {"bibliotek, time"}, "etater": {"nasjonalbiblioteket"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/handbok/bestille-time-pa-biblioteket?ok=lagret" {
		t.Fatalf("create: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, _ = b.post("/handbok/bestille-time-pa-biblioteket", url.Values{"csrf": {csrf}, "versjon": {"1"}, "tittel": {"Bestille time på biblioteket"}, "tekst": {"Ring eller skriv til biblioteket."}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d", resp.StatusCode)
	}
	resp, body = b.post("/handbok/bestille-time-pa-biblioteket", url.Values{"csrf": {csrf}, "versjon": {"1"}, "tittel": {"Gammel"}, "tekst": {"Min tekst"}})
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, "Min tekst") {
		t.Errorf("stale save: %d, want 409 with the text kept", resp.StatusCode)
	}
	_, body = b.get("/handbok/bestille-time-pa-biblioteket")
	if !strings.Contains(body, "Versjon 2:") || !strings.Contains(body, "Ring eller skriv") {
		t.Error("the article page shows staff its versions")
	}
	resp, _ = b.post("/handbok/bestille-time-pa-biblioteket/slett", url.Values{"csrf": {csrf}, "versjon": {"2"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete: %d", resp.StatusCode)
	}
	if resp, _ := e.browser().get("/handbok/bestille-time-pa-biblioteket"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("deleted article: %d", resp.StatusCode)
	}
}

// TestHandbookOnTicketPage: the ticket page suggests the articles like its question, and the
// reply form inserts an article's link, without JavaScript too.
func TestHandbookOnTicketPage(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080")
	seedHandbook(t, e)
	tk := e.createTicket("Innbygger får ikke logget inn på nav.no", "kari@lillehammer.kommune.no")
	b := e.browser()
	b.login("agent@ks.no")
	_, body := b.get("/saker/" + tk.Ref.String())
	if !strings.Contains(body, `id="artikler"`) || !strings.Contains(body, `<a href="/handbok/logge-inn-pa-nav">`) {
		t.Fatal("no article suggested on the ticket page")
	}
	line := "«Når innbyggeren ikke får logget inn på nav.no»: http://127.0.0.1:8080/handbok/logge-inn-pa-nav"
	if !strings.Contains(body, `value="artikkel:logge-inn-pa-nav" data-text="`+line) {
		t.Error("the reply form does not offer the article's link")
	}
	resp, body := b.post("/saker/"+tk.Ref.String()+"/svar", url.Values{"csrf": {b.csrf("/saker/" + tk.Ref.String())}, "text": {"Hei!"},
		"handling": {"sett-inn"}, "mal": {"artikkel:logge-inn-pa-nav"}})
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Hei!\n\n"+line) {
		t.Errorf("insert without JavaScript: %d", resp.StatusCode)
	}
	_, body = b.get("/admin/svarmaler/ny")
	if strings.Contains(body, "Lenker til håndboken") {
		t.Error("an agent reached the admin page")
	}
	admin := e.browser()
	admin.login("admin@ks.no")
	if _, body := admin.get("/admin/svarmaler/ny"); !strings.Contains(body, line) {
		t.Error("the canned response form lacks the article links")
	}
}

// TestFormOffersArticles: the public form offers the articles like the question before it is
// sent: with the script as JSON while typing, without it as a step after «Send»; «Ja» counts
// a question answered and never sent, «Send likevel» sends it.
func TestFormOffersArticles(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080", publicOpts(0))
	seedHandbook(t, e)
	b := e.browser()

	resp, body := b.get("/handbok/forslag?tekst=" + url.QueryEscape("Hun får ikke logget inn på nav.no"))
	var got struct{ Articles []struct{ Title, URL string } }
	if err := json.Unmarshal([]byte(body), &got); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("suggestions: %d %v", resp.StatusCode, err)
	}
	if len(got.Articles) == 0 || got.Articles[0].URL != "/handbok/logge-inn-pa-nav?fra=skjema" {
		t.Fatalf("suggestions: %+v", got.Articles)
	}

	form := validForm(b)
	resp, body = b.postMultipart("/", form)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Kanskje dette svarer på spørsmålet?") || !strings.Contains(body, `action="/handbok/logge-inn-pa-nav/svarte"`) {
		t.Fatalf("the step: %d", resp.StatusCode)
	}
	if n := len(e.allTickets()); n != 0 {
		t.Fatalf("the step must store nothing: %d tickets", n)
	}
	if !strings.Contains(body, `name="sporsmal" value="Hvordan hjelper vi`) || !strings.Contains(body, `name="forslag_vist" value="1"`) {
		t.Error("the step must carry the question to send it unchanged")
	}

	resp, _ = b.post("/handbok/logge-inn-pa-nav/svarte", url.Values{"csrf": {b.csrf("/")}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/handbok/logge-inn-pa-nav?fra=skjema&takk=1" {
		t.Fatalf("answered: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	total, by, err := e.handbook.SelfHelpCounts(context.Background(), time.Now().Add(-time.Hour), time.Now().Add(time.Hour))
	if err != nil || total != 1 || by["logge-inn-pa-nav"] != 1 {
		t.Errorf("self-help counted: %d %v %v", total, by, err)
	}

	form.Set("forslag_vist", "1")
	resp, _ = b.postMultipart("/", form)
	if resp.StatusCode != http.StatusSeeOther || len(e.allTickets()) != 1 {
		t.Fatalf("send anyway: %d, %d tickets", resp.StatusCode, len(e.allTickets()))
	}

	// a question with a file goes straight on; so does one nothing in the handbook is like
	other := validForm(b)
	other.Set("sporsmal", "Hvor kjøper vi nye stoler til lesesalen?")
	if resp, _ := b.postMultipart("/", other); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("a question no article is like: %d", resp.StatusCode)
	}
	withFile := validForm(b)
	if resp, _ := b.postMultipart("/", withFile, upload{"vedlegg", "skjermbilde.png", pngBytes}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("a question with a file: %d", resp.StatusCode)
	}
}
