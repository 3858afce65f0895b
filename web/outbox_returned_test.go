package web_test

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/ks-no/digihjelpen/mailbridge"
	"github.com/ks-no/digihjelpen/ticket"
)

// returnedReply sends a reply on tk, marks it sent, and takes in the project's Postfix DSN
// fixture pointed at it, as the recipient's server would send it back.
func (e *testEnv) returnedReply(tk *ticket.Ticket) *ticket.OutboundMail {
	e.t.Helper()
	reply := e.queuedReply(tk)
	if err := e.srv.Outbox.MarkMailSent(context.Background(), reply.ID); err != nil {
		e.t.Fatal(err)
	}
	dsn, err := os.ReadFile("../mailbridge/testdata/no/retur-av-kvittering.eml")
	if err != nil {
		e.t.Fatal(err)
	}
	dsn = bytes.ReplaceAll(dsn, []byte("<ack-1@digihjelpen.test>"), []byte(reply.MessageID))
	res, err := e.intake.Take(context.Background(), []mailbridge.Incoming{{Raw: dsn, Source: "test"}})
	if err != nil || res[0].TicketID != tk.ID {
		e.t.Fatalf("bounce: %+v %v", res, err)
	}
	return reply
}

// TestOutboxReturnedMail: a reply went out, and the recipient's server sent it back. /utboks
// lists it among the mail that did not arrive, with the server's words, and the ticket says so
// at the top, in its list of outgoing mail and in its history.
func TestOutboxReturnedMail(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080")
	tk := e.createTicket("Kurs", "feil.adresse@hamar.kommune.no")
	reply := e.returnedReply(tk)
	c := e.browser()
	c.login("agent@ks.no")

	resp, body := c.get("/utboks") // opens on the mail that did not arrive
	page := html.UnescapeString(body)
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, "kom i retur") || !strings.Contains(page, "status 5.1.1, 550 5.1.1 User unknown") ||
		!strings.Contains(page, `aria-current="page">Kom ikke fram <span class="count">1</span>`) {
		t.Fatalf("outbox page: %d\n%s", resp.StatusCode, page)
	}
	_, body = c.get("/saker/" + tk.Ref.String())
	page = html.UnescapeString(body)
	if !strings.Contains(page, "En e-post fra denne saken kom ikke fram") || !strings.Contains(page, "<td>kom i retur<br>") {
		t.Fatalf("the ticket page does not say the reply came back:\n%s", page)
	}
	if want := fmt.Sprintf("Svar (e-post %d, feil.adresse@hamar.kommune.no) kom i retur.", reply.ID); !strings.Contains(page, want) {
		t.Fatalf("the history does not say %q", want)
	}
}

// TestBrowserReturnedMail audits the outbox page and the ticket page with a returned mail.
func TestBrowserReturnedMail(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080")
	tk := e.createTicket("Kurs", "feil.adresse@hamar.kommune.no")
	e.returnedReply(tk)
	c := newChrome(t, e)
	c.login("admin@ks.no")
	c.visit("/utboks")
	if got := c.text("table.mails"); !strings.Contains(got, "kom i retur") {
		t.Fatalf("outbox %q", got)
	}
	c.audit("utboks-retur")
	c.visit("/saker/" + tk.Ref.String())
	if got := c.text("#utgaende + table"); !strings.Contains(got, "kom i retur") {
		t.Fatalf("the ticket's mail %q", got)
	}
	c.audit("sak-retur")
}
