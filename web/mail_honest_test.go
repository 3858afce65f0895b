package web_test

import (
	"context"
	"html"
	"net/http"
	"strings"
	"testing"

	"github.com/ks-no/digihjelpen/ticket"
	"github.com/ks-no/digihjelpen/web"
)

// TestMailNotSetUp: while smtp.addr is empty nothing says a mail went: the thread says the
// reply waits because outgoing mail is not set up, and so do the form's notice, /utboks and
// the admin front page, and the public receipt promises no mail. «Sendt» comes only once the
// SMTP server took the mail.
func TestMailNotSetUp(t *testing.T) {
	st := &mailState{}
	st.set(web.MailState{OutboxOff: true})
	e := newTestEnv(t, "http://127.0.0.1:8080", func(s *web.Server) { s.MailboxState = st.get }, publicOpts(0))
	tk := e.createTicket("Kurs", "kari@lillehammer.kommune.no")
	br := e.browser()
	br.login("agent@ks.no")
	form := br.replyForm(tk)
	resp, _ := br.post("/saker/"+tk.Ref.String()+"/svar", with(form, "text", "Svar", "status", "venter", "handling", "send"))
	_, body := br.get(resp.Header.Get("Location"))
	page := html.UnescapeString(body)
	for _, w := range []string{"Svaret er lagret i saken, men ikke sendt: utgående e-post er ikke satt opp",
		"Ikke sendt: utgående e-post er ikke satt opp, så e-posten venter i utboksen.", "Utgående e-post er ikke satt opp."} {
		if !strings.Contains(page, w) {
			t.Errorf("ticket page lacks %q", w)
		}
	}
	if strings.Contains(page, "Det står «Sendt» ved svaret") || strings.Contains(body, "send-sent") {
		t.Error("the ticket page promises a mail that cannot go")
	}
	admin := e.browser()
	admin.login("admin@ks.no")
	for _, p := range []string{"/utboks", "/admin/"} {
		if _, body := admin.get(p); !strings.Contains(html.UnescapeString(body), "Utgående e-post er ikke satt opp (smtp.addr i konfigurasjonen er tom)") {
			t.Errorf("%s does not say outgoing mail is not set up", p)
		}
	}

	// the public form's receipt
	pub := e.browser()
	resp, _ = pub.postMultipart("/", validForm(pub))
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("form: %d", resp.StatusCode)
	}
	_, receipt := pub.get("/kvittering")
	if strings.Contains(receipt, "på e-post") || !strings.Contains(receipt, "Ta vare på lenken") {
		t.Error("the receipt promises a mail while outgoing mail is not set up")
	}

	// set up and taken by the server: «Sendt» with the time
	st.set(web.MailState{})
	mails := e.outbox(tk)
	if err := e.srv.Outbox.MarkMailSent(context.Background(), mails[0].ID); err != nil {
		t.Fatal(err)
	}
	_, body = br.get("/saker/" + tk.Ref.String())
	if !strings.Contains(body, `<p class="send-state send-sent">Sendt <time`) {
		t.Error("a sent reply does not say «Sendt»")
	}
}

// TestReferralInThread: a referral shows in the thread and the history as a referral, with the
// agency's address and the note, and the notice to the requester shows too, with its state.
func TestReferralInThread(t *testing.T) {
	e, tk, br, form := agentOnTicket(t, "Dagpenger")
	resp, _ := br.post("/saker/"+tk.Ref.String()+"/henvisning", with(form, "agency", "nav", "note", "Gjelder dagpenger.", "notify", "ja"))
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("referral: %d", resp.StatusCode)
	}
	_, body := br.get("/saker/" + tk.Ref.String())
	page := html.UnescapeString(body)
	for _, w := range []string{`<span class="kind">Henvisning</span>`, "Henvist til NAV – digihjelp@nav.test.\n\nGjelder dagpenger.",
		"Melding til innsenderen (kari@lillehammer.kommune.no)", "vi har derfor sendt det videre dit",
		"Henvist til NAV – digihjelp@nav.test. Merknad: Gjelder dagpenger.", "Melding sendt til innsenderen (kari@lillehammer.kommune.no) om henvisningen."} {
		if !strings.Contains(page, w) {
			t.Errorf("page lacks %q", w)
		}
	}
	if strings.Contains(page, "Svar sendt til digihjelp@nav.test") {
		t.Error("the history calls the referral a reply")
	}
	if n := strings.Count(body, "I utboksen, sendes nå"); n != 2 {
		t.Errorf("%d mail states in the thread, want the referral's and the notice's", n)
	}
	_ = e
}

// TestAgencyAdmin: administrators change an agency's address at /admin/etater (refused when it
// is not an address), and a referral goes there at once, without a restart; an agency
// without an address says so where staff refer, with a link for administrators only.
func TestAgencyAdmin(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080")
	tk := e.createTicket("Prosjektmidler", "kari@lillehammer.kommune.no")
	admin, agent := e.browser(), e.browser()
	admin.login("admin@ks.no")
	agent.login("agent@ks.no")
	if _, body := admin.get("/saker/" + tk.Ref.String()); !strings.Contains(body, `href="/admin/etater/nasjonalbiblioteket"`) {
		t.Error("admins get no link to set the missing address")
	}
	if _, body := agent.get("/saker/" + tk.Ref.String()); strings.Contains(body, `href="/admin/etater/`) || !strings.Contains(body, "Nasjonalbiblioteket") ||
		!strings.Contains(body, "En administrator legger inn adressene") {
		t.Error("agents are not told who sets the address, or get an admin link")
	}
	resp, body := agent.post("/saker/"+tk.Ref.String()+"/henvisning", with(agent.replyForm(tk), "agency", "nasjonalbiblioteket"))
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "har ingen henvisningsadresse") {
		t.Fatalf("referral without an address: %d", resp.StatusCode)
	}
	if resp, _ := agent.get("/admin/etater/nasjonalbiblioteket"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("an agent opens the agency form: %d", resp.StatusCode)
	}
	csrf := admin.csrf("/admin/etater/nasjonalbiblioteket")
	save := func(email string) (*http.Response, string) {
		return admin.post("/admin/etater/nasjonalbiblioteket", map[string][]string{"csrf": {csrf}, "navn": {"Nasjonalbiblioteket"},
			"epost": {email}, "beskrivelse": {"Prosjektmidler til folkebibliotek."}})
	}
	if resp, body := save("bibliotekutvikling at nb.no"); resp.StatusCode != http.StatusBadRequest || !strings.Contains(html.UnescapeString(body), "er ikke en e-postadresse") ||
		!strings.Contains(body, `id="epost-feil"`) {
		t.Fatalf("a wrong address: %d", resp.StatusCode)
	}
	if resp, _ := save("bibliotekutvikling@nb.no"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d", resp.StatusCode)
	}
	if _, body := admin.get("/admin/etater"); !strings.Contains(body, "bibliotekutvikling@nb.no") {
		t.Error("the list does not show the new address")
	}
	if _, body := admin.get("/admin/etater/nasjonalbiblioteket"); !strings.Contains(body, "Versjoner") || !strings.Contains(body, "i bruk") {
		t.Error("the form does not list the version")
	}
	resp, _ = agent.post("/saker/"+tk.Ref.String()+"/henvisning", with(agent.replyForm(tk), "agency", "nasjonalbiblioteket", "note", "Søknad om midler."))
	mails := e.outbox(tk)
	if resp.StatusCode != http.StatusSeeOther || len(mails) != 1 || mails[0].To[0] != "bibliotekutvikling@nb.no" {
		t.Fatalf("referral after the edit: %d %+v", resp.StatusCode, mails)
	}
	events, _ := e.srv.Events.FindEvents(context.Background(), 0)
	found := false
	for _, ev := range events {
		found = found || (ev.Kind == ticket.EventAgencyEdit && ev.Actor == "admin@ks.no" && strings.Contains(ev.Detail, "bibliotekutvikling@nb.no"))
	}
	if !found {
		t.Error("the edit is not in the audit trail")
	}
}

// TestSignatureOnAccountPage: the signature is set on /konto, bounded, and staff only.
func TestSignatureOnAccountPage(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080")
	br := e.browser()
	br.login("agent@ks.no")
	csrf := br.csrf("/konto")
	resp, body := br.post("/konto/signatur", map[string][]string{"csrf": {csrf}, "signatur": {strings.Repeat("x", ticket.MaxSignatureLen+1)}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="signatur-feil"`) {
		t.Fatalf("too long: %d", resp.StatusCode)
	}
	if resp, _ := br.post("/konto/signatur", map[string][]string{"csrf": {csrf}, "signatur": {"Hilsen\r\nTest agent"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d", resp.StatusCode)
	}
	if _, body := br.get("/konto?ok=signatur"); !strings.Contains(body, ">Hilsen\nTest agent</textarea>") || !strings.Contains(body, "Signaturen er lagret.") {
		t.Error("the page does not show the saved signature")
	}
	e.addUser("leder@ks.no", ticket.RoleReader)
	reader := e.browser()
	reader.login("leder@ks.no")
	if _, body := reader.get("/konto"); strings.Contains(body, "signatur") {
		t.Error("a reader, who writes no replies, is offered a signature")
	}
}
