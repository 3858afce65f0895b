package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ks-no/digihjelpen/ticket"
)

// formTicket sends the form and returns the ticket it made.
func formTicket(t *testing.T, e *testEnv) *ticket.Ticket {
	t.Helper()
	b := e.browser()
	if resp, body := b.postMultipart("/", validForm(b)); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("form: status %d: %s", resp.StatusCode, body)
	}
	list := e.allTickets()
	return list[0]
}

// thread adds what staff do to a ticket: an answer with a file, a note, a referral, a system
// message; and sets the status.
func thread(t *testing.T, e *testEnv, tk *ticket.Ticket, status ticket.Status) {
	t.Helper()
	ctx := ticket.NewContextWithActor(context.Background(), ticket.Actor{Name: "agent@ks.no", Role: ticket.RoleAgent})
	msgs := []*ticket.Message{
		{Direction: ticket.DirectionOut, From: "digihjelpen@ks.no", Author: "agent@ks.no", To: []string{"Åse <" + tk.Requester.Email + ">"},
			Text: "Hei Åse! Be innbyggeren logge inn med MinID.", Attachments: []ticket.Attachment{{Name: "veiledning.pdf", Type: "application/pdf", Data: pdfBytes}}},
		{Direction: ticket.DirectionNote, Author: "agent@ks.no", Text: "HEMMELIG NOTAT om saken"},
		{Direction: ticket.DirectionOut, From: "digihjelpen@ks.no", Author: "agent@ks.no", To: []string{"nav@nav.no"}, Text: "HENVISNING til NAV"},
		{Direction: ticket.DirectionSystem, Text: "SYSTEMMELDING: e-post kom ikke fram"},
	}
	for _, m := range msgs {
		if _, err := e.tickets.AppendMessage(ctx, tk.ID, m, ticket.AppendOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.tickets.UpdateTicket(ctx, tk.ID, ticket.TicketUpdate{Status: &status}); err != nil {
		t.Fatal(err)
	}
}

func TestStatusPage(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080", publicOpts(0))
	tk := formTicket(t, e)
	thread(t, e, tk, ticket.StatusWaiting)
	resp, body := e.browser().get("/sak/" + tk.StatusToken)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("got status %d", resp.StatusCode)
	}
	for _, want := range []string{tk.Ref.String(), "Vi venter på svar fra deg", "Be innbyggeren logge inn med MinID.",
		"/sak/" + tk.StatusToken + "/vedlegg/2/0", `name="tillegg"`, `<meta name="robots" content="noindex, nofollow">`} {
		if !strings.Contains(body, want) {
			t.Errorf("status page lacks %q", want)
		}
	}
	for _, never := range []string{"HEMMELIG NOTAT", "HENVISNING", "SYSTEMMELDING", "agent@ks.no", "digihjelpen@ks.no", "nav@nav.no"} {
		if strings.Contains(body, never) {
			t.Errorf("status page shows %q", never)
		}
	}
	for h, want := range map[string]string{"X-Robots-Tag": "noindex, nofollow, noarchive", "Referrer-Policy": "no-referrer", "Cache-Control": "no-store"} {
		if got := resp.Header.Get(h); got != want {
			t.Errorf("header %s = %q, want %q", h, got, want)
		}
	}
}

// TestStatusPageUpdatedTime: the page says when the requester last saw something happen (our
// answer), not when staff last wrote a note or a referral they never see.
func TestStatusPageUpdatedTime(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080", publicOpts(0))
	at := time.Date(2026, 11, 23, 9, 0, 0, 0, ticket.Oslo)
	e.db.Now = func() time.Time { return at }
	tk := formTicket(t, e)
	ctx := ticket.NewContextWithActor(context.Background(), ticket.Actor{Name: "agent@ks.no", Role: ticket.RoleAgent})
	for _, step := range []struct {
		hour int
		m    *ticket.Message
	}{
		{10, &ticket.Message{Direction: ticket.DirectionOut, From: "digihjelpen@ks.no", Author: "agent@ks.no", To: []string{tk.Requester.Email}, Text: "Svar"}},
		{14, &ticket.Message{Direction: ticket.DirectionNote, Author: "agent@ks.no", Text: "Notat"}},
		{15, &ticket.Message{Direction: ticket.DirectionOut, From: "digihjelpen@ks.no", Author: "agent@ks.no", To: []string{"nav@nav.no"}, Text: "Henvisning"}},
	} {
		at = time.Date(2026, 11, 23, step.hour, 0, 0, 0, ticket.Oslo)
		if _, err := e.tickets.AppendMessage(ctx, tk.ID, step.m, ticket.AppendOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	_, body := e.browser().get("/sak/" + tk.StatusToken)
	if !strings.Contains(body, "sist oppdatert") || !strings.Contains(body, "10:00") || strings.Contains(body, "14:00") || strings.Contains(body, "15:00") {
		t.Errorf("status page times: %s", body[strings.Index(body, "Sendt inn"):][:300])
	}
}

func TestStatusAttachment(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080", publicOpts(0))
	tk := formTicket(t, e)
	thread(t, e, tk, ticket.StatusResolved)
	b := e.browser()
	resp, body := b.get("/sak/" + tk.StatusToken + "/vedlegg/2/0")
	if resp.StatusCode != http.StatusOK || body != string(pdfBytes) {
		t.Fatalf("got status %d", resp.StatusCode)
	}
	if cd := resp.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, "veiledning.pdf") {
		t.Errorf("got Content-Disposition %q", cd)
	}
	if resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Error("no nosniff")
	}
	for _, path := range []string{"/vedlegg/1/0", "/vedlegg/2/1", "/vedlegg/3/0", "/vedlegg/x/0"} {
		if resp, _ := b.get("/sak/" + tk.StatusToken + path); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: got status %d, want 404 (not an answer)", path, resp.StatusCode)
		}
	}
}

func TestStatusUnknownToken(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080", publicOpts(0))
	formTicket(t, e)
	b := e.browser()
	_, plain := b.get("/finnes-ikke")
	for _, token := range []string{uuid.NewString(), "abc", strings.ToUpper(uuid.NewString()), "00000000-0000-0000-0000-000000000000"} {
		resp, body := b.get("/sak/" + token)
		if resp.StatusCode != http.StatusNotFound || body != plain {
			t.Errorf("%s: got %d, want the plain 404 page", token, resp.StatusCode)
		}
	}
	for range 20 {
		b.get("/sak/" + uuid.NewString())
	}
	resp, body := b.get("/sak/" + uuid.NewString())
	if resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, "For mange forsøk") {
		t.Fatalf("after many misses: got %d, want 429", resp.StatusCode)
	}
}

// TestReceiptCookieGuessesAreLimited: the receipt page takes its token from a cookie, which a
// client sets as it likes; guessing there counts against the same limit as /sak/<token>.
func TestReceiptCookieGuessesAreLimited(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080", publicOpts(0))
	tk := formTicket(t, e)
	b := e.browser()
	for range 20 {
		b.cookies["dh_kvittering"] = uuid.NewString()
		if resp, _ := b.get("/kvittering"); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("unknown receipt token: %d, want a redirect to the form", resp.StatusCode)
		}
	}
	b.cookies["dh_kvittering"] = tk.StatusToken
	if resp, body := b.get("/kvittering"); resp.StatusCode != http.StatusTooManyRequests || strings.Contains(body, tk.Ref.String()) {
		t.Fatalf("after 20 guesses: %d, want 429 and no ticket", resp.StatusCode)
	}
	if resp, _ := b.get("/sak/" + tk.StatusToken); resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("status link after 20 receipt guesses: %d, want 429", resp.StatusCode)
	}
}

func TestStatusAddInformation(t *testing.T) {
	tests := []struct {
		name       string
		status     ticket.Status
		text       string
		files      []upload
		wantStatus int
		wantTicket ticket.Status
		wantError  string
	}{
		{"OK reopens waiting", ticket.StatusWaiting, "Hun har nå fått MinID. Det virket!", nil, http.StatusSeeOther, ticket.StatusOpen, ""},
		{"OK reopens resolved", ticket.StatusResolved, "Et oppfølgingsspørsmål.", nil, http.StatusSeeOther, ticket.StatusOpen, ""},
		{"OK file only", ticket.StatusOpen, "", []upload{{"vedlegg", "bilde.png", pngBytes}}, http.StatusSeeOther, ticket.StatusOpen, ""},
		{"ErrEmpty", ticket.StatusWaiting, "  ", nil, http.StatusBadRequest, ticket.StatusWaiting, "Skriv det du vil legge til."},
		{"ErrFileType", ticket.StatusWaiting, "Se vedlegg", []upload{{"vedlegg", "virus.js", []byte("alert(1)")}}, http.StatusBadRequest, ticket.StatusWaiting, "har en filtype vi ikke tar imot"},
		{"ErrClosed", ticket.StatusClosed, "Hei igjen", nil, http.StatusBadRequest, ticket.StatusClosed, "Saken er avsluttet"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEnv(t, "http://127.0.0.1:8080", publicOpts(0))
			tk := formTicket(t, e)
			thread(t, e, tk, tt.status)
			b := e.browser()
			path := "/sak/" + tk.StatusToken
			resp, body := b.postMultipart(path, url.Values{"csrf": {b.csrf("/")}, "tillegg": {tt.text}}, tt.files...)
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("got status %d, want %d: %s", resp.StatusCode, tt.wantStatus, body)
			}
			if tt.wantError != "" && !strings.Contains(body, tt.wantError) {
				t.Fatalf("body lacks %q: %s", tt.wantError, body)
			}
			if tt.wantError != "" && tt.status != ticket.StatusClosed {
				field := "tillegg"
				if tt.files != nil {
					field = "vedlegg"
				}
				checkFieldError(t, body, field, tt.wantError)
			}
			got, _ := e.tickets.FindTicketByID(context.Background(), tk.ID)
			if got.Status != tt.wantTicket {
				t.Fatalf("got ticket status %s, want %s", got.Status, tt.wantTicket)
			}
			if tt.wantStatus != http.StatusSeeOther {
				return
			}
			if loc := resp.Header.Get("Location"); loc != path+"?sendt=1" {
				t.Fatalf("got redirect %q", loc)
			}
			msgs, _ := e.tickets.FindMessages(context.Background(), tk.ID)
			last := msgs[len(msgs)-1]
			if last.Direction != ticket.DirectionIn || last.From != tk.Requester.Email || strings.TrimSpace(last.Text) != strings.TrimSpace(tt.text) {
				t.Fatalf("got last message %+v", last)
			}
			if _, body := b.get(loc(resp)); !strings.Contains(body, "Takk! Vi har fått tilleggsinformasjonen din.") {
				t.Fatal("no confirmation after adding")
			}
		})
	}
}

func loc(resp *http.Response) string { return resp.Header.Get("Location") }

var pngBytes = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde")

// TestStatusPageConversation: the requester reads their own question and additions with our
// answers, in the order they came, and their own files; never notes, referrals or system
// messages.
func TestStatusPageConversation(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080", publicOpts(0))
	tk := formTicket(t, e)
	thread(t, e, tk, ticket.StatusWaiting)
	b := e.browser()
	token := b.csrf("/sak/" + tk.StatusToken)
	if resp, _ := b.postMultipart("/sak/"+tk.StatusToken, url.Values{"csrf": {token}, "tillegg": {"Hun har nå fått MinID. TILLEGG"}},
		upload{"vedlegg", "skjermbilde.pdf", pdfBytes}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("addition: %d", resp.StatusCode)
	}
	_, body := b.get("/sak/" + tk.StatusToken)
	question := strings.Index(body, "Hvordan hjelper vi en innbygger")
	answer := strings.Index(body, "Be innbyggeren logge inn med MinID.")
	addition := strings.Index(body, "Hun har nå fått MinID. TILLEGG")
	if question < 0 || answer < question || addition < answer {
		t.Fatalf("question at %d, answer at %d, addition at %d: want them in that order", question, answer, addition)
	}
	if strings.Count(body, "Du skrev") < 2 || !strings.Contains(body, "Svar fra Digihjelpen kontaktpunkt") {
		t.Error("the page does not say who wrote what")
	}
	for _, never := range []string{"HEMMELIG NOTAT", "HENVISNING", "SYSTEMMELDING"} {
		if strings.Contains(body, never) {
			t.Errorf("status page shows %q", never)
		}
	}
	if resp, got := b.get("/sak/" + tk.StatusToken + "/vedlegg/6/0"); resp.StatusCode != http.StatusOK || got != string(pdfBytes) {
		t.Errorf("the requester's own file: %d", resp.StatusCode)
	}
}
