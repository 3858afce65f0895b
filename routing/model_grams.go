package routing

import (
	"strings"

	"github.com/kljensen/snowball/norwegian"
)

// Words the model has not met. Other writers describe the same services in other words:
// compounds the seed never had («skattepapirene», «bibliotekmidlene»), typos, nynorsk. Two
// kinds of terms reach such a word through what the model does know:
//
//   - The character n-grams of every word (gramSizes long, the word written without æøå and
//     marked at both ends: «<skat», «katt», …), a second family of terms beside the stems,
//     counted and smoothed apart and weighed by gramScale, since the n-grams of one word say
//     much the same. A word's n-grams are computed once, at training, and kept per word form;
//     a decision computes them only for words training never met.
//   - A compound split into two known terms at decision time (decompound): the longest head the
//     model knows as a term (with or without a linking s or e) and a tail it knows by its
//     regular endings (knownStem), so «skattepapirene» reads as «skatt» and «papir».

// gramMark starts the term of a character n-gram.
const gramMark = "g:"

// gramSizes are the lengths of the n-grams (none: no n-grams), gramScale weighs them, and
// decompound splits compounds. Chosen by leaving one seed file out and by ten-fold
// cross-validation (TestModelWordFeatureGrid, docs/ROUTING.md): 6-grams at a quarter of a
// stem's weight, and the split, took the model alone from 869 to 897 of 959 questions when
// each file was left out in turn.
var (
	gramSizes  = []int{6}
	gramScale  = 0.25
	decompound = true
)

// wordGrams appends the n-gram terms of a lower-case word to dst.
func wordGrams(w string, dst []string) []string {
	if len(gramSizes) == 0 {
		return dst
	}
	f := "<" + foldNordic(w) + ">"
	for _, n := range gramSizes {
		for i := 0; i+n <= len(f); i++ {
			dst = append(dst, gramMark+f[i:i+n])
		}
	}
	return dst
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
