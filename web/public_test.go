package web_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
	"github.com/ks-no/digihjelpen/ticket/compose"
	"github.com/ks-no/digihjelpen/web"
)

func TestFormPage(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080", publicOpts(0))
	resp, body := e.browser().get("/")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("got status %d, want 200", resp.StatusCode)
	}
	for _, want := range []string{
		`<option value="3405">Lillehammer</option>`, `<option value="annen">`, `name="tema"`, `id="tema"`,
		`name="nettsted"`, `enctype="multipart/form-data"`, `name="csrf"`, `form.js`, `value="finn-kommune"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("form lacks %q", want)
		}
	}
	for _, c := range ticket.Categories {
		if !strings.Contains(body, `value="`+c.Key+`"`) {
			t.Errorf("form lacks the topic %s", c.Key)
		}
	}
	if strings.Contains(body, `name="robots"`) {
		t.Error("the public form says noindex; it should be found")
	}
}

func TestFormFieldErrors(t *testing.T) {
	t.Parallel() // one of the longest: it overlaps the others that wait for the browser
	long := strings.Repeat("æ", ticket.MaxTextLen+1)
	tests := []struct {
		name  string
		edit  func(url.Values)
		files []upload
		field string
		want  string
	}{
		{"ErrNameRequired", func(f url.Values) { f.Set("navn", " ") }, nil, "navn", "Skriv navnet ditt."},
		{"ErrEmailRequired", func(f url.Values) { f.Set("epost", "") }, nil, "epost", "Skriv e-postadressen din"},
		{"ErrEmailInvalid", func(f url.Values) { f.Set("epost", "åse@") }, nil, "epost", "Skriv en gyldig e-postadresse"},
		{"ErrEmailDisplayName", func(f url.Values) { f.Set("epost", "Åse <ase@oslo.kommune.no>") }, nil, "epost", "Skriv en gyldig e-postadresse"},
		{"ErrMunicipalityUnknownDomain", func(f url.Values) { f.Set("kommune", ""); f.Set("epost", "ase@gmail.com") }, nil, "kommune", "Velg kommunen du jobber i"},
		{"ErrMunicipalityBadNumber", func(f url.Values) { f.Set("kommune", "9999") }, nil, "kommune", "Velg en kommune fra listen."},
		{"ErrTopicRequired", func(f url.Values) { f.Del("tema") }, nil, "tema", "Velg hva spørsmålet gjelder."},
		{"ErrTopicUnknown", func(f url.Values) { f.Set("tema", "hacking") }, nil, "tema", "Velg hva spørsmålet gjelder."},
		{"ErrQuestionRequired", func(f url.Values) { f.Set("sporsmal", "  \n ") }, nil, "sporsmal", "Skriv spørsmålet ditt."},
		{"ErrQuestionTooLong", func(f url.Values) { f.Set("sporsmal", long) }, nil, "sporsmal", "Teksten kan være høyst 100000 tegn"},
		{"ErrFileType", nil, []upload{{"vedlegg", "program.exe", []byte("MZ\x90\x00")}}, "vedlegg", "Filen «program.exe» har en filtype vi ikke tar imot."},
		{"ErrFileContent", nil, []upload{{"vedlegg", "faktura.pdf", []byte("MZ\x90\x00 not a pdf")}}, "vedlegg", "Filen «faktura.pdf» ser ikke ut som en PDF-fil."},
		{"ErrFileEmpty", nil, []upload{{"vedlegg", "tom.png", nil}}, "vedlegg", "Filen «tom.png» er tom."},
		{"ErrFileTooLarge", nil, []upload{{"vedlegg", "stor.pdf", append(append([]byte{}, pdfBytes...), bytes.Repeat([]byte("x"), 10<<20)...)}}, "vedlegg", "Filen «stor.pdf» er større enn 10 MB."},
		{"ErrTooManyFiles", nil, []upload{{"vedlegg", "1.pdf", pdfBytes}, {"vedlegg", "2.pdf", pdfBytes}, {"vedlegg", "3.pdf", pdfBytes}, {"vedlegg", "4.pdf", pdfBytes}, {"vedlegg", "5.pdf", pdfBytes}, {"vedlegg", "6.pdf", pdfBytes}}, "vedlegg", "Du kan legge ved høyst 5 filer; du valgte 6."},
		{"ErrFilesTooLargeTogether", nil, []upload{{"vedlegg", "a.pdf", append(append([]byte{}, pdfBytes...), bytes.Repeat([]byte("a"), 8<<20)...)}, {"vedlegg", "b.pdf", append(append([]byte{}, pdfBytes...), bytes.Repeat([]byte("b"), 8<<20)...)}, {"vedlegg", "c.pdf", append(append([]byte{}, pdfBytes...), bytes.Repeat([]byte("c"), 8<<20)...)}}, "vedlegg", "til sammen større enn 20 MB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEnv(t, "http://127.0.0.1:8080", publicOpts(0))
			b := e.browser()
			form := validForm(b)
			if tt.edit != nil {
				tt.edit(form)
			}
			resp, body := b.postMultipart("/", form, tt.files...)
			if resp.StatusCode != http.StatusBadRequest {
				t.Fatalf("got status %d, want 400", resp.StatusCode)
			}
			checkFieldError(t, body, tt.field, tt.want)
			if n := len(e.allTickets()); n != 0 {
				t.Fatalf("got %d tickets, want none", n)
			}
			if tt.field != "navn" && !strings.Contains(body, `value="Åse Øvergård"`) {
				t.Error("the name was not kept in the form")
			}
		})
	}
}

// checkFieldError checks the pattern of an error beside a field: the message with an id, the
// field marked invalid and described by it, and a link to the field in the summary.
func checkFieldError(t *testing.T, body, field, want string) {
	t.Helper()
	errP := regexp.MustCompile(`<p class="field-error" id="` + field + `-feil"><span class="visually-hidden">Feil: </span>([^<]*)</p>`)
	m := errP.FindStringSubmatch(body)
	if m == nil || !strings.Contains(m[1], want) {
		t.Fatalf("no error %q beside %s; got %v", want, field, m)
	}
	control := regexp.MustCompile(`<(input|select|textarea|fieldset)[^>]*(id="` + field + `"|class="field has-error")[^>]*>`)
	var marked bool
	for _, c := range control.FindAllString(body, -1) {
		if strings.Contains(c, `aria-describedby="`) && strings.Contains(c, field+`-feil`) {
			marked = true
		}
	}
	if !marked {
		t.Errorf("%s is not described by its error", field)
	}
	if field != "tema" && !regexp.MustCompile(`id="`+field+`"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="`+field+`"`).MatchString(body) {
		t.Errorf("%s is not marked aria-invalid", field)
	}
	if !strings.Contains(body, `<a href="#`+field+`">`) {
		t.Errorf("the error summary does not link to #%s", field)
	}
	if !strings.Contains(body, `class="error-summary" role="alert" tabindex="-1"`) {
		t.Error("no focusable error summary")
	}
}

func TestFormCreatesTicket(t *testing.T) {
	e := newTestEnv(t, "https://digihjelpen.ks.no", publicOpts(0))
	b := e.browser()
	form := validForm(b)
	resp, body := b.postMultipart("/", form, upload{"vedlegg", "skjermbilde æøå.pdf", pdfBytes})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/kvittering" {
		t.Fatalf("got %d to %q, want 303 to /kvittering: %s", resp.StatusCode, resp.Header.Get("Location"), body)
	}
	list := e.allTickets()
	if len(list) != 1 {
		t.Fatalf("got %d tickets, want 1", len(list))
	}
	tk := list[0]
	want := ticket.Requester{Name: "Åse Øvergård", Email: "ase.overgard@lillehammer.kommune.no",
		Municipality: ticket.Municipality{Number: "3405", Name: "Lillehammer"}, County: ticket.County{Number: "34", Name: "Innlandet"}}
	if tk.Requester != want || tk.Channel != ticket.ChannelWeb || tk.Category != "nav" || tk.Agency != "nav" ||
		tk.Routing.Rule != "tema-nav" || tk.Status != ticket.StatusNew {
		t.Fatalf("got ticket %+v", tk)
	}
	if tk.Subject != "Hvordan hjelper vi en innbygger som ikke får logget inn på nav.no?" {
		t.Errorf("got subject %q", tk.Subject)
	}
	ctx := context.Background()
	msgs, _ := e.tickets.FindMessages(ctx, tk.ID)
	if len(msgs) != 1 || msgs[0].Direction != ticket.DirectionIn || !strings.Contains(msgs[0].Text, "BankID på mobil") ||
		len(msgs[0].Attachments) != 1 || msgs[0].Attachments[0].Name != "skjermbilde æøå.pdf" || msgs[0].Attachments[0].Type != "application/pdf" {
		t.Fatalf("got messages %+v", msgs)
	}
	if acked, _, err := e.tickets.FindTicketByMessageID(ctx, "<ack-"+tk.Ref.String()+"@digihjelpen.test>"); err != nil || acked.ID != tk.ID {
		t.Fatalf("acknowledgement not queued with the ticket: %v", err)
	}
	events, _ := e.srv.Events.FindEvents(ctx, tk.ID)
	if len(events) == 0 || events[0].Kind != ticket.EventCreated || events[0].Actor != want.Email {
		t.Fatalf("got events %+v, want created by the requester", events)
	}
	if logs := e.logs.String(); !strings.Contains(logs, tk.Ref.String()) || strings.Contains(logs, "ase.overgard") || strings.Contains(logs, "Øvergård") {
		t.Fatalf("logs must name the reference and no person: %s", logs)
	}

	resp, body = b.get("/kvittering")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("receipt: status %d", resp.StatusCode)
	}
	statusURL := "https://digihjelpen.ks.no/sak/" + tk.StatusToken
	for _, want := range []string{tk.Ref.String(), statusURL, "ase.overgard@lillehammer.kommune.no", "Lillehammer", "NAV-tjenester"} {
		if !strings.Contains(body, want) {
			t.Errorf("receipt lacks %q", want)
		}
	}
	if resp.Header.Get("Referrer-Policy") != "no-referrer" || resp.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("receipt headers %v", resp.Header)
	}
	if resp, _ := e.browser().get("/kvittering"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("receipt without the cookie: status %d, want a redirect to the form", resp.StatusCode)
	}
}

func TestFormMunicipalityFromEmail(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080", publicOpts(0))
	b := e.browser()
	form := validForm(b)
	form.Set("kommune", "")
	form.Set("epost", "kari@bibliotek.tromso.kommune.no")
	form.Set(fmt.Sprint("handling"), "finn-kommune")
	resp, body := b.postMultipart("/", form)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `<option value="5501" selected>Tromsø</option>`) ||
		!strings.Contains(body, "Vi har valgt Tromsø kommune ut fra e-postadressen") {
		t.Fatalf("find municipality: status %d, Tromsø not chosen: %s", resp.StatusCode, body)
	}
	if n := len(e.allTickets()); n != 0 {
		t.Fatalf("finding the municipality created %d tickets", n)
	}
	form.Del("handling")
	if resp, _ := b.postMultipart("/", form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit: status %d", resp.StatusCode)
	}
	if got := e.allTickets()[0].Requester.Municipality.Number; got != "5501" {
		t.Fatalf("got municipality %q, want 5501 from the email domain", got)
	}
}

func TestFormOtherOrganisation(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080", publicOpts(0))
	b := e.browser()
	form := validForm(b)
	form.Set("kommune", "annen")
	form.Set("epost", "ola@bibliotek.example.no")
	if resp, body := b.postMultipart("/", form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	if got := e.allTickets()[0].Requester.Municipality; got.Number != "" {
		t.Fatalf("got municipality %+v, want none", got)
	}
}

func TestFormHoneypot(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080", publicOpts(0))
	b := e.browser()
	form := validForm(b)
	form.Set("nettsted", "http://spam.example")
	resp, body := b.postMultipart("/", form)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Takk for spørsmålet") {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	if n := len(e.allTickets()); n != 0 {
		t.Fatalf("a bot created %d tickets", n)
	}
}

func TestFormRateLimit(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080", publicOpts(2))
	b := e.browser()
	for i := range 2 {
		if resp, body := b.postMultipart("/", validForm(b)); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("question %d: status %d: %s", i+1, resp.StatusCode, body)
		}
	}
	resp, body := b.postMultipart("/", validForm(b))
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("got status %d Retry-After %q, want 429 with Retry-After", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if !strings.Contains(body, "Det er sendt mange spørsmål fra denne adressen") || !strings.Contains(body, "BankID på mobil") {
		t.Fatalf("the 429 page must say why in Norwegian and keep the text: %s", body)
	}
	tickets := e.allTickets()
	if n := len(tickets); n != 2 {
		t.Fatalf("got %d tickets, want 2", n)
	}
	for _, tk := range tickets { // the two that got through are the form's questions, as asked
		if tk.Channel != ticket.ChannelWeb || tk.Requester.Email != "ase.overgard@lillehammer.kommune.no" || tk.Requester.Municipality.Number != "3405" {
			t.Errorf("stored %s: channel %s, requester %+v", tk.Ref, tk.Channel, tk.Requester)
		}
	}
}

func TestFormCSRF(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080", publicOpts(0))
	b := e.browser()
	form := validForm(b)
	form.Del("csrf")
	if resp, _ := b.postMultipart("/", form); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("got status %d, want 403 without the CSRF token", resp.StatusCode)
	}
}

func TestMunicipalityLookup(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080", publicOpts(0))
	tests := []struct {
		name, domain string
		status       int
		want         string
	}{
		{"OK", "oslo.kommune.no", 200, `{"name":"Oslo","number":"0301"}`},
		{"OK sub-domain", "bibliotek.oslo.kommune.no", 200, `"number":"0301"`},
		{"ErrUnknown", "gmail.com", 404, `{}`},
		{"ErrAddress", "ola@oslo.kommune.no", 404, `{}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := e.browser().get("/skjema/kommune?domene=" + url.QueryEscape(tt.domain))
			if resp.StatusCode != tt.status || !strings.Contains(body, tt.want) {
				t.Fatalf("got %d %s, want %d %s", resp.StatusCode, body, tt.status, tt.want)
			}
		})
	}
}

// TestFormBodyTooLarge announces more than the body limit to a real listener (fasthttp refuses
// it from the Content-Length, before any handler runs) and expects the error page in
// Norwegian, not a bare 413. It writes only the start of the body over a raw connection: the
// server answers and closes without reading the rest, and a client still writing the whole
// body could see the reset before the answer.
func TestFormBodyTooLarge(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080", publicOpts(0))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go e.srv.Serve(ln)
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	fmt.Fprintf(conn, "POST / HTTP/1.1\r\nHost: %s\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: %d\r\n\r\n", ln.Addr(), 27<<20)
	conn.Write([]byte("--x\r\nContent-Disposition: form-data; name=\"navn\"\r\n\r\nÅse\r\n"))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	page, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(page), "høyst 20 MB") {
		t.Fatalf("got %d, want 413 with a Norwegian sentence: %s", resp.StatusCode, page)
	}
}

// TestFormAcknowledgementFromComposer sends the form with the outbox's real composer: the
// acknowledgement names the reference and the private status link, goes to the requester,
// and is queued in the transaction that stored the ticket.
func TestFormAcknowledgementFromComposer(t *testing.T) {
	composer, err := compose.New("Digihjelpen kontaktpunkt <kontakt@digihjelpen.test>", "https://digihjelpen.ks.no")
	if err != nil {
		t.Fatal(err)
	}
	var sent []*ticket.OutboundMail
	e := newTestEnv(t, "https://digihjelpen.ks.no", publicOpts(0), func(s *web.Server) {
		s.Acknowledge = func(tk *ticket.Ticket, m *ticket.Message) ([]*ticket.OutboundMail, error) {
			out, err := composer.Ack(tk, m)
			sent = out
			return out, err
		}
	})
	b := e.browser()
	if resp, body := b.postMultipart("/", validForm(b)); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	tk := e.allTickets()[0]
	if len(sent) != 1 {
		t.Fatalf("got %d acknowledgements, want 1", len(sent))
	}
	ack := sent[0]
	if ack.To[0] != "ase.overgard@lillehammer.kommune.no" || !strings.Contains(ack.Subject, tk.Ref.String()) ||
		!strings.Contains(ack.Text, "https://digihjelpen.ks.no/sak/"+tk.StatusToken) || !strings.Contains(ack.Text, "Åse Øvergård") || !ack.AutoReply {
		t.Fatalf("got acknowledgement %+v", ack)
	}
	if got, _, err := e.tickets.FindTicketByMessageID(context.Background(), ack.MessageID); err != nil || got.ID != tk.ID {
		t.Fatalf("the acknowledgement was not queued with the ticket: %v", err)
	}
}

// TestFormSubject: the optional «Emne» is the subject; without it the subject is the first
// line of the question that says something, without greetings and sign-offs.
func TestFormSubject(t *testing.T) {
	tests := []struct {
		name, subject, question, want string
	}{
		{"given", "  Skattekort   for ny ansatt ", "Hei!\nHvordan bestiller vi?", "Skattekort for ny ansatt"},
		{"from the question", "", "Hei!\n\nHvordan bestiller en ny ansatt skattekort?\n\nMvh Tone.", "Hvordan bestiller en ny ansatt skattekort?"},
		{"greeting on the line", "", "Hei, vi lurer på hvordan vi låner ut nettbrett.\nMvh Tone", "Vi lurer på hvordan vi låner ut nettbrett."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEnv(t, "http://127.0.0.1:8080", publicOpts(0))
			b := e.browser()
			form := validForm(b)
			form.Set("emne", tt.subject)
			form.Set("sporsmal", tt.question)
			if resp, body := b.postMultipart("/", form); resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("status %d: %s", resp.StatusCode, body)
			}
			if got := e.allTickets()[0].Subject; got != tt.want {
				t.Errorf("subject %q, want %q", got, tt.want)
			}
		})
	}
	e := newTestEnv(t, "http://127.0.0.1:8080", publicOpts(0))
	b := e.browser()
	form := validForm(b)
	form.Set("emne", strings.Repeat("x", ticket.MaxSubjectLen+1))
	if resp, body := b.postMultipart("/", form); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="emne-feil"`) {
		t.Errorf("a subject too long: %d", resp.StatusCode)
	}
}
