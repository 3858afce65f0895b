package data

import (
	"slices"
	"strings"
	"unicode"

	"github.com/ks-no/digihjelpen/ticket"
)

// searchQuery is a search box's text read as the index can answer it.
type searchQuery struct {
	// terms must all match: words, and the word pairs of phrases.
	terms []string
	// exclude leaves out a ticket that has every term of one of these (-ord, -"to ord").
	exclude [][]string
}

// phraseQuotes are the quotes that start a phrase, each with those that may end it: typewriter
// quotes, the Norwegian «», and the “” word processors put in.
var phraseQuotes = map[rune]string{'"': `"”`, '«': "»", '“': `”"`, '”': `”"`}

// parseQuery reads a search: words match in any order and inflection; "a phrase" (or «a
// phrase») matches its words in that order; a minus in front of a word or phrase leaves out
// the tickets that have it.
func parseQuery(q string) (searchQuery, error) {
	var sq searchQuery
	addTerms := func(terms []string) {
		for _, t := range terms {
			if !slices.Contains(sq.terms, t) {
				sq.terms = append(sq.terms, t)
			}
		}
	}
	excluded := false
	for rest := strings.TrimSpace(q); rest != ""; rest = strings.TrimLeftFunc(rest, unicode.IsSpace) {
		negate := rest[0] == '-'
		if negate {
			rest = rest[1:]
		}
		var terms []string
		if r, size := firstRune(rest); phraseQuotes[r] != "" {
			text, after := cutAny(rest[size:], phraseQuotes[r])
			terms, rest = phraseTerms(text), after
		} else {
			end := strings.IndexFunc(rest, unicode.IsSpace)
			if end < 0 {
				end = len(rest)
			}
			words(rest[:end], func(w string) { terms = append(terms, w) })
			rest = rest[end:]
		}
		switch {
		case len(terms) == 0:
		case negate:
			sq.exclude = append(sq.exclude, terms)
			excluded = true
		default:
			addTerms(terms)
		}
	}
	if len(sq.terms) == 0 {
		if excluded {
			return sq, ticket.FieldError("q", "Skriv minst ett ord å søke etter, i tillegg til det du vil utelate med minus.")
		}
		return sq, ticket.FieldError("q", "Skriv minst ett søkeord. Vanlige småord som «og» og «på» søkes det ikke på.")
	}
	return sq, nil
}

// phraseTerms are the terms of a phrase: its one word, or the pairs of words that follow each
// other in it.
func phraseTerms(text string) []string {
	var seq []string
	wordSeq(text, func(w string) { seq = append(seq, w) })
	if len(seq) < 2 {
		return seq
	}
	var pairs []string
	for i := 1; i < len(seq); i++ {
		if p := pairTerm(seq[i-1], seq[i]); !slices.Contains(pairs, p) {
			pairs = append(pairs, p)
		}
	}
	return pairs
}

func firstRune(s string) (rune, int) {
	for _, r := range s {
		return r, len(string(r))
	}
	return 0, 0
}

// cutAny cuts s around the first of the runes in chars; without one (a phrase never closed),
// all of s is before.
func cutAny(s, chars string) (before, after string) {
	if i := strings.IndexAny(s, chars); i >= 0 {
		_, size := firstRune(s[i:])
		return s[:i], s[i+size:]
	}
	return s, ""
}
