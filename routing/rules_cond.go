package routing

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/ks-no/digihjelpen/ticket"
)

// conditionKeys are the conditions a rule may have; each also exists as not_<key>.
var conditionKeys = []string{
	"words", "subject_words", "body_words", "regex", "subject_regex", "body_regex",
	"sender", "recipient", "municipality", "county", "channel", "category",
}

// field says where in the ticket words and patterns are looked for.
type field uint8

const (
	inSubject field = 1 << iota
	inBody
	inBoth = inSubject | inBody
)

// cond is one compiled condition. Which fields are used depends on kind.
type cond struct {
	key     string // as written, for the explanation
	kind    string // words, regex, sender, municipality, county, channel, category
	field   field
	entries [][]int          // words: each entry is terms that must all be found ("a + b")
	res     []*regexp.Regexp // regex
	values  map[string]string
	domains []string // sender and recipient: "nav.no" matches x@nav.no and x@oslo.nav.no
	want    bool     // special_need: the flag the place must have
}

// maxRegexLen bounds a pattern; RE2 runs in linear time, but a huge pattern is a mistake.
const maxRegexLen = 500

func (rs *RuleSet) compileCond(key string, v rawValue, env Env, bad func(int, string, ...any)) (cond, bool) {
	c := cond{kind: key, field: inBoth, values: map[string]string{}}
	if f, ok := strings.CutPrefix(key, "subject_"); ok {
		c.kind, c.field = f, inSubject
	} else if f, ok := strings.CutPrefix(key, "body_"); ok {
		c.kind, c.field = f, inBody
	}
	n := 0
	for _, it := range v.items {
		text := strings.TrimSpace(it.text)
		if text == "" {
			bad(it.line, "tom verdi i listen")
			continue
		}
		if msg := rs.compileItem(&c, text, env); msg != "" {
			bad(it.line, "%s", msg)
			continue
		}
		n++
	}
	return c, n == len(v.items)
}

// compileItem adds one list item to c, or says what is wrong with it.
func (rs *RuleSet) compileItem(c *cond, text string, env Env) string {
	switch c.kind {
	case "words":
		var entry []int
		for _, part := range strings.Split(text, "+") {
			id, bad := rs.lex.add(part)
			if bad != "" {
				return fmt.Sprintf("«%s»: %s", text, bad)
			}
			entry = append(entry, id)
		}
		c.entries = append(c.entries, entry)
	case "regex":
		return c.addRegex(text)
	case "sender", "recipient":
		return c.addAddress(text)
	case "municipality":
		return c.addMunicipality(text, env.Places)
	case "county":
		return c.addCounty(text, env.Places)
	case "channel":
		switch strings.ToLower(text) {
		case "email", "e-post":
			c.values[string(ticket.ChannelEmail)] = "e-post"
		case "web", "skjema":
			c.values[string(ticket.ChannelWeb)] = "skjema"
		default:
			return fmt.Sprintf("ukjent kanal «%s»; bruk \"email\" eller \"web\"", text)
		}
	case "category":
		cat, ok := ticket.FindCategory(strings.ToLower(text))
		if !ok {
			return fmt.Sprintf("ukjent tema «%s»; temaene i skjemaet er %s", text, categoryKeys())
		}
		c.values[cat.Key] = cat.Label
	}
	return ""
}

func (c *cond) addRegex(text string) string {
	if len(text) > maxRegexLen {
		return fmt.Sprintf("mønsteret er over %d tegn", maxRegexLen)
	}
	re, err := regexp.Compile("(?i)" + text)
	if err != nil {
		return fmt.Sprintf("ugyldig regulært uttrykk «%s»: %v", text, strings.TrimPrefix(err.Error(), "error parsing regexp: "))
	}
	c.res = append(c.res, re)
	return ""
}

func (c *cond) addAddress(text string) string {
	s := strings.ToLower(text)
	if strings.HasPrefix(s, "@") || !strings.Contains(s, "@") {
		d := strings.TrimPrefix(s, "@")
		if !strings.Contains(d, ".") || strings.ContainsAny(d, " @,;<>") {
			return fmt.Sprintf("«%s» er verken en e-postadresse eller et domene som nav.no", text)
		}
		c.domains = append(c.domains, d)
		return ""
	}
	addr, err := ticket.NormalizeEmail(s)
	if err != nil {
		return fmt.Sprintf("«%s» er ikke en gyldig e-postadresse", text)
	}
	c.values[addr] = addr
	return ""
}

func (c *cond) addMunicipality(text string, places *Places) string {
	pl, ok := places.ByNumber(text)
	if !ok {
		pl, ok = places.ByName(text)
	}
	if !ok {
		if number, known := places.byName[strings.ToLower(text)]; known && number == "" {
			return fmt.Sprintf("«%s» finnes i flere fylker; skriv navnet med fylket i parentes, som «Herøy (Nordland)», eller kommunenummeret", text)
		}
		return fmt.Sprintf("ukjent kommune «%s»; skriv kommunenummeret (fire sifre) eller navnet slik SSB skriver det", text)
	}
	c.values[pl.Municipality.Number] = pl.Municipality.Name
	return ""
}

func (c *cond) addCounty(text string, places *Places) string {
	county, ok := places.County(text)
	if !ok {
		county, ok = places.CountyByName(text)
	}
	if !ok {
		return fmt.Sprintf("ukjent fylke «%s»; skriv fylkesnummeret (to sifre) eller navnet, som «Vestland»", text)
	}
	c.values[county.Number] = county.Name
	return ""
}

func categoryKeys() string {
	keys := make([]string, len(ticket.Categories))
	for i, c := range ticket.Categories {
		keys[i] = c.Key
	}
	return strings.Join(keys, ", ")
}
