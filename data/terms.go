package data

import (
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/kljensen/snowball/norwegian"

	"github.com/ks-no/digihjelpen/ticket"
)

// Terms are what the full-text index stores: Norwegian words reduced to their stem by the
// Snowball stemmer ("skattekortet", "skattekortene" -> "skattekort"), e-mail addresses whole,
// and facet terms (status, agency, ...) that start with \x01 so no word can equal them.

// maxTermLen drops tokens that are not words (base64, long links) from the index.
const maxTermLen = 40

var emailPattern = regexp.MustCompile(`[\p{L}\p{N}._%+\-]+@[\p{L}\p{N}.\-]+\.\p{L}{2,}`)

// words splits text into index terms: lower-cased, stemmed, stop words dropped. E-mail
// addresses give the whole address as well as their parts.
func words(text string, add func(string)) {
	for _, addr := range emailPattern.FindAllString(text, -1) {
		add(strings.ToLower(addr))
	}
	wordSeq(text, add)
}

// wordSeq calls fn with the words of text in order: lower-cased, stemmed, stop words dropped.
func wordSeq(text string, fn func(string)) {
	start := -1
	flush := func(end int) {
		if start < 0 {
			return
		}
		w := strings.ToLower(text[start:end])
		start = -1
		if len(w) < 2 || len(w) > maxTermLen || norwegian.IsStopWord(w) {
			return
		}
		fn(norwegian.Stem(w, false))
	}
	for i, r := range text {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		flush(i)
	}
	flush(len(text))
}

// pairTerm is the term of two words that follow each other in a text (stop words between them
// skipped): a phrase search for "logge inn med BankID" looks for the pairs logg+inn and
// inn+bankid, so it needs no word positions and stays a bitmap intersection. \x02 keeps
// pairs apart from words and facets.
func pairTerm(a, b string) string { return "\x02" + a + " " + b }

// wordsAndPairs gives the terms of words and, for running text, the pairs of words that follow
// each other.
func wordsAndPairs(text string, add func(string)) {
	for _, addr := range emailPattern.FindAllString(text, -1) {
		add(strings.ToLower(addr))
	}
	prev := ""
	wordSeq(text, func(w string) {
		add(w)
		if prev != "" {
			add(pairTerm(prev, w))
		}
		prev = w
	})
}

// queryTerms returns the distinct terms of a search query, in the order given.
func queryTerms(q string) []string {
	var out []string
	words(q, func(w string) {
		if !slices.Contains(out, w) {
			out = append(out, w)
		}
	})
	return out
}

// Facet terms, so a search can be narrowed to an inbox view inside the index.
func facetTerm(facet, value string) string { return "\x01" + facet + ":" + value }

const termAnswered = "\x01answered" // resolved or closed, with a reply sent: a reusable answer

// ticketTerms returns the set of terms of a ticket and its thread, sorted.
func ticketTerms(t *ticket.Ticket, msgs []*ticket.Message) []string {
	set := map[string]bool{}
	add := func(w string) { set[w] = true }
	wordsAndPairs(t.Subject, add)
	wordsAndPairs(t.Requester.Name, add)
	words(t.Requester.Email, add)
	words(t.Requester.Municipality.Name, add)
	replied := false
	for _, m := range msgs {
		wordsAndPairs(m.Text, add)
		wordsAndPairs(m.FromName, add)
		words(m.From, add)
		replied = replied || m.Direction == ticket.DirectionOut
	}
	add(facetTerm("st", string(t.Status)))
	add(facetTerm("ag", t.Agency))
	for _, fv := range facetValues(t) {
		add(facetTerm(fv[0], fv[1]))
	}
	if replied && !t.Status.Active() {
		add(termAnswered)
	}
	out := make([]string, 0, len(set))
	for w := range set {
		out = append(out, w)
	}
	slices.Sort(out)
	return out
}
