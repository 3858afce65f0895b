package routing

import (
	"slices"
	"strings"
	"time"

	"github.com/kljensen/snowball/norwegian"

	"github.com/ks-no/digihjelpen/routing/learn"
	"github.com/ks-no/digihjelpen/ticket"
)

// Model is the trained routing model: naive Bayes (package learn) over the terms of a
// ticket's subject and question, trained on the agencies staff chose. It never changes once
// trained; retraining makes a new one, which Admin swaps in whole, so a decision always uses
// one model from start to end.
type Model struct {
	nb    *learn.Model
	words wordTerms // every word training met; read-only after training
	// gramVec is, for every word training met, the log-probabilities of its character n-grams
	// summed (model_grams.go); read-only after training. Empty when n-grams are off.
	gramVec map[string][]float32
	// status is what training found: labels, the held-out figures, when and how long.
	status ticket.ModelStatus
}

// topWords is how many of the words that weighed most a suggestion names.
const topWords = 5

// topTermsPerWord is how many terms of the text a suggestion weighs per word it names.
const topTermsPerWord = 4

// Suggest returns the agency the model finds likeliest for a ticket, its confidence and the
// words that weighed most. It reports false when the model knows none of the ticket's words.
func (m *Model) Suggest(t *ticket.Ticket, first *ticket.Message) (ticket.Suggestion, bool) {
	return m.suggest(modelText(t, first))
}

// suggest classifies a subject and a question text that signatures are already cut from.
func (m *Model) suggest(subject, question string) (ticket.Suggestion, bool) {
	terms := make([]string, 0, 64)
	written := make([]string, 0, 64)
	var extras []learn.Extra
	add := func(w string, subject bool) {
		emit := func(t string) {
			terms, written = append(terms, t), append(written, w)
			if subject && markSubject {
				terms, written = append(terms, subjectMark+t), append(written, w)
			}
		}
		if t := m.termOf(w); t != "" {
			emit(t)
		} else if decompound && wordOK(w) {
			if head, tail, ok := m.splitCompound(w); ok {
				emit(head)
				emit(tail)
			}
		}
		if v := m.wordVec(w); v != nil && !sameVecBefore(extras, v) {
			extras = append(extras, learn.Extra{Name: w, LogP: v})
		}
	}
	eachWord(subject, func(w string) { add(w, true) })
	eachWord(question, func(w string) { add(w, false) })
	// A word gives several terms (its stem, its n-grams), so more terms are asked for than
	// words are shown.
	p, ok := m.nb.PredictWith(terms, extras, topWords*topTermsPerWord)
	if !ok || p.Known == 0 {
		return ticket.Suggestion{}, false
	}
	s := ticket.Suggestion{Agency: p.Class, Confidence: p.Confidence}
	for _, w := range p.Top {
		word := w.Term // an extra is named by its word
		if !w.Extra {
			word = written[slices.Index(terms, w.Term)]
		}
		word = strings.Clone(word)
		if !slices.Contains(s.Words, word) && len(s.Words) < topWords {
			s.Words = append(s.Words, word)
		}
	}
	return s, true
}

// termOf is the term of a word of a ticket: the one training met it as, else one found by its
// regular endings (knownStem).
func (m *Model) termOf(w string) string {
	if t, ok := m.words[w]; ok {
		return t
	}
	return m.knownStem(w)
}

// endingsLongestFirst are the regular endings (inflect.go), longest first, so "skattekortene"
// loses "ene" before "e".
var endingsLongestFirst = func() []string {
	e := slices.Clone(endings)
	slices.SortStableFunc(e, func(a, b string) int { return len(b) - len(a) })
	return e[:len(e)-1] // without ""
}()

// knownStem finds the term of a word training never met without running the stemmer (too
// slow for a routing decision): the word written without æøå, or less one of its regular
// endings, when the model knows the result.
func (m *Model) knownStem(w string) string {
	if len(w) < 2 || len(w) > maxWordLen || allDigits(w) || norwegian.IsStopWord(w) {
		return ""
	}
	f := foldNordic(w)
	if m.nb.Known(f) {
		return f
	}
	for _, e := range endingsLongestFirst {
		if len(f)-len(e) >= 3 && strings.HasSuffix(f, e) && m.nb.Known(f[:len(f)-len(e)]) {
			return f[:len(f)-len(e)]
		}
	}
	return ""
}

// Status is what training found. Mode, threshold and readiness are the Admin's to add.
func (m *Model) Status() ticket.ModelStatus { return m.status }

// trainedAt and took are set by Train; kept apart for tests that train by hand.
func (m *Model) stamp(at time.Time, took time.Duration) {
	m.status.Trained, m.status.TrainedAt, m.status.Took = true, at, took
}
