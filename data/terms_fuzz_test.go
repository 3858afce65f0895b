package data

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/ks-no/digihjelpen/ticket"
)

// FuzzQueryTerms: whatever is typed into the search box (or arrives in a mail) gives terms
// without a panic; no word can pose as a facet term; and a search for a ticket's own subject,
// as words or as a phrase, finds it, since the query and the index read text the same way.
func FuzzQueryTerms(f *testing.F) {
	for _, s := range []string{"skattekortene til Åse", "kari.nordmann@hamar.kommune.no", "\x01st:ny", "DH-2026-0042",
		"ÆØÅ æøå İstanbul ǅ ẞ", strings.Repeat("a", 100), "e-post: a@b.no, c@d.co.uk."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		terms := queryTerms(text)
		indexed := ticketTerms(&ticket.Ticket{Subject: text}, nil)
		for _, term := range terms {
			if strings.HasPrefix(term, "\x01") || !utf8.ValidString(term) && utf8.ValidString(text) {
				t.Fatalf("term %q from %q", term, text)
			}
			if !slices.Contains(indexed, term) {
				t.Fatalf("query term %q of %q is not among the ticket's terms %q", term, text, indexed)
			}
		}
		parseQuery(text) // any text: read or refused
		if strings.ContainsAny(text, `"”«»“`) {
			return
		}
		phrase, err := parseQuery(`"` + text + `"`)
		if err != nil {
			return // no words
		}
		for _, term := range phrase.terms {
			if !slices.Contains(indexed, term) {
				t.Fatalf("phrase term %q of %q is not among the ticket's terms %q", term, text, indexed)
			}
		}
	})
}
