package routing

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// lexicon holds every term of a rule set and finds all of them in a text in one pass: a map
// from each exact word form to the terms that start with it, and a short list of the terms that
// start with a wildcard. It never changes after compile, so goroutines share it.
type lexicon struct {
	terms []term
	byID  map[string]int // term text (lower case) -> id, so a word used by many rules is one term
	first map[string][]int
	// prefixes are wildcard-first terms ("skatt*") by the first bytes of their affix, so a word
	// is compared only with the few that could match.
	prefixes map[string][]int
	// suffixes are wildcard-last terms ("*midler") by the last bytes of their affix.
	suffixes map[string][]int
	others   []int // "*bibliotek*": compared with every word
}

func newLexicon() *lexicon {
	return &lexicon{byID: map[string]int{}, first: map[string][]int{}, prefixes: map[string][]int{}, suffixes: map[string][]int{}}
}

// add compiles s into a term (once per distinct text) and returns its id, or the reason it is
// not a valid entry.
func (lx *lexicon) add(s string) (int, string) {
	k := strings.ToLower(strings.TrimSpace(s))
	if id, ok := lx.byID[k]; ok {
		return id, ""
	}
	t, bad := parseTerm(strings.TrimSpace(s))
	if bad != "" {
		return 0, bad
	}
	id := len(lx.terms)
	lx.terms = append(lx.terms, t)
	lx.byID[k] = id
	p := t.parts[0]
	switch {
	case p.forms != nil:
		for f := range p.forms {
			lx.first[f] = append(lx.first[f], id)
		}
	case p.prefix && !p.suffix:
		for _, a := range p.affix {
			lx.prefixes[a[:minAffix]] = appendNew(lx.prefixes[a[:minAffix]], id)
		}
	case p.suffix && !p.prefix:
		for _, a := range p.affix {
			lx.suffixes[a[len(a)-minAffix:]] = appendNew(lx.suffixes[a[len(a)-minAffix:]], id)
		}
	default:
		lx.others = append(lx.others, id)
	}
	return id, ""
}

// appendNew appends id unless it is already last: the spellings of one affix often share their
// first or last bytes.
func appendNew(ids []int, id int) []int {
	if len(ids) > 0 && ids[len(ids)-1] == id {
		return ids
	}
	return append(ids, id)
}

// hits records, per term, the first word of a text that matched it ("" when none did).
type hits []string

// scan finds every term in text and records the words that matched, as written, in h
// (len(h) == len(lx.terms)), and, when at is not nil, the strongest place each was found in:
// placeQuestion within the spans (sentences that ask), base elsewhere. Words are lower-cased
// one at a time: most already are, and then strings.ToLower returns them without copying.
func (lx *lexicon) scan(text string, h hits, at []place, base place, spans [][2]int) {
	for i := 0; ; {
		start, end := nextWord(text, i)
		if start < 0 {
			return
		}
		for len(spans) > 0 && spans[0][1] <= start {
			spans = spans[1:]
		}
		p := base
		if len(spans) > 0 && spans[0][0] <= start {
			p = placeQuestion
		}
		word := lower(text[start:end])
		for _, id := range lx.first[word] {
			lx.check(id, word, text, start, end, h, at, p)
		}
		if len(word) >= minAffix {
			for _, id := range lx.prefixes[word[:minAffix]] {
				lx.check(id, word, text, start, end, h, at, p)
			}
			for _, id := range lx.suffixes[word[len(word)-minAffix:]] {
				lx.check(id, word, text, start, end, h, at, p)
			}
		}
		for _, id := range lx.others {
			lx.check(id, word, text, start, end, h, at, p)
		}
		i = end
	}
}

// check tests whether term id matches at word (text[start:end] in lower case) and the words
// after it, found in place p.
func (lx *lexicon) check(id int, word, text string, start, end int, h hits, at []place, p place) {
	if h[id] != "" && (at == nil || at[id] >= p) {
		return
	}
	t := &lx.terms[id]
	if !t.parts[0].match(word) {
		return
	}
	last := end
	for _, part := range t.parts[1:] {
		s, e := nextWord(text, last)
		if s < 0 || !onlySpaceOrDash(text[last:s]) || !part.match(lower(text[s:e])) {
			return
		}
		last = e
	}
	if h[id] == "" {
		h[id] = strings.ToLower(text[start:last])
	}
	if at != nil {
		at[id] = p
	}
}

// onlySpaceOrDash reports whether the words of a phrase are next to each other: "min side",
// "d-nummer" and "nav.no" match, "side, min" across a comma does not.
func onlySpaceOrDash(gap string) bool {
	for _, r := range gap {
		switch r {
		case ' ', '\t', '\n', '\r', '-', '/', '.', '\u00a0', '\u2010', '\u2011', '\u2013':
		default:
			return false
		}
	}
	return true
}

// lower returns w in lower case, without copying when it already is (most words are).
// strings.ToLower maps every rune of a word with æ, ø or å even when none changes.
func lower(w string) string {
	for i := 0; i < len(w); {
		c := w[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				return strings.ToLower(w)
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(w[i:])
		if unicode.IsUpper(r) || unicode.IsTitle(r) {
			return strings.ToLower(w)
		}
		i += n
	}
	return w
}
