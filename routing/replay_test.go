package routing_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/data/datagen"
	"github.com/ks-no/digihjelpen/routing"
	"github.com/ks-no/digihjelpen/ticket"
)

// generatedStore is a real database with n generated tickets (data/datagen): whole histories,
// referrals, the agency a case worker gave each question.
func generatedStore(t testing.TB, n int) *data.TicketService {
	t.Helper()
	db := data.NewDB(filepath.Join(t.TempDir(), "gen.db"))
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	opt := datagen.Options{N: n, From: time.Date(2026, 1, 1, 0, 0, 0, 0, ticket.Oslo), To: time.Date(2026, 11, 1, 0, 0, 0, 0, ticket.Oslo), Seed: 7}
	if err := datagen.Generate(context.Background(), db, opt); err != nil {
		t.Fatal(err)
	}
	return data.NewTicketService(db)
}

func replay(t *testing.T, s *data.TicketService, rs *routing.RuleSet, since time.Time, max int) *ticket.RuleReplay {
	t.Helper()
	r := routing.NewReplay(rs, since, max)
	if err := s.ForEachTicket(context.Background(), since, func(tk *ticket.Ticket, first *ticket.Message) error {
		r.Add(tk, first)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return r.Result()
}

func TestReplayGeneratedStore(t *testing.T) {
	s := generatedStore(t, 600)

	// The default rules agree with the agencies the generator gave (a question set written
	// apart from ours): a second check of the default rules.
	res := replay(t, s, defaultRules(t), time.Time{}, 50)
	if res.Scanned != 600 {
		t.Fatalf("scanned %d, want 600", res.Scanned)
	}
	t.Logf("default rules on 600 generated tickets: %d would move, %d change, %d only by tags", res.Moved, res.Changed, res.TagsOnly)
	if res.Moved > res.Scanned/10 {
		t.Errorf("default rules would move %d of %d generated tickets: %+v", res.Moved, res.Scanned, res.Moves)
	}

	// A candidate that sends everything with "kurs" to NAV moves the course questions.
	cand := compile(t, "[[rules]]\nname = \"Kurs til NAV\"\nwords = [\"kurs*\"]\nagency = \"nav\"\ntags = [\"kurs\"]\n")
	since := time.Date(2026, 6, 1, 0, 0, 0, 0, ticket.Oslo)
	res = replay(t, s, cand, since, 20)
	if res.Scanned == 0 || res.Scanned >= 600 {
		t.Fatalf("since 1 June: scanned %d", res.Scanned)
	}
	before, after, moved := 0, 0, 0
	for _, c := range res.Counts {
		before += c.Before
		after += c.After
	}
	for _, m := range res.Moves {
		moved += m.Count
		if m.To == "nav" && m.From != "nav" {
			continue
		}
		if m.To != "ks" {
			t.Errorf("unexpected move %+v", m)
		}
	}
	if before != res.Scanned || after != res.Scanned || moved != res.Moved || res.Moved == 0 {
		t.Fatalf("totals: before %d after %d moved %d/%d scanned %d", before, after, moved, res.Moved, res.Scanned)
	}
	if len(res.Changes) != 20 || res.Changed <= 20 {
		t.Fatalf("got %d listed of %d changed, want the newest 20", len(res.Changes), res.Changed)
	}
	for i, c := range res.Changes {
		if c.CreatedAt.Before(since) || (i > 0 && c.CreatedAt.After(res.Changes[i-1].CreatedAt)) {
			t.Fatalf("change %d (%s) out of order or before the date", i, c.CreatedAt)
		}
		if c.ToAgency == "nav" && c.ToRule != "Kurs til NAV" {
			t.Errorf("change %+v", c)
		}
		if c.ToRule == "Kurs til NAV" && len(c.TagsAdded) != 1 {
			t.Errorf("tags added %v, want [kurs]", c.TagsAdded)
		}
	}
	if res.TagsOnly != 0 {
		t.Errorf("tags only: %d, want 0 (every kurs ticket moves)", res.TagsOnly)
	}
}

func BenchmarkReplay(b *testing.B) {
	s := generatedStore(b, 2000)
	rs := defaultRules(b)
	for b.Loop() {
		r := routing.NewReplay(rs, time.Time{}, 200)
		s.ForEachTicket(context.Background(), time.Time{}, func(tk *ticket.Ticket, first *ticket.Message) error {
			r.Add(tk, first)
			return nil
		})
		r.Result()
	}
}

// BenchmarkReplay100k replays the default rules over 100,000 generated tickets (a year of
// questions), as the dry-run page does: ns/op is the whole replay. The file is generated once
// under var/bench and reused.
func BenchmarkReplay100k(b *testing.B) {
	db, err := datagen.OpenCached(context.Background(), filepath.Join("..", "var", "bench"), datagen.YearOf100k)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	s, rs := data.NewTicketService(db), defaultRules(b)
	b.ResetTimer()
	for b.Loop() {
		r := routing.NewReplay(rs, time.Time{}, 200)
		if err := s.ForEachTicket(context.Background(), time.Time{}, func(tk *ticket.Ticket, first *ticket.Message) error {
			r.Add(tk, first)
			return nil
		}); err != nil {
			b.Fatal(err)
		}
		if res := r.Result(); res.Scanned != datagen.YearOf100k.N {
			b.Fatalf("scanned %d", res.Scanned)
		}
	}
}
