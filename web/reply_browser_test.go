package web_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/ks-no/digihjelpen/ticket"
	"github.com/ks-no/digihjelpen/web"
)

// replyFile writes a PDF for the file input and returns its path.
func replyFile(t *testing.T) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "kursplan-våren.pdf")
	if err := os.WriteFile(file, pdfFile, 0o600); err != nil {
		t.Fatal(err)
	}
	return file
}

// TestBrowserReplyWithScript: with JavaScript, the draft saves itself while the agent writes
// and a colleague sees it; a file and a copy go with the reply; the preview shows the mail as
// it will go; the reply lands in the thread as waiting in the outbox.
func TestBrowserReplyWithScript(t *testing.T) {
	e := staffEnv(t)
	main, _ := seedStaff(t, e)
	path := "/saker/" + main.Ref.String()
	c := newChrome(t, e)
	c.login("agent@ks.no")
	c.visit(path)
	c.do(chromedp.SendKeys(chromedp.ID("svar-tekst"), "Hei Kari! Skattekortet bestilles på skatteetaten.no."))
	c.waitFor(`document.querySelector('[data-draft-status]').textContent.includes('Utkastet er lagret')`)
	d, err := e.srv.Drafts.FindDraft(context.Background(), main.ID, "agent@ks.no")
	if err != nil || !strings.Contains(d.Text, "skatteetaten.no") {
		t.Fatalf("autosaved draft %+v %v", d, err)
	}
	admin := newChrome(t, e)
	admin.login("admin@ks.no")
	admin.visit(path)
	if got := admin.text(".drafting"); !strings.Contains(got, "Test agent") {
		t.Fatalf("the colleague sees %q", got)
	}
	admin.audit("sak-kollega-skriver")

	c.do(chromedp.SendKeys(chromedp.ID("svar-kopi"), "per@lillehammer.kommune.no"),
		chromedp.SetUploadFiles(chromedp.ID("svar-vedlegg"), []string{replyFile(t)}))
	c.clickLoad(`button[value="forhandsvis"]`)
	c.do(chromedp.WaitVisible(chromedp.ID("forhandsvisning")))
	if got := c.text("#forhandsvisning"); !strings.Contains(got, "per@lillehammer.kommune.no") || !strings.Contains(got, "kursplan-våren.pdf") ||
		!strings.Contains(got, "/sak/"+main.StatusToken) {
		t.Fatalf("preview %q", got)
	}
	c.audit("sak-forhandsvisning")
	c.clickLoad(`button[value="send"]`)
	c.do(chromedp.WaitVisible(chromedp.CSS("#skriv .alert-ok")))
	if got := c.text(".thread"); !strings.Contains(got, "I utboksen, sendes nå") || !strings.Contains(got, "kursplan-våren.pdf") ||
		!strings.Contains(got, "Kopi: per@lillehammer.kommune.no") {
		t.Fatalf("thread after sending: %q", got)
	}
	mails := e.outbox(main)
	if len(mails) != 1 || len(mails[0].Attachments) != 1 || len(mails[0].Cc) != 1 {
		t.Fatalf("outbox %+v", mails)
	}
	c.audit("sak-svar-sendt")
}

// TestBrowserTicketWithoutScript: with JavaScript off, «Lagre utkast», the preview, the send,
// the update panel and its stale save all work, and each page passes axe (switched on only for
// the audit). Outgoing mail is not set up here, and the page says so.
func TestBrowserTicketWithoutScript(t *testing.T) {
	st := &mailState{}
	st.set(web.MailState{OutboxOff: true})
	e := newTestEnv(t, "http://127.0.0.1:8080", func(s *web.Server) { s.MailboxState = st.get })
	tk := e.createTicket("Nettbrett til utlån", "kari@lillehammer.kommune.no")
	path := "/saker/" + tk.Ref.String()
	c := newChrome(t, e)
	c.login("agent@ks.no")
	c.do(scriptsDisabled(true))
	audit := func(name string) {
		c.do(scriptsDisabled(false))
		c.audit(name)
		c.do(scriptsDisabled(true))
	}
	c.visit(path)
	c.do(chromedp.SendKeys(chromedp.ID("svar-tekst"), "Hei Kari, dere kan låne ut nettbrett slik."),
		chromedp.SetUploadFiles(chromedp.ID("svar-vedlegg"), []string{replyFile(t)}))
	c.clickLoad(`button[value="utkast"]`)
	if got := c.text("#skriv .alert-ok"); !strings.Contains(got, "Utkastet er lagret") {
		t.Fatalf("after «Lagre utkast»: %q", got)
	}
	if got := eval[bool](c, `document.querySelector('input[name="fil"]').checked`); !got {
		t.Fatal("the draft's file is not offered, ticked")
	}
	audit("sak-utkast-uten-skript")
	c.clickLoad(`button[value="forhandsvis"]`)
	c.do(chromedp.WaitVisible(chromedp.ID("forhandsvisning")))
	audit("sak-forhandsvisning-uten-skript")
	c.clickLoad(`button[value="send"]`)
	if got := c.text("#skriv .alert-ok"); !strings.Contains(got, "ikke sendt: utgående e-post er ikke satt opp") {
		t.Fatalf("notice %q promises a mail", got)
	}
	if got := c.text(".thread"); !strings.Contains(got, "Ikke sendt: utgående e-post er ikke satt opp") {
		t.Fatalf("thread %q", got)
	}
	audit("sak-epost-ikke-satt-opp")

	// the update panel, saved from a page someone else changed meanwhile
	c.visit(path)
	if _, err := e.tickets.UpdateTicket(context.Background(), tk.ID, ticket.TicketUpdate{Priority: ptr(ticket.PriorityLow)}); err != nil {
		t.Fatal(err)
	}
	c.do(chromedp.SetValue(chromedp.ID("status"), "løst"), chromedp.SetValue(chromedp.ID("stikkord"), "nettbrett"))
	c.clickLoad(`form[action$="/endre"] button`)
	if got := c.text(".update-panel .alert-error"); !strings.Contains(got, "ingenting er lagret") {
		t.Fatalf("stale save: %q", got)
	}
	if got := eval[string](c, `document.getElementById('stikkord').value`); got != "nettbrett" {
		t.Fatalf("the choice was not kept: %q", got)
	}
	audit("sak-endret-av-andre")
	c.clickLoad(`form[action$="/endre"] button`)
	if got := c.text(".facts dl"); !strings.Contains(got, "Løst") || !strings.Contains(got, "nettbrett") {
		t.Fatalf("after saving again: %q", got)
	}
}

// TestBrowserAgencies: the agency list and form at /admin/etater, with a refused address.
func TestBrowserAgencies(t *testing.T) {
	e := newAdminEnv(t)
	c := newChrome(t, e)
	c.login("admin@ks.no")
	c.visit("/admin/etater")
	c.audit("admin-etater")
	c.clickLoad(`a[href="/admin/etater/nasjonalbiblioteket"]`)
	c.do(chromedp.SetValue(chromedp.ID("epost"), "ikke en adresse"))
	c.clickLoad(`form[action="/admin/etater/nasjonalbiblioteket"] button`)
	c.do(chromedp.WaitVisible(chromedp.ID("epost-feil")))
	c.audit("admin-etat-feil")
	c.do(chromedp.SetValue(chromedp.ID("epost"), "bibliotekutvikling@nb.no"))
	c.clickLoad(`form[action="/admin/etater/nasjonalbiblioteket"] button`)
	if got := c.text("#etat-nasjonalbiblioteket"); !strings.Contains(got, "bibliotekutvikling@nb.no") {
		t.Fatalf("list after saving: %q", got)
	}
	c.visit("/admin/etater/nasjonalbiblioteket")
	c.audit("admin-etat")
}
