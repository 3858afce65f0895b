package routing

import (
	"fmt"
	"strings"
)

// eval reports whether c holds for in, and if so, in words staff understand, why, and where in
// the ticket it found what it looked for: a condition on words or patterns is as strong as the
// place it found them (see focus.go); one on the sender, the place or the form says nothing of
// where (placeAnywhere).
func (c *cond) eval(rs *RuleSet, in *input) (string, place, bool) {
	switch c.kind {
	case "words":
		return c.evalWords(in)
	case "regex":
		return c.evalRegex(in)
	case "sender":
		if what, ok := c.matchAddress(in.sender); ok {
			return "avsender " + what, placeAnywhere, true
		}
	case "recipient":
		for _, r := range in.recipients {
			if what, ok := c.matchAddress(r); ok {
				return "sendt til " + what, placeAnywhere, true
			}
		}
	case "municipality":
		if name, ok := c.values[in.place.Municipality.Number]; ok {
			return fmt.Sprintf("kommune %s (%s)", name, in.placeFrom), placeAnywhere, true
		}
	case "county":
		if name, ok := c.values[in.place.County.Number]; ok {
			return fmt.Sprintf("fylke %s (%s)", name, in.placeFrom), placeAnywhere, true
		}
	case "channel":
		if name, ok := c.values[in.channel]; ok {
			return "kanal " + name, placeAnywhere, true
		}
	case "category":
		if name, ok := c.values[in.category]; ok {
			return fmt.Sprintf("tema «%s» valgt i skjemaet", name), placeAnywhere, true
		}
	case "special_need":
		what, ok := rs.evalSpecialNeed(c.want, in)
		return what, placeAnywhere, ok
	}
	return "", placeNone, false
}

// evalRegex holds when a pattern matches the subject, the new text or the quoted history, in that
// order of strength. The matched text is not quoted: a pattern may well match a personal number.
func (c *cond) evalRegex(in *input) (string, place, bool) {
	for _, re := range c.res {
		pattern := strings.TrimPrefix(re.String(), "(?i)")
		if c.field&inSubject != 0 && in.subjectAt == placeQuestion && re.MatchString(in.subject) {
			return fmt.Sprintf("mønsteret «%s» i emnet", pattern), placeQuestion, true
		}
		if c.field&inBody != 0 && re.MatchString(in.body) {
			return fmt.Sprintf("mønsteret «%s» i teksten", pattern), placeText, true
		}
	}
	for _, re := range c.res {
		pattern := strings.TrimPrefix(re.String(), "(?i)")
		if c.field&inSubject != 0 && re.MatchString(in.subject) {
			return fmt.Sprintf("mønsteret «%s» i %s", pattern, in.subjectAt.name(true)), in.subjectAt, true
		}
		if c.field&inBody != 0 && re.MatchString(in.history) {
			return fmt.Sprintf("mønsteret «%s» i sitert tekst", pattern), placeHistory, true
		}
	}
	return "", placeNone, false
}

// evalWords holds when every term of one entry was found. An entry is as strong as the weakest
// place one of its terms was found in, and the condition as its strongest entry; the explanation
// names the words of the mail that matched, and where.
func (c *cond) evalWords(in *input) (string, place, bool) {
	best, bestAt := -1, placeNone
	for i, entry := range c.entries {
		at := placeQuestion
		for _, id := range entry {
			_, p, _ := c.hit(in, id)
			at = min(at, p)
		}
		if at > bestAt {
			best, bestAt = i, at
			if at == placeQuestion {
				break
			}
		}
	}
	if best < 0 {
		return "", placeNone, false
	}
	found := make([]string, len(c.entries[best]))
	for i, id := range c.entries[best] {
		w, p, subject := c.hit(in, id)
		found[i] = fmt.Sprintf("«%s» i %s", w, p.name(subject))
	}
	return "ord " + strings.Join(found, " og "), bestAt, true
}

// hit is the word that matched term id where c looks, the strongest place it was found, and
// whether that was the subject; placeNone when it was not found.
func (c *cond) hit(in *input, id int) (string, place, bool) {
	var sp, bp place
	if c.field&inSubject != 0 && in.subjectHits[id] != "" {
		sp = in.subjectAt
	}
	if c.field&inBody != 0 && in.bodyHits[id] != "" {
		bp = in.bodyAt[id]
	}
	switch {
	case sp == placeNone && bp == placeNone:
		return "", placeNone, false
	case sp >= bp:
		return in.subjectHits[id], sp, true
	}
	return in.bodyHits[id], bp, false
}

// matchAddress checks an address against the listed addresses and domains (sub-domains
// included) and returns the entry that matched.
func (c *cond) matchAddress(addr string) (string, bool) {
	if addr == "" {
		return "", false
	}
	if _, ok := c.values[addr]; ok {
		return addr, true
	}
	domain := addr[strings.LastIndexByte(addr, '@')+1:]
	for _, d := range c.domains {
		if domain == d || strings.HasSuffix(domain, "."+d) {
			return "i domenet " + d, true
		}
	}
	return "", false
}

// evalSpecialNeed holds when the register's «særskilt behov» flag of the place (the
// municipality, else the county authority) is want. A question from nowhere known has no flag.
func (rs *RuleSet) evalSpecialNeed(want bool, in *input) (string, bool) {
	number, name := in.place.Municipality.Number, in.place.Municipality.Name
	if number == "" {
		number, name = in.place.County.Number, in.place.County.Name+" fylkeskommune"
	}
	if number == "" {
		return "", false
	}
	has := rs.needs != nil && rs.needs.SpecialNeed(number)
	if has != want {
		return "", false
	}
	if has {
		return fmt.Sprintf("%s har særskilt behov i kommuneregisteret (%s)", name, in.placeFrom), true
	}
	return fmt.Sprintf("%s har ikke særskilt behov i kommuneregisteret (%s)", name, in.placeFrom), true
}
