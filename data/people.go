package data

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ks-no/digihjelpen/ticket"
)

// The words that replace what is forgotten, in subjects, texts we wrote and the audit trail.
const (
	scrubbedAddress = "[anonymisert]"
	scrubbedName    = "[navn]"
)

// people are the persons a forgetting is about: their addresses, and their names as whole
// names and as words, all in lower case. Names come from the requester's name, the display
// names of the mail they sent, and addresses written first.last@; a display name with a word
// like «kommune» or «NAV» in it belongs to an organisation and is not taken as a name.
type people struct {
	addrs map[string]bool
	full  map[string]bool // whole names of two or more words, «kari nordmann»
	words map[string]bool // single name words of two letters or more, «kari», «nordmann»
}

func newPeople() *people {
	return &people{addrs: map[string]bool{}, full: map[string]bool{}, words: map[string]bool{}}
}

// addAddress adds addresses (and the name words of first.last@ local parts).
func (p *people) addAddress(addrs ...string) {
	for _, a := range addrs {
		a = strings.ToLower(strings.TrimSpace(a))
		local, _, ok := strings.Cut(a, "@")
		if !ok || local == "" {
			continue
		}
		p.addrs[a] = true
		parts := strings.FieldsFunc(local, func(r rune) bool { return r == '.' || r == '_' || r == '-' })
		if len(parts) < 2 {
			continue // «post@», «kari@»: a mailbox name, or a first name the name field gives better
		}
		for _, w := range parts {
			if isNameWord(w) {
				p.words[w] = true
			}
		}
	}
}

// addName adds a person's name as written («Kari Nordmann», «Nordmann, Kari»).
func (p *people) addName(name string) {
	ws := nameWords(name)
	if len(ws) == 0 || isOrganisation(ws) {
		return
	}
	if len(ws) > 1 {
		p.full[strings.Join(ws, " ")] = true
	}
	for _, w := range ws {
		if isNameWord(w) {
			p.words[w] = true
		}
	}
}

// merge adds everyone of q.
func (p *people) merge(q *people) {
	for k := range q.addrs {
		p.addrs[k] = true
	}
	for k := range q.full {
		p.full[k] = true
	}
	for k := range q.words {
		p.words[k] = true
	}
}

func (p *people) empty() bool { return len(p.addrs) == 0 && len(p.words) == 0 }

// strict is p without the single name words: for places that do not concern the person
// otherwise (the audit log at large, someone else's ticket that names them), where «Kari» alone
// would as well be another Kari, only their addresses and whole names are matched.
func (p *people) strict() *people {
	return &people{addrs: p.addrs, full: p.full, words: map[string]bool{}}
}

// forRole is who to match in a ticket where the person has role: all of p in their own
// tickets and those they took part in, strict in a ticket that only names them.
func (p *people) forRole(role ticket.PersonRole) *people {
	if role == ticket.PersonMentioned {
		return p.strict()
	}
	return p
}

// hasAddress reports whether a is one of the addresses (any case).
func (p *people) hasAddress(a string) bool { return p.addrs[strings.ToLower(strings.TrimSpace(a))] }

// names returns the whole names, for searching other tickets: a first name alone («Kari»)
// would find every Kari, so single words are only replaced in tickets that concern the person.
func (p *people) names() []string {
	var out []string
	for n := range p.full {
		out = append(out, n)
	}
	return out
}

// nameWords splits a name into its lower-case words (letters, with - and ' inside a word).
func nameWords(name string) []string {
	return strings.FieldsFunc(strings.ToLower(name), func(r rune) bool {
		return !unicode.IsLetter(r) && r != '-' && r != '\''
	})
}

// isNameWord keeps words that can be a name: two letters or more, letters only (a hyphenated
// «anne-lise» is matched by its parts, which scrub finds as words of their own).
func isNameWord(w string) bool {
	if utf8.RuneCountInString(w) < 2 {
		return false
	}
	for _, r := range w {
		if !unicode.IsLetter(r) && r != '-' && r != '\'' {
			return false
		}
	}
	return true
}

// organisationWords mark a display name as an organisation's, not a person's: a mailbox like
// «Servicetorget, Lillehammer kommune» or «NAV Kontaktsenter» would otherwise have the
// municipality or the agency scrubbed from every answer as if they were a name.
var organisationWords = map[string]bool{
	"kommune": true, "kommunes": true, "fylkeskommune": true, "bibliotek": true, "biblioteket": true,
	"servicetorg": true, "servicetorget": true, "servicekontor": true, "servicesenter": true,
	"kontor": true, "kontoret": true, "kundesenter": true, "kontaktsenter": true, "postmottak": true,
	"nav": true, "skatteetaten": true, "nasjonalbiblioteket": true, "hk-dir": true, "direktoratet": true,
	"digihjelpen": true, "ks": true, "as": true, "asa": true, "avdeling": true, "etaten": true,
	"kompetanse": true, "norge": true, "support": true, "noreply": true, "no-reply": true,
}

func isOrganisation(words []string) bool {
	for _, w := range words {
		if organisationWords[w] {
			return true
		}
	}
	return false
}

// mentions reports whether s holds any address or name of p.
func (p *people) mentions(s string) bool { return s != "" && p.scrub(s) != s }

// scrub replaces every address of p in s with [anonymisert], then every whole name and every
// name word (alone, or with the genitive s: «Karis») with [navn]. Matching ignores case.
func (p *people) scrub(s string) string {
	if s == "" {
		return s
	}
	for a := range p.addrs {
		s = replaceFold(s, a, scrubbedAddress)
	}
	for n := range p.full {
		s = replaceFold(s, n, scrubbedName)
	}
	if len(p.words) == 0 {
		return s
	}
	return p.scrubWords(s)
}

// scrubWords replaces the words of s (runs of letters) that are name words.
func (p *people) scrubWords(s string) string {
	var b strings.Builder
	start := -1
	flush := func(end int) {
		if start < 0 {
			return
		}
		w := strings.ToLower(s[start:end])
		if p.words[w] || (strings.HasSuffix(w, "s") && p.words[w[:len(w)-1]]) {
			b.WriteString(scrubbedName)
		} else {
			b.WriteString(s[start:end])
		}
		start = -1
	}
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsLetter(r) {
			if start < 0 {
				start = i
			}
		} else {
			flush(i)
			b.WriteString(s[i : i+size]) // as it was, invalid bytes too
		}
		i += size
	}
	flush(len(s))
	return b.String()
}

// replaceFold replaces every occurrence of lower (lower case) in s, in any case, with repl.
func replaceFold(s, lower, repl string) string {
	ls := strings.ToLower(s)
	if len(ls) != len(s) { // a letter changed its length in lower case: match case exactly
		return strings.ReplaceAll(s, lower, repl)
	}
	var b strings.Builder
	for {
		i := strings.Index(ls, lower)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		b.WriteString(repl)
		s, ls = s[i+len(lower):], ls[i+len(lower):]
	}
}
