package data

import (
	"context"
	"math"
	"slices"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

// SuggestArticles ranks the articles by the summed inverse document frequency of the terms
// they share with text: the weighing of SimilarTickets (similar.go) over the articles instead
// of the tickets. The rarest similarTerms of the question's terms that some article has are
// weighed, and an article must share a quarter of their weight to count as alike.
func (s *HandbookService) SuggestArticles(ctx context.Context, text string, limit int) ([]ticket.ArticleMatch, error) {
	all, err := s.articles(ctx)
	if err != nil || len(all) == 0 || limit <= 0 {
		return nil, err
	}
	n := float64(len(all))
	var weighed []weighedTerm
	for _, term := range queryTerms(text) {
		df := 0.0
		for _, a := range all {
			if a.terms[term] {
				df++
			}
		}
		if df > 0 {
			weighed = append(weighed, weighedTerm{term, math.Log(1 + (n-df+0.5)/(df+0.5))})
		}
	}
	slices.SortFunc(weighed, func(a, b weighedTerm) int { return cmpFloat(b.idf, a.idf) })
	weighed = weighed[:min(len(weighed), similarTerms)]
	sum := 0.0
	scores := make([]float32, len(all))
	for _, w := range weighed {
		sum += w.idf
		for i, a := range all {
			if a.terms[w.term] {
				scores[i] += float32(w.idf)
			}
		}
	}
	var out []ticket.ArticleMatch
	for _, c := range topScores(scores, limit) {
		if c.score < sum/4 {
			break
		}
		out = append(out, ticket.ArticleMatch{Article: copyArticle(all[c.id].article), Score: c.score})
	}
	return out, nil
}

// RecordSelfHelp counts a question the article slug answered before it was sent.
func (s *HandbookService) RecordSelfHelp(ctx context.Context, slug string) error {
	return s.db.update(ctx, func(tx *Tx) error {
		b := tx.Bucket(bucketHandbookSelfHelp)
		seq, err := b.NextSequence()
		if err != nil {
			return err
		}
		return b.Put(key(timeKey(tx.now), u64(seq)), []byte(slug))
	})
}

// SelfHelpCounts counts the questions articles answered in [from, to), in all and by slug.
func (s *HandbookService) SelfHelpCounts(ctx context.Context, from, to time.Time) (int, map[string]int, error) {
	total, by := 0, map[string]int{}
	err := s.db.view(ctx, func(tx *Tx) error {
		c := tx.Bucket(bucketHandbookSelfHelp).Cursor()
		hi := timeKey(to)
		for k, v := c.Seek(timeKey(from)); k != nil && string(k[:8]) < string(hi); k, v = c.Next() {
			total++
			by[string(v)]++
		}
		return nil
	})
	return total, by, err
}

// topScores returns the k highest non-zero scores with their index, highest first (ties in
// index order).
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
