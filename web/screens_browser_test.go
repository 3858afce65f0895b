package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/ticket"
)

// screen is a width every staff page must be usable at: a phone (390 px, as an iPhone 12 to
// 15 shows a page) and a laptop (1,280 px).
type screen struct {
	name          string
	width, height int64
	mobile        bool
}

var screens = []screen{{"390", 390, 844, true}, {"1280", 1280, 900, false}}

// size sets the tab's viewport to s.
func (c *chrome) size(s screen) {
	c.t.Helper()
	opts := []chromedp.EmulateViewportOption{chromedp.EmulatePortrait}
	if s.mobile {
		opts = append(opts, chromedp.EmulateMobile, chromedp.EmulateTouch)
	}
	c.do(chromedp.EmulateViewport(s.width, s.height, opts...))
}

// overflow names the elements that stick out to the right of the page (so it would scroll
// sideways), "" when none does. Elements inside a box that scrolls by itself do not count.
func (c *chrome) overflow() string {
	c.t.Helper()
	return eval[string](c, `(() => {
		const w = document.documentElement.clientWidth;
		if (document.documentElement.scrollWidth <= w) return '';
		const clipped = el => {
			for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
				if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(p).overflowX)) return true;
			}
			return false;
		};
		const out = [];
		for (const el of document.querySelectorAll('body *')) {
			const r = el.getBoundingClientRect();
			if (r.right > w + 1 && r.width > 0 && !clipped(el)) {
				out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (typeof el.className === 'string' && el.className.trim() ? '.' + el.className.trim().split(/\s+/).join('.') : '') + ' (' + Math.round(r.right) + ' px)');
			}
			if (out.length >= 6) break;
		}
		return 'page is ' + document.documentElement.scrollWidth + ' px wide in ' + w + ' px: ' + out.join(', ');
	})()`)
}

// screensEnv is a server with every part on and something on every staff page: tickets with
// markers and previews, an overdue one, a referral, outbox mail, a webhook and saved views.
func screensEnv(t *testing.T) (*testEnv, *ticket.Ticket) {
	t.Helper()
	e := newAdminEnv(t)
	e.srv.Similar = e.tickets
	e.srv.Places = places()
	e.srv.PollEvery = 500 * time.Millisecond
	e.withRouting()
	main, _ := seedStaff(t, e)
	ctx := context.Background()
	if err := data.NewWebhookService(e.db).CreateWebhook(ctx, &ticket.Webhook{Name: "NAV-teamet", URL: "https://example.webhook.office.com/webhookb2/x",
		Secret: "whsec_x", Agencies: []string{"nav"}, Kinds: []ticket.NotifyKind{ticket.NotifyNewTicket}, Format: ticket.WebhookMessage}); err != nil {
		t.Fatal(err)
	}
	if err := data.NewSavedViewService(e.db).CreateSavedView(ctx, &ticket.SavedView{Name: "Ufordelte hos KS", Query: "vis=aktive&etat=ks&tildelt=ingen"}); err != nil {
		t.Fatal(err)
	}
	long := e.createTicket("Et svært langt emne om BankID, ID-porten, MinID, skattekort, dagpenger og alt det andre innbyggerne lurer på når de kommer til biblioteket", "en.svaert.lang.adresse.som.ikke.brytes@bibliotek.nordre-follo.kommune.no")
	if _, err := e.tickets.UpdateTicket(ctx, long.ID, ticket.TicketUpdate{Tags: &[]string{"bankid", "id-porten", "minid", "skattekort"}}); err != nil {
		t.Fatal(err)
	}
	return e, main
}

// TestBrowserStaffPagesFit opens every staff page at 390 and 1,280 px, with and without
// JavaScript: none scrolls sideways, and axe finds nothing. The screenshots are kept in
// testdata/screenshots (not committed), named page-width-js.
func TestBrowserStaffPagesFit(t *testing.T) {
	t.Parallel() // one of the longest: it overlaps the others that wait for the browser
	e, main := screensEnv(t)
	c := newChromeWithin(t, e, 5*time.Minute)
	c.login("admin@ks.no")
	pages := []struct{ name, path string }{
		{"innboks", "/innboks"}, {"innboks-alle", "/innboks?vis=alle"}, {"sak", "/saker/" + main.Ref.String()},
		{"henvisninger", "/henvisninger"}, {"utboks", "/utboks"}, {"karantene", "/karantene"}, {"statistikk", "/statistikk"},
		{"konto", "/konto"}, {"varsler", "/konto/varsler"}, {"tofaktor", "/konto/tofaktor"},
		{"admin", "/admin"}, {"admin-brukere", "/admin/brukere"}, {"admin-api-nokler", "/admin/api-nokler"},
		{"admin-etater", "/admin/etater"}, {"admin-svarmaler", "/admin/svarmaler"}, {"admin-svarmal-ny", "/admin/svarmaler/ny"},
		{"admin-kvittering-ny", "/admin/svarmaler/kvitteringer/ny"}, {"admin-regler", "/admin/regler"},
		{"admin-sikkerhetskopi", "/admin/sikkerhetskopi"}, {"admin-webhooker", "/admin/webhooker"},
	}
	for _, s := range screens {
		c.size(s)
		for _, js := range []bool{true, false} {
			mode := "js"
			if !js {
				mode = "uten-js"
			}
			for _, p := range pages {
				c.do(scriptsDisabled(!js))
				c.visit(p.path)
				if o := c.overflow(); o != "" {
					t.Errorf("%s at %s px (%s): %s", p.path, s.name, mode, o)
				}
				c.do(scriptsDisabled(false)) // axe is a script
				c.audit(fmt.Sprintf("%s-%s-%s", p.name, s.name, mode))
			}
		}
	}
}

// TestBrowserInboxAsCards: on a phone the inbox is a list of cards (a row is a box as wide as
// the screen, its facts under the subject), on a laptop a table.
func TestBrowserInboxAsCards(t *testing.T) {
	e, _ := screensEnv(t)
	c := newChrome(t, e)
	c.login("agent@ks.no")
	for _, s := range screens {
		c.size(s)
		c.visit("/innboks")
		display := eval[string](c, `getComputedStyle(document.querySelector('table.tickets tbody tr')).display`)
		rowWidth := eval[float64](c, `document.querySelector('table.tickets tbody tr').getBoundingClientRect().width`)
		header := eval[bool](c, `document.querySelector('table.tickets thead').getBoundingClientRect().height > 2`)
		switch s.name {
		case "390":
			if display != "block" || rowWidth < 300 || header {
				t.Errorf("at 390 px a row is %s, %.0f px wide, header shown %v; want a card", display, rowWidth, header)
			}
		case "1280":
			if display != "table-row" || !header {
				t.Errorf("at 1,280 px a row is %s, header shown %v; want a table", display, header)
			}
		}
	}
}

// TestBrowserBulkAndLiveInbox: ticking with x and with a click, the bulk form opening by
// itself, the confirmation and the result; then the list updating by itself while open when
// a ticket comes in, and with the script off the «Oppdater» link doing it.
func TestBrowserBulkAndLiveInbox(t *testing.T) {
	e, _ := screensEnv(t)
	c := newChrome(t, e)
	c.login("agent@ks.no")
	c.size(screens[0])
	c.visit("/innboks")
	c.do(chromedp.KeyEvent("j"), chromedp.WaitVisible(chromedp.CSS("tr.selected")), chromedp.KeyEvent("x"))
	if got := c.text("#antall-valgt"); got != "1 valgt" {
		t.Fatalf("after x: %q", got)
	}
	c.do(chromedp.Click(chromedp.CSS(`tbody tr:nth-child(2) input[name="sak"]`)))
	if got := c.text("#antall-valgt"); got != "2 valgt" || !eval[bool](c, `document.getElementById('endre-valgte').open`) {
		t.Fatalf("after a click: %q, bulk form open %v", got, eval[bool](c, `document.getElementById('endre-valgte').open`))
	}
	c.audit("innboks-valgt-390-js")
	c.do(chromedp.SetValue(chromedp.ID("ny-status"), string(ticket.StatusWaiting)))
	c.clickLoad(`button[name="handling"][value="status"]`)
	if got := c.text("main .panel .big"); got != "Sett status «Venter på innsender» på 2 saker." {
		t.Fatalf("confirmation %q", got)
	}
	c.audit("masse-bekreft-390")
	c.clickLoad(`form[action="/innboks/masse/bekreft"] button[type="submit"]`)
	if got := c.text("main h1"); got != "Sakene er endret" {
		t.Fatalf("result %q", got)
	}
	c.audit("masse-endret-390")

	// live: a ticket comes in while the inbox is open
	c.size(screens[1])
	c.visit("/innboks")
	e.createTicket("Helt ny sak mens innboksen er åpen", "per@hamar.kommune.no")
	c.waitFor(`document.getElementById('liste').textContent.includes('Helt ny sak mens innboksen er åpen')`)
	if got := c.text("#endringer"); got != "Listen er oppdatert." {
		t.Errorf("announcement %q", got)
	}
	c.audit("innboks-oppdatert-1280")

	// without the script: «Oppdater»
	c.do(scriptsDisabled(true))
	c.visit("/innboks")
	e.createTicket("Enda en ny sak", "per@hamar.kommune.no")
	c.clickLoad("#oppdater")
	if got := c.text("#liste"); !strings.Contains(got, "Enda en ny sak") {
		t.Errorf("«Oppdater» without the script: %q", got)
	}
	c.do(scriptsDisabled(false))
	c.audit("innboks-oppdater-uten-js")
}

// TestBrowserTicketActionsOnPhone: at 390 px the ticket's actions are reachable without
// scrolling past the thread: a bar of links is on the first screen and stays at the top while
// the thread scrolls, and «Endre saken» brings the changes into view; with or without
// JavaScript (it is CSS). At 1,280 px the actions are beside the thread and there is no bar.
func TestBrowserTicketActionsOnPhone(t *testing.T) {
	e, main := screensEnv(t)
	c := newChrome(t, e)
	c.login("agent@ks.no")
	path := "/saker/" + main.Ref.String()
	for _, js := range []bool{true, false} {
		c.size(screens[0])
		c.do(scriptsDisabled(!js))
		c.visit(path)
		if top := eval[float64](c, `document.querySelector('.ticket-bar').getBoundingClientRect().top`); top < 0 || top > 400 {
			t.Fatalf("js %v: the bar is at %.0f px, not on the first screen", js, top)
		}
		if h := eval[float64](c, `document.documentElement.scrollHeight`); h < 2000 {
			t.Fatalf("the page is %.0f px high: too short to show anything", h)
		}
		eval[bool](c, `window.scrollTo(0, 1500); true`)
		if top := eval[float64](c, `document.querySelector('.ticket-bar').getBoundingClientRect().top`); top < -1 || top > 1 {
			t.Errorf("js %v: scrolled into the thread the bar is at %.0f px, want the top", js, top)
		}
		c.do(chromedp.Click(chromedp.CSS(`.ticket-bar a[href="#endre"]`)))
		c.waitFor(`(() => { const r = document.getElementById('endre').getBoundingClientRect(); return r.top >= 0 && r.top < window.innerHeight; })()`)
		c.waitFor(`document.getElementById('tildelt').getBoundingClientRect().top < window.innerHeight`)
		c.do(scriptsDisabled(false))
		c.audit(fmt.Sprintf("sak-endre-390-js-%v", js))
	}
	c.size(screens[1])
	c.visit(path)
	if shown := eval[bool](c, `getComputedStyle(document.querySelector('.ticket-bar')).display !== 'none'`); shown {
		t.Error("the bar is shown at 1,280 px")
	}
}

// TestBrowserPublicPagesFit: the question form, the login page and a status page stay as they
// were on a phone and a laptop: nothing scrolls sideways, axe finds nothing.
func TestBrowserPublicPagesFit(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080", publicOpts(0))
	tk := e.createTicket("Kurs i BankID for seniorer på biblioteket", "kari@lillehammer.kommune.no")
	c := newChrome(t, e)
	for _, s := range screens {
		c.size(s)
		for _, p := range []struct{ name, path string }{{"skjema", "/"}, {"logg-inn", "/logg-inn"}, {"status", "/sak/" + tk.StatusToken}} {
			c.visit(p.path)
			if o := c.overflow(); o != "" {
				t.Errorf("%s at %s px: %s", p.path, s.name, o)
			}
			c.audit(p.name + "-" + s.name)
		}
	}
}
