package mailbridge_test

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/ks-no/digihjelpen/mailbridge"
)

// typicalMail is a question from a municipality as Outlook sends it (text and HTML, about
// 3 KB), made new for each call: its own Message-ID, and no thread to join.
func typicalMail(tb testing.TB) func(n int) []byte {
	raw := readFixture(tb, "no/outlook-svar.eml")
	raw = regexp.MustCompile(`(?m)^(References|In-Reply-To): .*\r?\n`).ReplaceAll(raw, nil)
	raw = bytes.ReplaceAll(raw, []byte("SV: [DH-2026-0001] "), nil)
	id := regexp.MustCompile(`(?m)^Message-ID: .*$`)
	return func(n int) []byte {
		return id.ReplaceAll(raw, fmt.Appendf(nil, "Message-ID: <bench-%d@hamar.kommune.no>", n))
	}
}

func BenchmarkParse(b *testing.B) {
	for _, f := range []string{"no/outlook-svar.eml", "no/gmail-svar.eml", "norsk-qp-attachment.eml", "corpus/bounces/flanker__office365.eml"} {
		raw := readFixture(b, f)
		b.Run(filepath.Base(f), func(b *testing.B) {
			b.SetBytes(int64(len(raw)))
			for b.Loop() {
				if _, err := mailbridge.Parse(raw, own); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkIntake is parse + commit of new tickets end to end into bbolt (routing and the
// acknowledgement queued included): one commit per mail, and mails that arrive together (as
// IMAP fetches them, up to 50) in one commit. The budget is 1,000 mails/s on 2 cores.
func BenchmarkIntake(b *testing.B) {
	for _, batch := range []int{1, 50} {
		b.Run(fmt.Sprintf("batch=%d", batch), func(b *testing.B) {
			s := newStore(b)
			s.intake.SenderLimit = 0 // one sender writes them all
			in := s.mailbridge()
			next := typicalMail(b)
			n := 0
			ctx := context.Background()
			for b.Loop() {
				items := make([]mailbridge.Incoming, batch)
				for i := range items {
					n++
					items[i] = mailbridge.Incoming{Raw: next(n), Source: "bench"}
				}
				if _, err := in.Take(ctx, items); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "mails/s")
		})
	}
}
