package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/ks-no/digihjelpen/mailbridge"
	"github.com/ks-no/digihjelpen/ticket"
)

// TestTicketPageShowsIntakeQuoteSplit: a bottom-posted reply with a signature, as Apple Mail
// sends it, comes in through intake; the ticket page shows the answer first and folds the
// signature and the quote away behind «Vis sitert tekst».
func TestTicketPageShowsIntakeQuoteSplit(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080")
	raw := "From: Ola Hansen <ola@lillehammer.kommune.no>\r\nTo: kontakt@digihjelpen.test\r\nSubject: Skattemelding\r\n" +
		"Message-ID: <bunn@lillehammer.kommune.no>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
		"> 23. nov. 2026 kl. 09:00 skrev Kari <kari@x.no>:\r\n>\r\n> Hva virker ikke?\r\n\r\n" +
		"Innbyggeren får feilmelding når hun sender.\r\n\r\nSendt fra min iPhone\r\n"
	res, err := e.intake.Take(context.Background(), []mailbridge.Incoming{{Raw: []byte(raw)}})
	if err != nil || res[0].Outcome != ticket.IntakeCreated {
		t.Fatalf("intake: %+v %v", res, err)
	}
	b := e.browser()
	b.login("agent@ks.no")
	_, body := b.get("/saker/" + res[0].Ref.String())
	answer := strings.Index(body, "Innbyggeren får feilmelding når hun sender.")
	fold := strings.Index(body, "<summary>Vis sitert tekst</summary>")
	quote := strings.Index(body, "Hva virker ikke?")
	if answer < 0 || fold < answer || quote < fold || strings.Index(body, "Sendt fra min iPhone") < fold {
		t.Errorf("answer at %d, fold at %d, quote at %d; want the answer first, then the fold with the rest", answer, fold, quote)
	}
}
