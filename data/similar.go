package data

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/RoaringBitmap/roaring/v2"

	"github.com/ks-no/digihjelpen/ticket"
)

var _ ticket.SimilarFinder = (*TicketService)(nil)

// similarTerms is how many of the question's rarest terms are weighed: enough to catch the
// topic, few enough that common words do not drown it.
const similarTerms = 12

// SimilarTickets ranks answered tickets by the summed inverse document frequency of the terms
// they share with the question (subject and first message): a plain tf-idf with binary term
// frequency, which suits short questions. See ticket.SimilarFinder.
func (s *TicketService) SimilarTickets(ctx context.Context, id uint64, limit int) ([]ticket.SimilarTicket, error) {
	var out []ticket.SimilarTicket
	err := s.db.view(ctx, func(tx *Tx) (err error) {
		out, err = tx.similar(id, limit)
		return err
	})
	return out, err
}

type weighedTerm struct {
	term string
	idf  float64
}

func (tx *Tx) similar(id uint64, limit int) ([]ticket.SimilarTicket, error) {
	t, err := tx.findTicket(id)
	if err != nil {
		return nil, err
	}
	question := t.Subject
	if first := tx.Bucket(bucketMessages).Get(msgKey(id, 1)); first != nil {
		var r messageRecord
		if err := decode(first, &r); err != nil {
			return nil, fmt.Errorf("message %d/1: %w", id, err)
		}
		question += "\n" + r.Text
	}
	terms, sum, err := tx.weigh(queryTerms(question), id)
	if err != nil || len(terms) == 0 {
		return nil, err
	}
	// a match on fewer than a quarter of the weight is a coincidence, not a similar question
	top, err := tx.score(terms, id, limit*3, sum/4)
	if err != nil {
		return nil, err
	}
	var out []ticket.SimilarTicket
	for _, c := range top {
		if len(out) == limit {
			break
		}
		st, err := tx.similarTicket(uint64(c.id), c.score)
		if err != nil {
			return nil, err
		}
		if st != nil {
			out = append(out, *st)
		}
	}
	return out, nil
}

// weigh returns the rarest terms that other tickets have, with their idf, and the sum of
// their weights. A term only the question itself has cannot make anything similar.
func (tx *Tx) weigh(terms []string, self uint64) ([]weighedTerm, float64, error) {
	n := float64(tx.count("", ""))
	var out []weighedTerm
	for _, term := range terms {
		freq, err := tx.docFreq(term)
		if err != nil {
			return nil, 0, err
		}
		df := float64(freq)
		p, err := tx.postings(term, uint32(self>>blockBits))
		if err != nil {
			return nil, 0, err
		}
		if p != nil && p.Contains(uint32(self)) {
			df--
		}
		if df > 0 {
			out = append(out, weighedTerm{term, math.Log(1 + (n-df+0.5)/(df+0.5))})
		}
	}
	slices.SortFunc(out, func(a, b weighedTerm) int { return cmpFloat(b.idf, a.idf) })
	out = out[:min(len(out), similarTerms)]
	sum := 0.0
	for _, w := range out {
		sum += w.idf
	}
	return out, sum, nil
}

// maxScored bounds how many answered tickets one question scores: the newest that share one
// of its rarer words. It only matters when tens of thousands share them and none matches the
// whole question, and keeps the ticket page quick whatever the size of the store.
const maxScored = 20_000

// score finds the k answered tickets (self left out) with the highest summed idf of the terms
// they share, at least floor each, best first, the newer first among equals. It walks the
// answered tickets from the newest, one at a time (MaxScore): a ticket can only enter the top
// k with one of the terms whose weights, with all weaker ones, exceed what it must beat, so
// only tickets with such a term are looked at; and once the top k all hold every term, no
// older ticket can enter and the walk stops. Scoring every ticket instead took 20-75 ms at a
// million tickets (docs/PERFORMANCE.md).
func (tx *Tx) score(terms []weighedTerm, self uint64, k int, floor float64) ([]scored, error) {
	total := 0.0
	for _, w := range terms {
		total += w.idf
	}
	top := topK{k: k, floor: floor}
	visited := 0
	bms := make([]*roaring.Bitmap, len(terms))
	for b := int64(tx.lastBlock()); b >= 0 && visited < maxScored && !top.full(total); b-- {
		answered, err := tx.postings(termAnswered, uint32(b))
		if err != nil || answered == nil {
			if err != nil {
				return nil, err
			}
			continue
		}
		for i, w := range terms {
			if bms[i], err = tx.postings(w.term, uint32(b)); err != nil {
				return nil, err
			}
		}
		candidates := top.candidates(terms, bms)
		if candidates == nil {
			continue
		}
		candidates.And(answered)
		for it := candidates.ReverseIterator(); it.HasNext() && visited < maxScored; {
			id := uint64(it.Next())
			if id == self {
				continue
			}
			visited++
			s := 0.0
			for i, bm := range bms {
				if bm != nil && bm.Contains(uint32(id)) {
					s += terms[i].idf
				}
			}
			top.add(scored{int(id), s})
			if top.full(total) {
				break
			}
		}
	}
	return top.list, nil
}

// topK keeps the best k scores, best first; among equals the one seen first (the newer, as
// the walk goes from the newest).
type topK struct {
	k     int
	floor float64
	list  []scored
}

// need is the score a ticket seen from now on must reach: the floor until there are k, then
// more than the k-th (an equal, being older, ranks after it).
func (t *topK) need() (float64, bool) {
	if len(t.list) < t.k {
		return t.floor, true
	}
	return t.list[t.k-1].score, false
}

func (t *topK) add(s scored) {
	need, orEqual := t.need()
	if s.score < need || (!orEqual && s.score == need) || s.score == 0 {
		return
	}
	i, _ := slices.BinarySearchFunc(t.list, s.score, func(e scored, x float64) int {
		if e.score >= x { // equals stay before: they were seen first
			return -1
		}
		return 1
	})
	t.list = slices.Insert(t.list, i, s)
	if len(t.list) > t.k {
		t.list = t.list[:t.k]
	}
}

// full reports whether the top k hold the highest score there is: nothing can enter.
func (t *topK) full(total float64) bool {
	return len(t.list) == t.k && t.list[t.k-1].score >= total-1e-9
}

// candidates are the tickets of a block that have one of the terms without which no ticket
// can reach what it must (terms sorted by weight, strongest first): the union of the strong
// terms' bitmaps; nil when none of them occurs in the block.
func (t *topK) candidates(terms []weighedTerm, bms []*roaring.Bitmap) *roaring.Bitmap {
	need, orEqual := t.need()
	weak, n := 0.0, len(terms)
	for n > 0 && (weak+terms[n-1].idf < need || (!orEqual && weak+terms[n-1].idf <= need)) {
		weak += terms[n-1].idf
		n--
	}
	var strong []*roaring.Bitmap
	for _, bm := range bms[:n] {
		if bm != nil {
			strong = append(strong, bm)
		}
	}
	if len(strong) == 0 {
		return nil
	}
	return roaring.FastOr(strong...)
}

type scored struct {
	id    int
	score float64
}

// similarTicket loads a candidate with its last reply; nil when it no longer qualifies (the
// index lags the records by up to a second). The thread is read from its end, so a long one
// costs no more than a short one.
func (tx *Tx) similarTicket(id uint64, score float64) (*ticket.SimilarTicket, error) {
	t, err := tx.findTicket(id)
	if ticket.ErrorCode(err) == ticket.ENOTFOUND {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	if t.Status.Active() {
		return nil, nil
	}
	prefix := u64(id)
	c := tx.Bucket(bucketMessages).Cursor()
	k, v := c.Seek(u64(id + 1))
	if k == nil {
		k, v = c.Last()
	} else {
		k, v = c.Prev()
	}
	for ; k != nil && bytes.HasPrefix(k, prefix); k, v = c.Prev() {
		if !bytes.Contains(v, []byte(`"dir":"out"`)) {
			continue // most are not ours; skip the decode
		}
		var r messageRecord
		if err := decode(v, &r); err != nil {
			return nil, fmt.Errorf("message %x: %w", k, err)
		}
		if strings.TrimSpace(r.Text) != "" {
			return &ticket.SimilarTicket{Ticket: t, Answer: r.Text, Score: score}, nil
		}
	}
	return nil, nil
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
