package routing

import (
	"strings"

	"github.com/kljensen/snowball/norwegian"

	"github.com/ks-no/digihjelpen/routing/learn"
)

// Words the model has not met. Other writers describe the same services in other words:
// compounds the seed never had («skattepapirene», «bibliotekmidlene»), typos, nynorsk. Two
// kinds of terms reach such a word through what the model does know:
//
//   - The character n-grams of every word (gramSizes long, the word written without æøå and
//     marked at both ends: «<skatt», «skatte», …), a second family of terms beside the stems,
//     counted and smoothed apart and weighed by gramScale, since the n-grams of one word say
//     much the same. Training counts each word as written once per example, and at the end
//     counts its n-grams as often as the word (addGrams): one row a word rather than one an
//     n-gram. The model keeps, per word training met, the sum of its n-grams' log-probabilities
//     (gramVec), so a decision adds one vector a word and computes n-grams only for words
//     training never met.
//   - A compound split into two known terms at decision time (decompound): the longest head the
//     model knows as a term (with or without a linking s or e) and a tail it knows by its
//     regular endings (knownStem), so «skattepapirene» reads as «skatt» and «papir».
//
// The temperature of the confidence (modelOptions) goes with them: more terms make naive Bayes
// surer than it is right, which would change what the routing threshold means.

// gramMark starts the term of a character n-gram.
const gramMark = "g:"

// gramSizes are the lengths of the n-grams (none: no n-grams), gramScale weighs them, and
// decompound splits compounds. Chosen by leaving one seed file out and by ten-fold
// cross-validation (TestModelWordFeatureGrid, docs/ROUTING.md): 6-grams at a quarter of a
// stem's weight, and the split, took the model alone from 869 to 897 of the 959 questions of the time when
// each file was left out in turn.
var (
	gramSizes  = []int{6}
	gramScale  = 0.25
	decompound = true
)

// eachGram calls fn with the term of each n-gram of a lower-case word, built in buf (which it
// returns, grown, for the next word); fn must not keep the slice.
func eachGram(w string, buf []byte, fn func(term []byte)) []byte {
	f := foldNordic(w)
	for _, n := range gramSizes {
		// The word marked at both ends: "<" + f + ">", n bytes at a time.
		for i := 0; i+n <= len(f)+2; i++ {
			buf = append(buf[:0], gramMark...)
			for j := i; j < i+n; j++ {
				switch {
				case j == 0:
					buf = append(buf, '<')
				case j == len(f)+1:
					buf = append(buf, '>')
				default:
					buf = append(buf, f[j-1])
				}
			}
			fn(buf)
		}
	}
	return buf
}

// wordVec is the sum of the log-probabilities of a word's n-grams, per agency: kept for every
// word training met, computed for another (nil when the model knows none of its n-grams).
func (m *Model) wordVec(w string) []float32 {
	if len(gramSizes) == 0 {
		return nil
	}
	if v, ok := m.gramVec[w]; ok {
		return v
	}
	if !wordOK(w) {
		return nil
	}
	var buf []byte
	return gramVecOf(m.nb, w, &buf, make([]float32, m.nb.NumClasses()))
}

// gramVecOf sums the log-probabilities of w's n-grams under nb into dst, and returns dst, or
// nil when nb knows none of them. buf is scratch, kept for the next word.
func gramVecOf(nb *learn.Model, w string, buf *[]byte, dst []float32) []float32 {
	known := false
	*buf = eachGram(w, *buf, func(g []byte) {
		if nb.AddLogP(g, dst) {
			known = true
		}
	})
	if !known {
		return nil
	}
	return dst
}

// sameVecBefore reports whether v is one of the extras already (the same word again: a word
// counts once per text, as in training).
func sameVecBefore(extras []learn.Extra, v []float32) bool {
	for _, e := range extras {
		if &e.LogP[0] == &v[0] {
			return true
		}
	}
	return false
}

// wordOK reports whether the model reads a word at all: not a stop word, a number or a token
// that is no word.
func wordOK(w string) bool {
	return len(w) >= 2 && len(w) <= maxWordLen && !allDigits(w) && !norwegian.IsStopWord(w)
}

// minPart is the shortest head or tail of a compound the model splits.
const minPart = 3

// splitCompound finds two known terms a word training never met is made of, longest head
// first; ok is false when there are none.
func (m *Model) splitCompound(w string) (head, tail string, ok bool) {
	f := foldNordic(w)
	for i := len(f) - minPart - 1; i >= minPart; i-- {
		h := f[:i]
		switch {
		case m.nb.Known(h):
		case (strings.HasSuffix(h, "s") || strings.HasSuffix(h, "e")) && len(h) > minPart && m.nb.Known(h[:len(h)-1]):
			h = h[:len(h)-1]
		default:
			continue
		}
		if t := m.knownStem(f[i:]); t != "" {
			return h, t, true
		}
	}
	return "", "", false
}
