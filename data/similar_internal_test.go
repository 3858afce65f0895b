package data

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/RoaringBitmap/roaring/v2"

	"github.com/ks-no/digihjelpen/ticket"
)

// exhaustiveScore is how similar questions were found before score walked from the newest:
// every answered ticket scored, then sorted. The two must agree.
func (tx *Tx) exhaustiveScore(terms []weighedTerm, self uint64, k int, floor float64) ([]scored, error) {
	sums := map[int]float64{}
	for b := uint32(0); b <= tx.lastBlock(); b++ {
		answered, err := tx.postings(termAnswered, b)
		if err != nil || answered == nil {
			continue
		}
		for _, w := range terms {
			p, err := tx.postings(w.term, b)
			if err != nil {
				return nil, err
			}
			if p == nil {
				continue
			}
			for it := roaring.And(p, answered).Iterator(); it.HasNext(); {
				if id := int(it.Next()); uint64(id) != self {
					sums[id] += w.idf
				}
			}
		}
	}
	var all []scored
	for id, s := range sums {
		if s >= floor {
			all = append(all, scored{id, s})
		}
	}
	slices.SortFunc(all, func(a, b scored) int {
		if c := cmpFloat(b.score, a.score); c != 0 {
			return c
		}
		return b.id - a.id
	})
	return all[:min(len(all), k)], nil
}

// TestScoreAgreesWithExhaustive: on a store of questions made of words drawn unevenly from a
// vocabulary (so scores vary and tie), the walk from the newest finds exactly the tickets, in
// exactly the order, that scoring every answered ticket finds.
func TestScoreAgreesWithExhaustive(t *testing.T) {
	db := NewDB(filepath.Join(t.TempDir(), "s.db"))
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(3, 4))
	vocab := make([]string, 400)
	for i := range vocab {
		vocab[i] = fmt.Sprintf("ord%03dx", i)
	}
	zipf := rand.NewZipf(rng, 1.2, 3, uint64(len(vocab)-1))
	var batch []BulkTicket
	for i := range 3000 {
		var words []string
		for range 6 + rng.IntN(10) {
			words = append(words, vocab[zipf.Uint64()])
		}
		tk := &ticket.Ticket{Subject: words[0] + " " + words[1], Status: ticket.StatusNew, Agency: "ks", Priority: ticket.PriorityNormal,
			Channel: ticket.ChannelEmail, Requester: ticket.Requester{Email: fmt.Sprintf("p%d@kommune.no", i)}}
		msgs := []*ticket.Message{{Direction: ticket.DirectionIn, From: tk.Requester.Email, Text: strings.Join(words, " ")}}
		if rng.IntN(3) > 0 {
			tk.Status = ticket.StatusResolved
			msgs = append(msgs, &ticket.Message{Direction: ticket.DirectionOut, To: []string{tk.Requester.Email}, Text: "Svar"})
		}
		batch = append(batch, BulkTicket{Ticket: tk, Messages: msgs})
	}
	if err := db.BulkLoad(ctx, batch); err != nil {
		t.Fatal(err)
	}
	for {
		n, err := db.IndexSearch(ctx, 1000)
		if err != nil {
			t.Fatal(err)
		}
		if n < 1000 {
			break
		}
	}
	compared := 0
	err := db.view(ctx, func(tx *Tx) error {
		for id := uint64(1); id <= 3000; id += 37 {
			r, _ := decodeMessage(tx, id)
			terms, sum, err := tx.weigh(queryTerms(r), id)
			if err != nil || len(terms) == 0 {
				continue
			}
			for _, k := range []int{1, 5, 15} {
				got, err := tx.score(terms, id, k, sum/4)
				if err != nil {
					return err
				}
				want, err := tx.exhaustiveScore(terms, id, k, sum/4)
				if err != nil {
					return err
				}
				if fmt.Sprint(got) != fmt.Sprint(want) {
					t.Errorf("ticket %d, k %d: got %v, want %v", id, k, got, want)
				}
				if len(want) > 0 {
					compared++
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if compared < 150 {
		t.Fatalf("only %d comparisons", compared)
	}
}

// decodeMessage is the subject and first message of a ticket, as similar reads them.
func decodeMessage(tx *Tx, id uint64) (string, error) {
	t, err := tx.findTicket(id)
	if err != nil {
		return "", err
	}
	var r messageRecord
	if err := decode(tx.Bucket(bucketMessages).Get(msgKey(id, 1)), &r); err != nil {
		return "", err
	}
	return t.Subject + "\n" + r.Text, nil
}
