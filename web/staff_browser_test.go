package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ks-no/digihjelpen/ticket"
)

// seedStaff makes the tickets the staff browser tests walk through: one with a mail in HTML,
// quoted history and an attachment, one answered (for similar questions), one old and overdue.
func seedStaff(t *testing.T, e *testEnv) (main, answered *ticket.Ticket) {
	ctx := context.Background()
	answered = e.createTicket("Skattekort for ny arbeidstaker", "per@hamar.kommune.no")
	reply := &ticket.Message{Direction: ticket.DirectionOut, From: "kontakt@ks.no", To: []string{"per@hamar.kommune.no"}, Author: "agent@ks.no",
		Text: "Skattekortet bestilles på skatteetaten.no. Se også Digihjelpen-håndboken, kapittel 4."}
	if _, err := e.tickets.AppendMessage(ctx, answered.ID, reply, ticket.AppendOptions{Status: ptr(ticket.StatusResolved)}); err != nil {
		t.Fatal(err)
	}
	e.bulkTicket("Gammel ubesvart sak om BankID", time.Now().AddDate(0, 0, -10), nil)
	main = e.createTicket("Hvordan bestille skattekortet til en arbeidstaker?", "kari@lillehammer.kommune.no")
	in := &ticket.Message{Direction: ticket.DirectionIn, From: "kari@lillehammer.kommune.no", FromName: "Kari Nordmann",
		Text: "Her er mer informasjon.\n\nDen 23. nov. 2026 kl. 09:05 skrev Digihjelpen:\n> Hva gjelder det?\n> Hilsen KS",
		HTML: "<p>Her er <b>mer</b> informasjon.</p>", Raw: []byte("From: kari@lillehammer.kommune.no\r\nSubject: x\r\n\r\nHer er mer informasjon.")}
	if _, err := e.tickets.AppendMessage(ctx, main.ID, in, ticket.AppendOptions{}); err != nil {
		t.Fatal(err)
	}
	e.index()
	return main, answered
}

func TestBrowserStaffInbox(t *testing.T) {
	e := staffEnv(t)
	main, _ := seedStaff(t, e)
	c := newChrome(t, e)
	c.login("agent@ks.no")

	// filter: unassigned tickets of KS, with the form as a person uses it
	c.do(chromedp.SetValue(chromedp.ID("tildelt"), "ingen"), chromedp.SetValue(chromedp.ID("etat"), "ks"))
	c.clickLoad(`form.filters button[type="submit"]`)
	if loc := c.location(); !strings.Contains(loc, "tildelt=ingen") || !strings.Contains(loc, "etat=ks") {
		t.Fatalf("after filtering at %s", loc)
	}
	c.audit("innboks-filtrert")

	c.visit("/innboks?vis=forfalt")
	if got := c.text("table.tickets tbody"); !strings.Contains(got, "Gammel ubesvart sak om BankID") {
		t.Fatalf("overdue list: %q", got)
	}
	c.audit("innboks-forfalt")

	// search with the keyboard: "/" focuses the box
	c.visit("/innboks")
	c.do(chromedp.KeyEvent("/"), chromedp.KeyEvent("skattekortene"), chromedp.KeyEvent("\r"))
	c.waitFor(`document.querySelector('p.summary') !== null && document.querySelector('p.summary').textContent.includes('treff')`)
	if got := c.text("p.summary"); !strings.Contains(got, "2 treff") {
		t.Fatalf("search summary %q", got)
	}
	c.audit("sok")

	// j selects the first row, o opens it
	c.do(chromedp.KeyEvent("j"), chromedp.WaitVisible(chromedp.CSS("tr.selected")), chromedp.KeyEvent("o"))
	c.waitFor(`document.querySelector('.thread') !== null && document.readyState === 'complete' && document.querySelector('main h1').textContent.includes('` + main.Ref.String() + `')`)

	// ? opens the help dialog
	c.do(chromedp.KeyEvent("?"), chromedp.WaitVisible(chromedp.ID("hurtigtaster")))
	c.audit("hurtigtaster")
	c.do(chromedp.KeyEvent("\x1b"), chromedp.WaitNotVisible(chromedp.ID("hurtigtaster")))
}

func TestBrowserStaffTicket(t *testing.T) {
	e := staffEnv(t)
	main, answered := seedStaff(t, e)
	ref := main.Ref.String()
	c := newChrome(t, e)
	c.login("agent@ks.no")
	c.visit("/saker/" + ref)
	if got := c.text(".similar"); !strings.Contains(got, answered.Ref.String()) || !strings.Contains(got, "Skattekortet bestilles") {
		t.Fatalf("similar questions: %q", got)
	}
	c.do(chromedp.Click(chromedp.CSS("details.quoted summary")), chromedp.WaitVisible(chromedp.CSS("details.quoted[open] .text")),
		chromedp.Click(chromedp.CSS("details.html-version summary")), chromedp.WaitVisible(chromedp.CSS("details.html-version iframe")))
	// the frame loads lazily when it is shown; give it a moment before the screenshot
	chromedp.Run(c.ctx, chromedp.Evaluate[bool](`new Promise(r => { document.querySelector('details.html-version iframe').addEventListener('load', () => r(true)); setTimeout(() => r(false), 3000) })`, chromedp.EvalAwaitPromise))
	c.audit("sak-full")

	// a: assign to me
	c.do(chromedp.KeyEvent("a"))
	if focused, _ := chromedp.Run(c.ctx, chromedp.Evaluate[string](`document.activeElement.id`)); focused != "tildelt" {
		t.Fatalf("a focused %q, want the assignee picker", focused)
	}
	// one panel, one save: assignee, status and priority together
	c.do(chromedp.SetValue(chromedp.ID("tildelt"), "meg"), chromedp.SetValue(chromedp.ID("status"), "venter"),
		chromedp.SetValue(chromedp.ID("prioritet"), "høy"))
	c.clickLoad(`form[action$="/endre"] button`)
	if got := c.text(".facts dl"); !strings.Contains(got, "Test agent") || !strings.Contains(got, "Venter på innsender") || !strings.Contains(got, "Høy") {
		t.Fatalf("facts after one save: %q", got)
	}
	if got := c.text(".events"); !strings.Contains(got, "Tildelt Test agent.") || !strings.Contains(got, "Prioritet endret fra normal til høy.") {
		t.Fatalf("history after one save: %q", got)
	}

	// a re-route without a reason is refused beside the field
	c.do(chromedp.SetValue(chromedp.ID("etat"), "nav"))
	c.clickLoad(`form[action$="/endre"] button`)
	c.do(chromedp.WaitVisible(chromedp.ID("begrunnelse-feil")))
	c.audit("sak-feil")

	// the attachment downloads with safe headers, in the logged-in browser
	headers, err := chromedp.Run(c.ctx, chromedp.Evaluate[[]string](`fetch(document.querySelector('.attachments a').href)
		.then(r => [String(r.status), r.headers.get('content-disposition'), r.headers.get('x-content-type-options')])`, chromedp.EvalAwaitPromise))
	if err != nil || headers[0] != "200" || !strings.HasPrefix(headers[1], "attachment;") || headers[2] != "nosniff" {
		t.Fatalf("attachment download: %v %v", headers, err)
	}
	c.visit("/saker/" + ref)
	if got := c.text(".events"); !strings.Contains(got, "Personopplysninger åpnet: vedlegget «vedlegg.pdf»") {
		t.Fatalf("download not in the history: %q", got)
	}
}

func TestBrowserPresence(t *testing.T) {
	e := staffEnv(t)
	main, _ := seedStaff(t, e)
	path := "/saker/" + main.Ref.String()
	agent := newChrome(t, e)
	agent.login("agent@ks.no")
	agent.visit(path)
	admin := newChrome(t, e)
	admin.login("admin@ks.no")
	admin.visit(path)
	if got := admin.text("#tilstede"); got != "Test agent ser også på saken." {
		t.Fatalf("admin sees %q", got)
	}
	// the agent's page learns of the admin on its next poll (forced here instead of waiting 20 s)
	if _, err := chromedp.Run(agent.ctx, chromedp.Evaluate[bool](`document.dispatchEvent(new Event('visibilitychange'))`)); err != nil {
		t.Fatal(err)
	}
	agent.waitFor(`document.getElementById('tilstede').textContent.includes('Test admin')`)
	// when the admin changes the ticket, the agent's page says so on its next poll
	if _, err := e.tickets.UpdateTicket(context.Background(), main.ID, ticket.TicketUpdate{Priority: ptr(ticket.PriorityHigh)}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(agent.ctx, chromedp.Evaluate[bool](`document.dispatchEvent(new Event('visibilitychange'))`)); err != nil {
		t.Fatal(err)
	}
	agent.waitFor(`!document.getElementById('endret').hidden`)
	agent.audit("sak-tilstede")
}

// waitFor polls a JavaScript condition until it holds (10 s at most), across page loads.
func (c *chrome) waitFor(js string) {
	c.t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if ok, err := chromedp.Run(c.ctx, chromedp.Evaluate[bool](js)); err == nil && ok {
			return
		}
	}
	c.t.Fatalf("waiting for %s: timed out", js)
}
