package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ks-no/digihjelpen/ticket"
)

const navTemplateRules = "[[rules]]\nname = \"Meldekort\"\nwords = [\"meldekort\"]\nagency = \"nav\"\ntemplate = \"nav-videre\"\n"

// TestAckTemplateAdmin walks the acknowledgement templates through the admin pages: a refused
// form with the errors beside the fields, a preview that saves nothing, create, a stale save,
// save, the default that cannot be deleted, and a delete that warns about the rule using it.
// After every save the composer uses the new version at once.
func TestAckTemplateAdmin(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080")
	rules := e.withRouting()
	admin := e.browser()
	admin.login("admin@ks.no")
	agent := e.browser()
	agent.login("agent@ks.no")
	if resp, _ := agent.get("/admin/svarmaler/kvitteringer/standard"); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("agent: %d, want 403", resp.StatusCode)
	}
	ctx := ticket.NewContextWithActor(context.Background(), ticket.Actor{Name: "admin@ks.no", Role: ticket.RoleAdmin})
	if _, err := rules.SaveRules(ctx, navTemplateRules, "mal for NAV"); err != nil {
		t.Fatal(err)
	}
	token := admin.csrf("/admin/svarmaler/kvitteringer/ny")
	text := "Hei {navn}! Saken {saksnummer} gjelder {etat}. Følg den her: {statuslenke}"
	form := func(kv ...string) url.Values {
		v := url.Values{"csrf": {token}}
		for i := 0; i < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v
	}
	tests := []struct {
		name, method, path string
		form               url.Values
		wantStatus         int
		want               []string // in the page, unescaped
		wantVersion        int      // of nav-videre in the composer afterwards; -1: none
	}{
		{"list warns about the missing template", "GET", "/admin/svarmaler", nil, 200,
			[]string{"Regelen «Meldekort» (linje 5) nevner «nav-videre»", "Sendes videre til etat", "Alle saker ingen regel velger mal for"}, -1},
		{"ErrCreate beside the fields", "POST", "/admin/svarmaler/kvitteringer", form("name", "Til NAV", "title", "", "text", "Hei"), 422,
			[]string{`id="name-feil"`, `id="title-feil"`, `id="text-feil"`, "Malnavnet kan bare ha små bokstaver", "Gi malen en tittel", "{saksnummer}", `value="Til NAV"`}, -1},
		{"preview saves nothing", "POST", "/admin/svarmaler/kvitteringer", form("name", "nav-videre", "title", "Videre til NAV", "text", text, "handling", "forhandsvis"), 200,
			[]string{"Forhåndsvisning av teksten over (ikke lagret)", "Hei Kari Nordmann! Saken DH-", "gjelder NAV. Følg den her: http://127.0.0.1:8080/sak/eksempel"}, -1},
		{"create", "POST", "/admin/svarmaler/kvitteringer", form("name", "nav-videre", "title", "Videre til NAV", "text", text), 303, nil, 1},
		{"ErrCreate name taken", "POST", "/admin/svarmaler/kvitteringer", form("name", "nav-videre", "title", "Igjen", "text", text), 422,
			[]string{"Det finnes allerede en kvitteringsmal med navnet «nav-videre»"}, 1},
		{"edit shows the rules using it", "GET", "/admin/svarmaler/kvitteringer/nav-videre", nil, 200,
			[]string{"Kvitteringsmal: Videre til NAV", "Regelen «Meldekort»", "Nå versjon 1, lagret av admin@ks.no", "Slett kvitteringsmalen"}, 1},
		{"ErrSave stale", "POST", "/admin/svarmaler/kvitteringer/nav-videre", form("version", "0", "title", "Videre til NAV", "text", text+"!"), 409,
			[]string{"er endret av admin@ks.no siden du åpnet den (nå versjon 1)", text + "!</textarea>"}, 1},
		{"ErrSave invalid", "POST", "/admin/svarmaler/kvitteringer/nav-videre", form("version", "1", "title", "Videre til NAV", "text", "Hei {etternavn}"), 422,
			[]string{`id="text-feil"`, "{saksnummer}"}, 1},
		{"save", "POST", "/admin/svarmaler/kvitteringer/nav-videre", form("version", "1", "title", "Til NAV", "text", text+" Hilsen KS"), 303, nil, 2},
		{"versions", "GET", "/admin/svarmaler/kvitteringer/nav-videre", nil, 200, []string{"Tidligere versjoner (2)", "Hilsen KS"}, 2},
		{"ErrDelete default page", "GET", "/admin/svarmaler/kvitteringer/standard/slett", nil, 400, []string{"Standardkvitteringen kan ikke slettes"}, 2},
		{"ErrDelete default", "POST", "/admin/svarmaler/kvitteringer/standard/slett", form("version", "0"), 400, nil, 2},
		{"delete asks first and names the rule", "GET", "/admin/svarmaler/kvitteringer/nav-videre/slett", nil, 200,
			[]string{"Slette kvitteringsmalen «Til NAV»?", "«Meldekort» (linje 5 i reglene)", "får de sakene standardkvitteringen"}, 2},
		{"ErrDelete stale", "POST", "/admin/svarmaler/kvitteringer/nav-videre/slett", form("version", "1"), 409, []string{"Se gjennom endringen før du sletter"}, 2},
		{"delete", "POST", "/admin/svarmaler/kvitteringer/nav-videre/slett", form("version", "2"), 303, nil, -1},
		{"gone", "GET", "/admin/svarmaler/kvitteringer/nav-videre", nil, 404, nil, -1},
		{"ErrBadName", "GET", "/admin/svarmaler/kvitteringer/..%2Fx", nil, 404, nil, -1},
		{"rules page warns", "GET", "/admin/regler", nil, 200, []string{`id="regelvarsler"`, "linje 5: regelen «Meldekort»: template: kvitteringsmalen «nav-videre» finnes ikke"}, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var resp *http.Response
			var body string
			if tt.method == "GET" {
				resp, body = admin.get(tt.path)
			} else {
				resp, body = admin.post(tt.path, tt.form)
			}
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("got %d, want %d:\n%s", resp.StatusCode, tt.wantStatus, body)
			}
			page := html.UnescapeString(body)
			for _, w := range tt.want {
				if !strings.Contains(page, w) {
					t.Errorf("page lacks %q", w)
				}
			}
			got, ok := e.srv.Composer.FindAckTemplate("nav-videre")
			if (tt.wantVersion < 0 && ok) || (tt.wantVersion >= 0 && (!ok || got.Version != tt.wantVersion)) {
				t.Fatalf("composer has %+v %v, want version %d", got, ok, tt.wantVersion)
			}
		})
	}
}

// TestAckTemplateInHistory: the ticket page says which template the acknowledgement used.
func TestAckTemplateInHistory(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080")
	e.srv.Composer.SetAckTemplate(&ticket.AckTemplate{Name: "nav-videre", Title: "Videre til NAV", Text: "{saksnummer} {statuslenke}", Version: 3})
	tests := []struct{ name, template, want string }{
		{"named", "nav-videre", "Kvittering sendt til innsender med malen «Videre til NAV», versjon 3."},
		{"missing", "borte", "Kvittering sendt til innsender med standardmalen «Standard», den innebygde teksten, fordi kvitteringsmalen «borte» som rutingsregelen valgte, ikke finnes."},
	}
	admin := e.browser()
	admin.login("admin@ks.no")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tk := &ticket.Ticket{Subject: "Meldekort", Status: ticket.StatusNew, Agency: "nav", Priority: ticket.PriorityNormal, Channel: ticket.ChannelEmail,
				Template: tt.template, Requester: ticket.Requester{Name: "Kari", Email: "kari@hamar.kommune.no"}}
			m := &ticket.Message{Direction: ticket.DirectionIn, From: "kari@hamar.kommune.no", Text: "Hei"}
			if err := e.tickets.CreateTicket(context.Background(), tk, m, ticket.CreateOptions{Acknowledge: e.srv.Acknowledge}); err != nil {
				t.Fatal(err)
			}
			if _, body := admin.get("/saker/" + tk.Ref.String()); !strings.Contains(html.UnescapeString(body), tt.want) {
				t.Fatalf("ticket page lacks %q", tt.want)
			}
		})
	}
}
