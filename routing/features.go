package routing

import (
	"strings"

	"github.com/kljensen/snowball/norwegian"

	"github.com/ks-no/digihjelpen/ticket"
)

// The routing model reads a ticket as the search does: its words reduced to their Norwegian
// stems by the Snowball stemmer, stop words dropped. It reads the subject and the question text
// as the rules do (the new text of the first message: no signatures, no quoted history of a
// reply), and a word is written without æ, ø and å before it is stemmed, so "opplaering" and
// "opplæring" are one term. The subject says in a few words what the question is about, so each
// of its words counts twice: as the word, and as the word in the subject (a term of its own,
// subjectMark and the stem), which the model learns to weigh by itself.
//
// Stemming costs several microseconds a word with Snowball, more than the whole routing
// budget for a mail, so a word is stemmed once: training remembers the term of every word it
// met (wordTerms), and a decision looks words up there. A word training never met is matched
// to a known term by its regular endings (knownStem), without the stemmer.

// maxWordLen drops tokens that are not words (base64, long links), as the search index does.
const maxWordLen = 40

// wordTerms maps a word as written (lower case) to its term; "" for a word the model ignores.
type wordTerms map[string]string

// termOf returns the term of a lower-case word, stemming it the first time it is met.
func (wt wordTerms) termOf(w string) string {
	if t, ok := wt[w]; ok {
		return t
	}
	t := stemWord(w)
	wt[strings.Clone(w)] = t
	return t
}

// stemWord is the term of a lower-case word: "" for stop words, numbers and non-words.
func stemWord(w string) string {
	if len(w) < 2 || len(w) > maxWordLen || allDigits(w) || norwegian.IsStopWord(w) {
		return ""
	}
	return norwegian.Stem(foldNordic(w), false)
}

// foldNordic writes æ, ø and å as people do on keyboards without them (ae, o, a), and aa as a.
// By hand rather than with a strings.Replacer, which allocates several times a word.
func foldNordic(w string) string {
	if !strings.ContainsAny(w, "æøå") && !strings.Contains(w, "aa") {
		return w
	}
	var b strings.Builder
	b.Grow(len(w) + 2)
	for i := 0; i < len(w); {
		rest := w[i:]
		switch {
		case strings.HasPrefix(rest, "æ"):
			b.WriteString("ae")
			i += len("æ")
		case strings.HasPrefix(rest, "ø"):
			b.WriteByte('o')
			i += len("ø")
		case strings.HasPrefix(rest, "å"):
			b.WriteByte('a')
			i += len("å")
		case strings.HasPrefix(rest, "aa"):
			b.WriteByte('a')
			i += 2
		default:
			b.WriteByte(w[i])
			i++
		}
	}
	return b.String()
}

func allDigits(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < '0' || w[i] > '9' {
			return false
		}
	}
	return true
}

// eachWord calls fn with every word of text, lower-cased, as written.
func eachWord(text string, fn func(w string)) {
	for i := 0; ; {
		start, end := nextWord(text, i)
		if start < 0 {
			return
		}
		fn(lower(text[start:end]))
		i = end
	}
}

// subjectMark starts the term of a word in the subject, beside the word's own term.
const subjectMark = "s:"

// markSubject turns the subject's own terms on; tests compare the model without them
// (TestModelFeatureGrid).
var markSubject = true

// trainingTerms are the terms of a ticket for training: subject and question text, each word
// through wt, which learns the words it has not met.
func trainingTerms(wt wordTerms, subject, question string, dst []string) []string {
	eachWord(subject, func(w string) {
		if t := wt.termOf(w); t != "" {
			dst = append(dst, t)
			if markSubject {
				dst = append(dst, subjectMark+t)
			}
		}
	})
	eachWord(question, func(w string) {
		if t := wt.termOf(w); t != "" {
			dst = append(dst, t)
		}
	})
	return dst
}

// modelText is the subject and question text of a ticket as the model reads them: the new text
// of the first message as the rules read it (firstText).
func modelText(t *ticket.Ticket, first *ticket.Message) (subject, question string) {
	if first != nil {
		_, forward := subjectKind(t.Subject)
		question, _ = firstText(first, forward)
	}
	return t.Subject, question
}
