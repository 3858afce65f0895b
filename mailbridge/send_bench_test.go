package mailbridge_test

import (
	"fmt"
	"testing"

	"github.com/ks-no/digihjelpen/ticket"
)

// BenchmarkSendToMailpit measures the outbox end to end: read due mail from bbolt, write MIME,
// send over one SMTP connection per batch to the shared Mailpit, and mark each mail sent (one
// bbolt commit, with fsync, per mail). Run: make bench, or
// go test -run '^$' -bench SendToMailpit -benchtime 2000x ./mailbridge
func BenchmarkSendToMailpit(b *testing.B) {
	smtpAddr, api := mailstack(b)
	f := newFixture(b)
	for i := range b.N {
		tk := &ticket.Ticket{Ref: ticket.Ref{Year: 2026, Number: i + 1}, Subject: "Spørsmål om kurs i BankID for eldre", StatusToken: "x",
			Requester: ticket.Requester{Name: "Kari Nordmann", Email: f.requester(fmt.Sprintf("bench%d", i))}}
		out, err := f.composer.Ack(tk, &ticket.Message{MessageID: fmt.Sprintf("<q%d.%s@l>", i, f.uniq)})
		if err != nil {
			b.Fatal(err)
		}
		if err := f.db.EnqueueMail(f.ctx(), out[0]); err != nil {
			b.Fatal(err)
		}
	}
	s := f.sender(smtpAddr)
	b.ResetTimer()
	sent := 0
	for sent < b.N {
		n, err := s.SendDue(f.ctx())
		if err != nil {
			b.Fatal(err)
		}
		if n == 0 {
			b.Fatalf("sent %d of %d, then nothing", sent, b.N)
		}
		sent += n
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "mails/s")
	if q, p, _ := f.outbox.CountOutbox(f.ctx()); q != 0 || p != 0 {
		b.Fatalf("left queued %d, parked %d", q, p)
	}
	_ = api
}
