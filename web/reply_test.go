package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/ks-no/digihjelpen/ticket"
)

var (
	versionInput = regexp.MustCompile(`name="version" value="(\d+)"`)
	seenInput    = regexp.MustCompile(`name="seen" value="(\d+)"`)
	replyArea    = regexp.MustCompile(`(?s)<textarea id="svar-tekst"[^>]*>(.*?)</textarea>`)
)

// replyForm loads the ticket page and returns the hidden fields of its reply form.
func (b *browser) replyForm(tk *ticket.Ticket) url.Values {
	b.e.t.Helper()
	_, body := b.get("/saker/" + tk.Ref.String())
	v, s, c := versionInput.FindStringSubmatch(body), seenInput.FindStringSubmatch(body), csrfInput.FindStringSubmatch(body)
	if v == nil || s == nil || c == nil {
		b.e.t.Fatalf("no reply form on the ticket page:\n%s", body)
	}
	return url.Values{"csrf": {c[1]}, "version": {v[1]}, "seen": {s[1]}}
}

func with(v url.Values, kv ...string) url.Values {
	out := url.Values{}
	for k, x := range v {
		out[k] = x
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out.Set(kv[i], kv[i+1])
	}
	return out
}

// agentOnTicket is a ticket and an agent with its page open.
func agentOnTicket(t *testing.T, subject string) (*testEnv, *ticket.Ticket, *browser, url.Values) {
	t.Helper()
	e := newTestEnv(t, "http://127.0.0.1:8080")
	tk := e.createTicket(subject, "kari@lillehammer.kommune.no")
	br := e.browser()
	br.login("agent@ks.no")
	return e, tk, br, br.replyForm(tk)
}

func TestReplyFromTicketPage(t *testing.T) {
	e, tk, br, form := agentOnTicket(t, "Kurs i BankID")
	path := "/saker/" + tk.Ref.String() + "/svar"

	errs := []struct {
		name, text, status, want string
	}{
		{"ErrEmpty", "  ", "venter", "Skriv et svar."},
		{"ErrStatus", "Hei", "henvist", "Et svar kan sette saken til"},
	}
	for _, tt := range errs {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := br.post(path, with(form, "text", tt.text, "status", tt.status, "handling", "send"))
			if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(html.UnescapeString(body), tt.want) {
				t.Fatalf("status %d, want 422 with %q", resp.StatusCode, tt.want)
			}
			if m := replyArea.FindStringSubmatch(body); m == nil || html.UnescapeString(m[1]) != tt.text {
				t.Fatalf("draft not kept: %v", m)
			}
			if !strings.Contains(body, `aria-invalid="true"`) {
				t.Fatal("the field is not marked invalid")
			}
		})
	}
	if n := len(e.outbox(tk)); n != 0 {
		t.Fatalf("%d mails queued by refused replies", n)
	}

	t.Run("OK", func(t *testing.T) {
		resp, _ := br.post(path, with(form, "text", "Hei Kari!\nSe håndboken.", "status", "løst", "handling", "send"))
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/saker/"+tk.Ref.String()+"?sendt=svar#skriv" {
			t.Fatalf("status %d location %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		got, _ := e.tickets.FindTicketByID(context.Background(), tk.ID)
		if got.Status != ticket.StatusResolved || got.FirstResponseAt.IsZero() {
			t.Fatalf("ticket %s", got.Status)
		}
		mails := e.outbox(tk)
		if len(mails) != 1 || mails[0].Kind != ticket.MailReply || mails[0].To[0] != "kari@lillehammer.kommune.no" ||
			!strings.Contains(mails[0].Text, "Se håndboken.") {
			t.Fatalf("outbox %+v", mails)
		}
		msgs, _ := e.tickets.FindMessages(context.Background(), tk.ID)
		if last := msgs[len(msgs)-1]; last.Direction != ticket.DirectionOut || last.Author != "agent@ks.no" || last.MessageID != mails[0].MessageID {
			t.Fatalf("thread message %+v", last)
		}
		_, body := br.get(resp.Header.Get("Location"))
		for _, want := range []string{"Svaret er lagret og lagt i utboksen", "Utgående e-post", "i kø"} {
			if !strings.Contains(body, want) {
				t.Errorf("page lacks %q", want)
			}
		}
	})
}

func TestReplyConflictKeepsDraft(t *testing.T) {
	e, tk, br, form := agentOnTicket(t, "Kurs i BankID")
	admin := ticket.NewContextWithActor(context.Background(), ticket.Actor{Name: "admin@ks.no", Role: ticket.RoleAdmin})
	if _, err := e.tickets.UpdateTicket(admin, tk.ID, ticket.TicketUpdate{Assignee: ptr("admin@ks.no")}); err != nil {
		t.Fatal(err)
	}
	draft := "Hei Kari, her er svaret mitt – æøå."
	resp, body := br.post("/saker/"+tk.Ref.String()+"/svar", with(form, "text", draft, "status", "venter", "handling", "send"))
	if resp.StatusCode != http.StatusConflict {
		t.Fatalf("status %d, want 409", resp.StatusCode)
	}
	page := html.UnescapeString(body)
	for _, want := range []string{"Saken ble endret mens du skrev", "Saksbehandler endret", "admin@ks.no", draft} {
		if !strings.Contains(page, want) {
			t.Errorf("conflict page lacks %q", want)
		}
	}
	if len(e.outbox(tk)) != 0 {
		t.Fatal("the held reply was queued")
	}
	again := versionInput.FindStringSubmatch(body)
	if again == nil || again[1] == form.Get("version") {
		t.Fatalf("version field %v, want the ticket's new version", again)
	}
	resp, _ = br.post("/saker/"+tk.Ref.String()+"/svar", with(form, "version", again[1], "text", draft, "status", "venter", "handling", "send"))
	if resp.StatusCode != http.StatusSeeOther || len(e.outbox(tk)) != 1 {
		t.Fatalf("sending knowingly: status %d, %d mails", resp.StatusCode, len(e.outbox(tk)))
	}
}

func TestCannedResponseInsertWithoutJavaScript(t *testing.T) {
	e, tk, br, form := agentOnTicket(t, "Kurs i BankID")
	r := &ticket.CannedResponse{Title: "BankID-kurs", Text: "Hei {navn}!\nSe håndboken: https://example.no/handbok ({saksnummer})"}
	if err := e.srv.Templates.SaveCannedResponse(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	path := "/saker/" + tk.Ref.String() + "/svar"
	resp, body := br.post(path, with(form, "text", "Takk for spørsmålet.", "handling", "sett-inn", "mal", "1"))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	m := replyArea.FindStringSubmatch(body)
	want := "Takk for spørsmålet.\n\nHei Kari Nordmann!\nSe håndboken: https://example.no/handbok (" + tk.Ref.String() + ")"
	if m == nil || html.UnescapeString(m[1]) != want {
		t.Fatalf("textarea %q, want %q", m, want)
	}
	if !strings.Contains(html.UnescapeString(body), "Svarmalen «BankID-kurs» er satt inn") || len(e.outbox(tk)) != 0 {
		t.Fatal("no notice, or something was sent")
	}
	if resp, body := br.post(path, with(form, "text", "x", "handling", "sett-inn", "mal", "")); resp.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(body, "Velg en svarmal først.") {
		t.Fatalf("no template chosen: %d", resp.StatusCode)
	}
	if resp, body := br.post(path, with(form, "text", "Mitt utkast", "handling", "sett-inn", "mal", "99")); resp.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(body, "Svarmalen finnes ikke lenger.") || !strings.Contains(body, ">Mitt utkast</textarea>") {
		t.Fatalf("deleted template: %d", resp.StatusCode)
	}
}

func TestNoteAndReferralForms(t *testing.T) {
	e, tk, br, form := agentOnTicket(t, "Dagpenger")
	ref := "/saker/" + tk.Ref.String()

	if resp, _ := br.post(ref+"/notat", with(form, "text", "Ringte Kari; hun sender skjermbilde.")); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("note: status %d", resp.StatusCode)
	}
	if len(e.outbox(tk)) != 0 {
		t.Fatal("a note was queued for sending")
	}
	errs := []struct{ name, agency, want string }{
		{"ErrNoAgency", "", "Velg en etat fra listen."},
		{"ErrNoAddress", "nasjonalbiblioteket", "har ingen henvisningsadresse"},
	}
	for _, tt := range errs {
		resp, body := br.post(ref+"/henvisning", with(br.replyForm(tk), "agency", tt.agency, "note", "Notat"))
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, tt.want) || !strings.Contains(body, ">Notat</textarea>") {
			t.Errorf("%s: status %d, want 422 with %q and the note kept", tt.name, resp.StatusCode, tt.want)
		}
	}
	resp, _ := br.post(ref+"/henvisning", with(br.replyForm(tk), "agency", "nav", "note", "Gjelder dagpenger.", "notify", "ja"))
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("referral: status %d", resp.StatusCode)
	}
	got, _ := e.tickets.FindTicketByID(context.Background(), tk.ID)
	if got.Status != ticket.StatusReferred || len(got.Referrals) != 1 || got.Referrals[0].By != "agent@ks.no" {
		t.Fatalf("ticket %+v", got)
	}
	mails := e.outbox(tk)
	if len(mails) != 2 {
		t.Fatalf("outbox %+v, want the referral and the notice", mails)
	}
	kinds := map[ticket.MailKind]string{}
	for _, m := range mails {
		kinds[m.Kind] = m.To[0]
	}
	if kinds[ticket.MailReferral] != "digihjelp@nav.test" || kinds[ticket.MailNotice] != "kari@lillehammer.kommune.no" {
		t.Fatalf("mails %v", kinds)
	}
}

func TestComposeNeedsLogin(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080")
	tk := e.createTicket("Kurs", "kari@lillehammer.kommune.no")
	br := e.browser()
	token := br.csrf("/logg-inn")
	for _, p := range []string{"/svar", "/notat", "/henvisning"} {
		resp, _ := br.post("/saker/"+tk.Ref.String()+p, url.Values{"csrf": {token}, "text": {"x"}})
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/logg-inn") {
			t.Errorf("%s without login: %d %s", p, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	br.login("agent@ks.no")
	resp, _ := br.post("/saker/"+tk.Ref.String()+"/svar", url.Values{"text": {"x"}})
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("without CSRF: %d, want 403", resp.StatusCode)
	}
}

func TestReplyStatusDefault(t *testing.T) {
	tests := []struct {
		name string
		from ticket.Status
		want string
	}{
		{"new waits on the requester", ticket.StatusNew, "venter"},
		{"resolved stays resolved", ticket.StatusResolved, "løst"},
		{"closed opens again", ticket.StatusClosed, "åpen"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, tk, br, _ := agentOnTicket(t, "Kurs")
			if tt.from != ticket.StatusNew {
				if _, err := e.tickets.UpdateTicket(context.Background(), tk.ID, ticket.TicketUpdate{Status: &tt.from}); err != nil {
					t.Fatal(err)
				}
			}
			_, body := br.get("/saker/" + tk.Ref.String())
			if !strings.Contains(body, `name="status" value="`+tt.want+`" checked`) {
				t.Fatalf("the reply form does not preselect %s", tt.want)
			}
		})
	}
}
