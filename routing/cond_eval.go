package routing

import (
	"fmt"
	"strings"
)

// eval reports whether c holds for in, and if so, in words staff understand, why.
func (c *cond) eval(rs *RuleSet, in *input) (string, bool) {
	switch c.kind {
	case "words":
		return c.evalWords(rs, in)
	case "regex":
		for _, re := range c.res {
			// The matched text is not quoted: a pattern may well match a personal number.
			if c.field&inSubject != 0 && re.MatchString(in.subject) {
				return fmt.Sprintf("mønsteret «%s» i emnet", strings.TrimPrefix(re.String(), "(?i)")), true
			}
			if c.field&inBody != 0 && re.MatchString(in.body) {
				return fmt.Sprintf("mønsteret «%s» i teksten", strings.TrimPrefix(re.String(), "(?i)")), true
			}
		}
	case "sender":
		if what, ok := c.matchAddress(in.sender); ok {
			return "avsender " + what, true
		}
	case "recipient":
		for _, r := range in.recipients {
			if what, ok := c.matchAddress(r); ok {
				return "sendt til " + what, true
			}
		}
	case "municipality":
		if name, ok := c.values[in.place.Municipality.Number]; ok {
			return fmt.Sprintf("kommune %s (%s)", name, in.placeFrom), true
		}
	case "county":
		if name, ok := c.values[in.place.County.Number]; ok {
			return fmt.Sprintf("fylke %s (%s)", name, in.placeFrom), true
		}
	case "channel":
		if name, ok := c.values[in.channel]; ok {
			return "kanal " + name, true
		}
	case "category":
		if name, ok := c.values[in.category]; ok {
			return fmt.Sprintf("tema «%s» valgt i skjemaet", name), true
		}
	case "special_need":
		return rs.evalSpecialNeed(c.want, in)
	}
	return "", false
}

// evalWords holds when every term of one entry was found; the explanation names the words of
// the mail that matched, and where.
func (c *cond) evalWords(rs *RuleSet, in *input) (string, bool) {
	for _, entry := range c.entries {
		var found []string
		for _, id := range entry {
			w, where := c.hit(in, id)
			if w == "" {
				found = nil
				break
			}
			found = append(found, fmt.Sprintf("«%s» i %s", w, where))
		}
		if found != nil {
			return "ord " + strings.Join(found, " og "), true
		}
	}
	return "", false
}

func (c *cond) hit(in *input, id int) (string, string) {
	if c.field&inSubject != 0 && in.subjectHits[id] != "" {
		return in.subjectHits[id], "emnet"
	}
	if c.field&inBody != 0 && in.bodyHits[id] != "" {
		return in.bodyHits[id], "teksten"
	}
	return "", ""
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
