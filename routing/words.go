package routing

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// A term is one entry of a words list: a word ("skattekort"), a phrase ("min side",
// "d-nummer": several words in a row) or a word with a wildcard ("skatt*", "*midler",
// "*bibliotek*"). Terms are compiled into a lexicon shared by the whole rule set, so a ticket's
// text is read once, whatever the number of rules.
type term struct {
	text  string // as the rule wrote it, for the explanation
	parts []tokenMatcher
}

// tokenMatcher matches one word of a mail against one word of a term.
type tokenMatcher struct {
	forms  map[string]bool // exact forms (inflections and spellings); nil for a wildcard
	prefix bool            // "skatt*": the word starts with an affix
	suffix bool            // "*midler": the word ends with an affix
	affix  []string        // the text around the stars, in each spelling (opplær*, opplaer*)
}

func (m *tokenMatcher) match(word string) bool {
	if m.forms != nil {
		return m.forms[word]
	}
	for _, a := range m.affix {
		switch {
		case m.prefix && m.suffix && strings.Contains(word, a),
			m.prefix && !m.suffix && strings.HasPrefix(word, a),
			!m.prefix && m.suffix && strings.HasSuffix(word, a):
			return true
		}
	}
	return false
}

// minAffix is the shortest text a wildcard may have: "sk*" would match half the language.
const minAffix = 3

// parseTerm compiles one words entry, or returns a Norwegian sentence saying what is wrong.
func parseTerm(s string) (term, string) {
	words := splitWords(strings.ToLower(s))
	if len(words) == 0 {
		return term{}, "ordet er tomt eller har verken bokstaver eller sifre"
	}
	t := term{text: s}
	raw := strings.Fields(strings.NewReplacer("-", " ", "/", " ").Replace(strings.ToLower(s)))
	for i, w := range words {
		m := tokenMatcher{}
		if i < len(raw) && strings.Contains(raw[i], "*") {
			r := raw[i]
			m.suffix, m.prefix = strings.HasPrefix(r, "*"), strings.HasSuffix(r, "*")
			affix := strings.Trim(r, "*")
			if affix != w {
				return term{}, "stjerne (*) kan bare stå først eller sist i et ord"
			}
			if utf8.RuneCountInString(affix) < minAffix {
				return term{}, "et ord med stjerne (*) må ha minst tre bokstaver foruten stjernen"
			}
			m.affix = spellings(affix)
		} else {
			m.forms = map[string]bool{}
			for _, f := range inflections(w) {
				m.forms[f] = true
			}
		}
		t.parts = append(t.parts, m)
	}
	if len(raw) != len(words) {
		// Punctuation other than - and / split the entry differently than the text will be;
		// match it as written, word by word, without wildcards.
		t.parts = t.parts[:0]
		for _, w := range words {
			t.parts = append(t.parts, tokenMatcher{forms: setOf(inflections(w))})
		}
	}
	return t, ""
}

func setOf(forms []string) map[string]bool {
	m := make(map[string]bool, len(forms))
	for _, f := range forms {
		m[f] = true
	}
	return m
}

// splitWords splits lower-case text into words: runs of letters and digits. Everything else
// (spaces, punctuation, hyphens) separates words, so "NAV-kontoret" is "nav" "kontoret".
func splitWords(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return !isWordRune(r) })
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || '0' <= r && r <= '9' || 'A' <= r && r <= 'Z'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// nextWord returns the next word of s from i on, and where to go on from; start < 0 at the end.
// It allocates nothing: the word is a slice of s.
func nextWord(s string, i int) (start, end int) {
	for i < len(s) {
		r, n := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeRuneInString(s[i:])
		}
		if isWordRune(r) {
			break
		}
		i += n
	}
	if i >= len(s) {
		return -1, len(s)
	}
	start = i
	for i < len(s) {
		r, n := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeRuneInString(s[i:])
		}
		if !isWordRune(r) {
			break
		}
		i += n
	}
	return start, i
}
