package web_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/ks-no/digihjelpen/ticket"
)

// eval runs a script in the page and returns its value.
func eval[T any](c *chrome, script string) T {
	c.t.Helper()
	v, err := chromedp.Run(c.ctx, chromedp.Evaluate[T](script))
	if err != nil {
		c.t.Fatalf("evaluate %s: %v", script, err)
	}
	return v
}

// TestBrowserPublicForm is a municipal employee's way through: the form (with its errors), the
// municipality filled in from the address by the script, a file, the receipt, the status
// link, and adding information there.
func TestBrowserPublicForm(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080", publicOpts(0))
	c := newChrome(t, e)
	c.visit("/")
	c.audit("skjema")

	c.clickLoad(`form[action="/"] button.button:not(.secondary)`)
	c.do(chromedp.WaitVisible(chromedp.CSS(".error-summary")))
	if got := eval[string](c, `document.activeElement.className`); got != "error-summary" {
		t.Fatalf("focus after errors is on %q, want the error summary", got)
	}
	if got := c.text(".error-summary"); !strings.Contains(got, "Skriv navnet ditt.") || !strings.Contains(got, "Velg hva spørsmålet gjelder.") {
		t.Fatalf("error summary %q", got)
	}
	c.audit("skjema-feil")
	c.do(chromedp.Click(chromedp.CSS(`.error-summary a[href="#sporsmal"]`)))
	if got := eval[string](c, `document.activeElement.id`); got != "sporsmal" {
		t.Fatalf("the summary link moved focus to %q, want the question", got)
	}

	file := filepath.Join(t.TempDir(), "skjermbilde-æøå.png")
	if err := os.WriteFile(file, pngBytes, 0o600); err != nil {
		t.Fatal(err)
	}
	c.do(
		chromedp.SendKeys(chromedp.ID("navn"), "Åse Øvergård"),
		chromedp.SendKeys(chromedp.ID("epost"), "ase@bibliotek.lillehammer.kommune.no"),
		chromedp.WaitVisible(chromedp.CSS(`#kommune-status`)),
	)
	if _, err := chromedp.Run(c.ctx, chromedp.Poll[bool](`document.getElementById('kommune').value === '3405'`)); err != nil {
		t.Fatalf("the script did not fill in the municipality: %v", err)
	}
	if got := c.text("#kommune-status"); !strings.Contains(got, "Lillehammer") {
		t.Fatalf("municipality announcement %q", got)
	}
	c.do(
		chromedp.Click(chromedp.ID("tema-kurs")),
		chromedp.SendKeys(chromedp.ID("sporsmal"), "Hvor finner vi kursmateriell på nynorsk for seniorar på Øyer?"),
		chromedp.SetUploadFiles(chromedp.ID("vedlegg"), []string{file}),
		chromedp.Click(chromedp.CSS(`form[action="/"] button.button:not(.secondary)`)),
		chromedp.WaitVisible(chromedp.CSS(".status-link")),
	)
	if got := c.location(); got != "/kvittering" {
		t.Fatalf("after submit at %s", got)
	}
	c.audit("kvittering")
	tk := e.allTickets()[0]
	if tk.Requester.Name != "Åse Øvergård" || tk.Requester.Municipality.Number != "3405" || tk.Category != "kurs" || tk.Channel != ticket.ChannelWeb {
		t.Fatalf("got ticket %+v", tk)
	}
	if got := c.text("main"); !strings.Contains(got, tk.Ref.String()) || !strings.Contains(got, "/sak/"+tk.StatusToken) {
		t.Fatalf("receipt %q lacks the reference or link", got)
	}

	thread(t, e, tk, ticket.StatusWaiting)
	c.visit("/sak/" + tk.StatusToken)
	if got := c.text("main"); !strings.Contains(got, "Be innbyggeren logge inn med MinID.") || strings.Contains(got, "HEMMELIG") {
		t.Fatalf("status page %q", got)
	}
	c.audit("status")
	c.clickLoad(`form[action^="/sak/"] button`)
	c.do(chromedp.WaitVisible(chromedp.CSS(".error-summary")))
	c.audit("status-feil")
	c.do(
		chromedp.SendKeys(chromedp.ID("tillegg"), "Takk! Nå fikk hun logget inn på Øyer."),
		chromedp.Click(chromedp.CSS(`form[action^="/sak/"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`.alert-ok`)),
	)
	c.audit("status-sendt")
	got, _ := e.tickets.FindTicketByID(context.Background(), tk.ID)
	msgs, _ := e.tickets.FindMessages(context.Background(), tk.ID)
	if got.Status != ticket.StatusOpen || msgs[len(msgs)-1].Text != "Takk! Nå fikk hun logget inn på Øyer." {
		t.Fatalf("after adding: status %s, last message %q", got.Status, msgs[len(msgs)-1].Text)
	}
	msgs0 := msgs[0]
	if len(msgs0.Attachments) != 1 || msgs0.Attachments[0].Name != "skjermbilde-æøå.png" {
		t.Fatalf("the file was not stored: %+v", msgs0.Attachments)
	}
}

// TestBrowserPublicFormWithoutScript checks that the form works with JavaScript off: the
// "find my municipality" button does what the script does.
func TestBrowserPublicFormWithoutScript(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080", publicOpts(0))
	c := newChrome(t, e)
	c.do(scriptsDisabled(true))
	c.visit("/")
	c.do(
		chromedp.SendKeys(chromedp.ID("epost"), "per@tromso.kommune.no"),
		chromedp.Click(chromedp.CSS(`button[value="finn-kommune"]`)),
		chromedp.WaitVisible(chromedp.CSS(".alert-ok")),
	)
	if got := eval[string](c, `document.getElementById('kommune').value`); got != "5501" {
		t.Fatalf("municipality %q, want Tromsø (5501)", got)
	}
	c.do(scriptsDisabled(false)) // axe is a script
	c.audit("skjema-uten-skript")
}

// scriptsDisabled switches the page's JavaScript off or on, as a person may have it.
func scriptsDisabled(off bool) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: off})
		return err
	})
}

func TestBrowserAdmin(t *testing.T) {
	e := newAdminEnv(t)
	c := newChrome(t, e)
	c.login("admin@ks.no")
	c.clickLoad(`.menu a[href="/admin"]`)
	c.do(chromedp.WaitVisible(chromedp.CSS(".admin-nav")))
	c.audit("admin")
	c.visit("/admin/brukere")
	c.audit("admin-brukere")
	c.clickLoad(`form[action="/admin/brukere"] button`)
	c.do(chromedp.WaitVisible(chromedp.CSS(".error-summary")))
	c.audit("admin-brukere-feil")
	c.do(
		chromedp.SendKeys(chromedp.ID("navn"), "Bjørn Ærø"),
		chromedp.SendKeys(chromedp.ID("epost"), "bjorn@ks.no"),
		chromedp.Click(chromedp.CSS(`form[action="/admin/brukere"] button`)),
		chromedp.WaitVisible(chromedp.ID("hemmelighet")),
	)
	c.audit("admin-passord")
	c.visit("/admin/api-nokler")
	c.audit("admin-api-nokler")
	c.visit("/admin/sikkerhetskopi")
	c.audit("admin-sikkerhetskopi")
}
