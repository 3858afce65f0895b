package data

import (
	"context"
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
	msgs, err := tx.findMessages(id)
	if err != nil {
		return nil, err
	}
	question := t.Subject
	if len(msgs) > 0 {
		question += "\n" + msgs[0].Text
	}
	terms, sum, err := tx.weigh(queryTerms(question), id)
	if err != nil || len(terms) == 0 {
		return nil, err
	}
	scores, err := tx.score(terms, id)
	if err != nil {
		return nil, err
	}
	var out []ticket.SimilarTicket
	for _, c := range topScores(scores, limit*3) {
		// a match on fewer than a quarter of the weight is a coincidence, not a similar question
		if c.score < sum/4 || len(out) == limit {
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

// score adds up the weights of the shared terms for every answered ticket but self.
func (tx *Tx) score(terms []weighedTerm, self uint64) ([]float32, error) {
	scores := make([]float32, tx.Bucket(bucketTickets).Sequence()+1)
	for b := uint32(0); b <= tx.lastBlock(); b++ {
		answered, err := tx.postings(termAnswered, b)
		if err != nil {
			return nil, err
		}
		if answered == nil {
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
			it := roaring.And(p, answered).Iterator()
			for it.HasNext() {
				if id := it.Next(); int(id) < len(scores) {
					scores[id] += float32(w.idf)
				}
			}
		}
	}
	if self < uint64(len(scores)) {
		scores[self] = 0
	}
	return scores, nil
}

type scored struct {
	id    int
	score float64
}

// topScores returns the k best scores, best first; among equal scores the newer ticket (the
// higher id, seen later) goes first.
func topScores(scores []float32, k int) []scored {
	var top []scored
	for id, s := range scores {
		if s == 0 || (len(top) == k && float64(s) < top[k-1].score) {
			continue
		}
		// the first place whose score is not higher than s
		i, _ := slices.BinarySearchFunc(top, float64(s), func(e scored, t float64) int { return cmpFloat(t, e.score) })
		top = slices.Insert(top, i, scored{id, float64(s)})
		if len(top) > k {
			top = top[:k]
		}
	}
	return top
}

// similarTicket loads a candidate with its last reply; nil when it no longer qualifies (the
// index lags the records by up to a second).
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
	msgs, err := tx.findMessages(id)
	if err != nil {
		return nil, err
	}
	for i := len(msgs) - 1; i >= 0; i-- {
		if m := msgs[i]; m.Direction == ticket.DirectionOut && strings.TrimSpace(m.Text) != "" {
			return &ticket.SimilarTicket{Ticket: t, Answer: m.Text, Score: score}, nil
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
