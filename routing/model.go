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
	// status is what training found: labels, the held-out figures, when and how long.
	status ticket.ModelStatus
}

// topWords is how many of the words that weighed most a suggestion names.
const topWords = 5

// Suggest returns the agency the model finds likeliest for a ticket, its confidence and the
// words that weighed most. It reports false when the model knows none of the ticket's words.
func (m *Model) Suggest(t *ticket.Ticket, first *ticket.Message) (ticket.Suggestion, bool) {
	return m.suggest(modelText(t, first))
}

// suggest classifies a subject and a question text that signatures are already cut from.
func (m *Model) suggest(subject, question string) (ticket.Suggestion, bool) {
	terms := make([]string, 0, 64)
	written := make([]string, 0, 64)
	eachWord(subject, func(w string) {
		if t := m.termOf(w); t != "" {
			terms, written = append(terms, t), append(written, w)
			if markSubject {
				terms, written = append(terms, subjectMark+t), append(written, w)
			}
		}
	})
	eachWord(question, func(w string) {
		if t := m.termOf(w); t != "" {
			terms, written = append(terms, t), append(written, w)
		}
	})
	p, ok := m.nb.Predict(terms, topWords)
	if !ok || p.Known == 0 {
		return ticket.Suggestion{}, false
	}
	s := ticket.Suggestion{Agency: p.Class, Confidence: p.Confidence}
	for _, w := range p.Top {
		word := strings.Clone(written[slices.Index(terms, w.Term)])
		if !slices.Contains(s.Words, word) {
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
