package mailbridge_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/data/datagen"
	"github.com/ks-no/digihjelpen/mailbridge"
	"github.com/ks-no/digihjelpen/ticket"
)

// typicalMail is a question from a municipality as Outlook sends it (text and HTML, about
// 3 KB), made new for each call: its own Message-ID, and no thread to join.
func typicalMail(tb testing.TB) func(n int) []byte {
	raw := readFixture(tb, "no/outlook-svar.eml")
	raw = regexp.MustCompile(`(?m)^(References|In-Reply-To): .*\r?\n`).ReplaceAll(raw, nil)
	raw = bytes.ReplaceAll(raw, []byte("SV: [DH-2026-0001] "), nil)
	raw = regexp.MustCompile(`(?m)^Message-ID: .*$`).ReplaceAll(raw, []byte("Message-ID: <bench-NUMBER@hamar.kommune.no>"))
	return func(n int) []byte {
		return bytes.Replace(raw, []byte("NUMBER"), strconv.AppendInt(nil, int64(n), 10), 1)
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
			takeTypical(b, s.mailbridge(), batch)
		})
	}
}

// takeTypical stores new typical mails batch by batch for as long as the benchmark runs, and
// reports mails per second.
func takeTypical(b *testing.B, in *mailbridge.Intake, batch int) {
	next := typicalMail(b)
	n := 0
	for b.Loop() {
		items := make([]mailbridge.Incoming, batch)
		for i := range items {
			n++
			items[i] = mailbridge.Incoming{Raw: next(n), Source: "bench"}
		}
		if _, err := in.Take(context.Background(), items); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "mails/s")
}

// BenchmarkIntakeOn100k is parse + commit into a copy of the shared 100k-ticket database
// (a year of questions), in the batches IMAP produces: the indexes are full-size.
func BenchmarkIntakeOn100k(b *testing.B) {
	ctx := context.Background()
	src, err := datagen.Cached(ctx, filepath.Join("..", "var", "bench"), datagen.YearOf100k)
	if err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(b.TempDir(), "copy.db")
	if err := copyFile(src, path); err != nil {
		b.Fatal(err)
	}
	db := data.NewDB(path)
	if err := db.Open(); err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	store := data.NewIntakeService(db)
	store.SenderLimit = 0
	takeTypical(b, &mailbridge.Intake{Store: store, OwnAddresses: own}, 50)
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// BenchmarkIMAPIntake reads 10,000 mails from the mail stack's Dovecot into a new database:
// fetch, parse, commit, flag and move, as serve does (benchmark only; not part of make test).
func BenchmarkIMAPIntake(b *testing.B) {
	addr := os.Getenv("MAILSTACK_IMAP_ADDR")
	if addr == "" {
		b.Skip("mail stack not running: set MAILSTACK_IMAP_ADDR")
	}
	acct := imapAccount{addr: addr, user: os.Getenv("MAILSTACK_IMAP_USER"), pass: os.Getenv("MAILSTACK_IMAP_PASS")}
	const total = 10_000
	next := typicalMail(b)
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		inbox, done := acct.mailboxes(b)
		var wg sync.WaitGroup
		for w := range 4 { // four connections append at once
			wg.Go(func() {
				var raws [][]byte
				for j := w; j < total; j += 4 {
					raws = append(raws, next(i*total+j))
				}
				acct.appendMails(b, inbox, raws...)
			})
		}
		wg.Wait()
		s := newStore(b)
		s.intake.SenderLimit = 0
		p := acct.poller(s.mailbridge(), inbox, done, io.Discard)
		b.StartTimer()
		stop := start(b, p)
		for acct.size(b, done) < total {
			time.Sleep(100 * time.Millisecond)
		}
		b.StopTimer()
		stop()
		if _, got, _ := s.tickets.FindTickets(context.Background(), ticket.TicketFilter{}); got != total {
			b.Fatalf("tickets got %d, want %d", got, total)
		}
	}
	b.ReportMetric(float64(b.N*total)/b.Elapsed().Seconds(), "mails/s")
}
