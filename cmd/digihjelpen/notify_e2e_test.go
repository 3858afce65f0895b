package main

import (
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// staffSession is a staff member signed in to the running server with a browser's cookies.
type staffSession struct {
	t      *testing.T
	s      *serveProcess
	client *http.Client
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func (s *serveProcess) signIn(t *testing.T, email, password string) *staffSession {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	ss := &staffSession{t: t, s: s, client: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	resp := ss.post("/logg-inn", "/logg-inn", url.Values{"email": {email}, "password": {password}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in %s: %d", email, resp.StatusCode)
	}
	return ss
}

// post sends form to path with the CSRF token of the page at from, and returns the answer.
func (ss *staffSession) post(from, path string, form url.Values) *http.Response {
	ss.t.Helper()
	_, page := ss.get(from)
	m := csrfField.FindStringSubmatch(page)
	if m == nil {
		ss.t.Fatalf("no CSRF token on %s", from)
	}
	form.Set("csrf", m[1])
	resp, err := ss.client.PostForm(ss.s.base+path, form)
	if err != nil {
		ss.t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

func (ss *staffSession) get(path string) (int, string) {
	ss.t.Helper()
	resp, err := ss.client.Get(ss.s.base + path)
	if err != nil {
		ss.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// TestNotificationsThroughTheBinary runs the real binary against Dovecot and Mailpit and
// checks which notification mail reaches whom, and how often: Ola follows NAV and is told of
// a new NAV question; when Ola gives it to Kari she is told, Ola is not (his own action); Kari
// taking a ticket herself tells nobody; Ola giving her five tickets at once is one mail that
// lists them; the requester's answer on her ticket tells her; the requester never gets a
// notification. Every notification is auto-generated, names the ticket and links to it.
func TestNotificationsThroughTheBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	imapAddr, user, pass := mailStack(t)
	smtpAddr, api := mailpitAPI(t)
	uniq := fmt.Sprint(time.Now().UnixNano())
	c, inbox, done := testMailbox(t, imapAddr, user, pass, "t-varsel-", uniq)
	s := prepareServe(t, imapAddr, user, pass, inbox, done, smtpAddr)
	kari, ola := "kari+"+uniq+"@ks.test", "ola+"+uniq+"@ks.test"
	const password = "riktig-hest-batteri-stift"
	s.run(t, password, "user", "add", kari, "-name", "Kari Saksbehandler", "-role", "agent", "-password-stdin")
	s.run(t, password, "user", "add", ola, "-name", "Ola Saksbehandler", "-role", "agent", "-password-stdin")
	s.start(t)
	toKari, toOla := `to:"`+kari+`"`, `to:"`+ola+`"`

	olaWeb, kariWeb := s.signIn(t, ola, password), s.signIn(t, kari, password)
	if resp := olaWeb.post("/konto/varsler", "/konto/varsler", url.Values{"varsel": {"tildelt", "svar", "ny-sak"}, "etat": {"nav"},
		"levering": {"straks"}, "klokkeslett": {"7"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("Ola's settings: %d", resp.StatusCode)
	}

	// A question for NAV arrives: Ola, who follows NAV, is told; Kari is not.
	per := "per.hansen+" + uniq + "@nav-kontor.hamar.kommune.no"
	deliver(t, c, inbox, newMail("Per Hansen <"+per+">", "Spørsmål om dagpenger for innbyggere", "<q-"+uniq+"@hamar.kommune.no>",
		"Hei!\n\nEn innbygger lurer på hvordan hun søker om dagpenger. Hvor finner hun skjemaet?\n\nHilsen Per"))
	tk := s.waitTicket(t, "the NAV question", "", func(tk *apiTicketView) bool { return tk.Agency == "nav" })
	newTicket := mailpitWait(t, api, toOla, 1)[0]
	if !strings.Contains(newTicket.Subject, "Ny sak for NAV") || !strings.Contains(newTicket.Subject, tk.Ref) ||
		!strings.Contains(newTicket.Text, s.base+"/saker/"+tk.Ref) || strings.Contains(newTicket.Text, "skjemaet") ||
		newTicket.header("Auto-Submitted") != "auto-generated" {
		t.Fatalf("new ticket mail to Ola: %q\n%s\n%v", newTicket.Subject, newTicket.Text, newTicket.Header)
	}

	// Ola gives it to Kari: she is told, he is not.
	_, page := olaWeb.get("/innboks")
	m := regexp.MustCompile(`<option value="(u\d+)">Kari Saksbehandler</option>`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("Kari is not in the inbox's lists")
	}
	kariKey := m[1]
	if resp := olaWeb.post("/saker/"+tk.Ref, "/saker/"+tk.Ref+"/endre", url.Values{"tildelt": {kariKey}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("assign: %d", resp.StatusCode)
	}
	assigned := mailpitWait(t, api, toKari, 1)[0]
	if !strings.Contains(assigned.Subject, "Tildelt deg av Ola Saksbehandler") || !strings.Contains(assigned.Subject, tk.Ref) {
		t.Fatalf("assigned mail: %q", assigned.Subject)
	}

	// Five new questions for KS; Kari takes one herself (nothing), then Ola gives her the
	// other four and the first at once: one mail.
	var refs []string
	for i := range 5 {
		deliver(t, c, inbox, newMail("Per Hansen <"+per+">", fmt.Sprintf("Kurs for seniorer nummer %d", i+1), fmt.Sprintf("<kurs%d-%s@hamar.kommune.no>", i, uniq),
			"Hei! Har dere kursmateriell om digitale ferdigheter for seniorer?"))
	}
	for deadline := time.Now().Add(20 * time.Second); len(refs) < 5; time.Sleep(100 * time.Millisecond) {
		refs = refs[:0]
		_, body := kariWeb.get("/innboks?vis=alle")
		for _, ref := range regexp.MustCompile(`/saker/(DH-\d{4}-\d{4})["?]`).FindAllStringSubmatch(body, -1) {
			if ref[1] != tk.Ref && !contains(refs, ref[1]) {
				refs = append(refs, ref[1])
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the five questions did not arrive: %v", refs)
		}
	}
	if resp := kariWeb.post("/saker/"+refs[0], "/saker/"+refs[0]+"/endre", url.Values{"tildelt": {"meg"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("Kari takes %s: %d", refs[0], resp.StatusCode)
	}
	_, inboxPage := olaWeb.get("/innboks?vis=alle")
	picks := url.Values{"handling": {"tildel"}, "tildel-til": {kariKey}, "tilbake": {"/innboks?vis=alle"}}
	for _, pick := range regexp.MustCompile(`name="sak" value="(\d+:\d+)"`).FindAllStringSubmatch(inboxPage, -1) {
		picks.Add("sak", pick[1])
	}
	if resp := olaWeb.post("/innboks", "/innboks/masse/bekreft", picks); resp.StatusCode != http.StatusOK {
		t.Fatalf("bulk assign: %d", resp.StatusCode)
	}
	burst := mailpitWait(t, api, toKari, 2)[0]
	if !strings.Contains(burst.Subject, "4 varsler i 4 saker") {
		t.Fatalf("the burst: %q\n%s", burst.Subject, burst.Text)
	}
	for _, ref := range refs[1:] {
		if !strings.Contains(burst.Text, s.base+"/saker/"+ref) {
			t.Errorf("the burst lacks %s:\n%s", ref, burst.Text)
		}
	}
	if strings.Contains(burst.Text, refs[0]) || strings.Contains(burst.Text, tk.Ref) {
		t.Errorf("the burst tells of tickets that were hers already:\n%s", burst.Text)
	}

	// Per answers the acknowledgement of the NAV question: Kari, whose ticket it is, is told.
	ack := mailpitWait(t, api, `to:"`+per+`" subject:"`+tk.Ref+`"`, 1)[0]
	deliver(t, c, inbox, clientReply("Per Hansen <"+per+">", ack, "<svar-"+uniq+"@hamar.kommune.no>", "Takk, det var det jeg lurte på."))
	reply := mailpitWait(t, api, toKari, 3)[0]
	if !strings.Contains(reply.Subject, "Ny melding fra innsender") || !strings.Contains(reply.Subject, tk.Ref) || strings.Contains(reply.Text, "lurte på") {
		t.Fatalf("reply mail: %q\n%s", reply.Subject, reply.Text)
	}

	// Wait out a burst window, then count: nothing more came, and Per got only his
	// acknowledgements.
	time.Sleep(4 * time.Second)
	s.stop(t)
	if n := len(mailpitSearch(t, api, toKari)); n != 3 {
		t.Errorf("mails to Kari: %d, want 3 (assigned, the burst, the reply)", n)
	}
	if n := len(mailpitSearch(t, api, toOla)); n != 1 {
		t.Errorf("mails to Ola: %d, want 1 (the new NAV ticket)", n)
	}
	for _, id := range mailpitSearch(t, api, `to:"`+per+`"`) {
		if m := mailpitMessage(t, api, id); strings.Contains(m.Subject, "[Digihjelpen]") {
			t.Errorf("the requester got a notification: %q", m.Subject)
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
