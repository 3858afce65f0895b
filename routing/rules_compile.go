package routing

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/pelletier/go-toml/v2/unstable"

	"github.com/ks-no/digihjelpen/ticket"
)

// Env is what a rule set is checked against: the configured agencies and the municipalities.
type Env struct {
	Agencies ticket.Agencies
	Places   *Places
	// Needs says which municipalities the register marks «særskilt behov», for the condition
	// special_need; nil: none is.
	Needs ticket.SpecialNeeds
}

// RuleSet is a checked, compiled set of rules, ready to route tickets. It never changes after
// Compile, so one value serves every goroutine; to change the rules, compile a new one.
type RuleSet struct {
	rules    []*rule
	lex      *lexicon
	places   *Places
	agencies ticket.Agencies // for the names in explanations
	scratch  sync.Pool       // *scratch, reused by decisions
	needs    ticket.SpecialNeeds
}

// rule is one compiled [[rules]] table.
type rule struct {
	name, description string
	line              int
	any               bool   // match = "any": one condition is enough
	conds, nots       []cond // nots: the rule does not apply if any of them matches
	agency, assignee  string
	template          string
	templateLine      int // the line of the template key
	priority          ticket.Priority
	tags              []string
	stop              bool
	evidence          evidence // how much a match says about the agency; see weigh
}

// Rules returns how many rules the set has.
func (rs *RuleSet) Rules() int { return len(rs.rules) }

// keyKinds are the keys a rule may have and the kind of value each takes.
var keyKinds = map[string]string{
	"name": "text", "description": "text", "match": "text",
	"agency": "text", "priority": "text", "assignee": "text", "template": "text", "stop": "bool", "tags": "list",
	"evidence": "text", "special_need": "bool",
}

func init() {
	for _, k := range conditionKeys {
		keyKinds[k], keyKinds["not_"+k] = "list", "list"
	}
}

// Compile checks a rules file and compiles it. Every mistake it finds is returned together, as
// ticket.RuleErrors with the line of each.
func Compile(text []byte, env Env) (*RuleSet, error) {
	if env.Places == nil {
		return nil, fmt.Errorf("compile rules: no places")
	}
	raws, errs := parseRulesFile(text)
	rs := &RuleSet{lex: newLexicon(), places: env.Places, agencies: env.Agencies, needs: env.Needs}
	names := map[string]int{}
	for _, raw := range raws {
		if len(errs) >= maxRuleErrors {
			break
		}
		r, rerrs := rs.compileRule(raw, env)
		errs = append(errs, rerrs...)
		if r == nil {
			continue
		}
		if first, dup := names[strings.ToLower(r.name)]; dup {
			errs = append(errs, &ticket.RuleError{Line: raw.vals["name"].line, Rule: r.name, Key: "name", Msg: fmt.Sprintf("navnet er brukt før, på linje %d; gi hver regel et eget navn", first)})
		}
		names[strings.ToLower(r.name)] = raw.vals["name"].line
		rs.rules = append(rs.rules, r)
	}
	if len(errs) > 0 {
		sort.SliceStable(errs, func(i, j int) bool { return errs[i].Line < errs[j].Line })
		return nil, errs
	}
	return rs, nil
}

func (rs *RuleSet) compileRule(raw *rawRule, env Env) (*rule, ticket.RuleErrors) {
	r := &rule{line: raw.line}
	name, ok := raw.vals["name"]
	if !ok || strings.TrimSpace(name.str) == "" {
		return nil, ticket.RuleErrors{{Line: raw.line, Key: "name", Msg: "regelen mangler navn (name = \"…\")"}}
	}
	r.name = strings.TrimSpace(name.str)
	var errs ticket.RuleErrors
	bad := func(line int, key, format string, args ...any) {
		errs = append(errs, &ticket.RuleError{Line: line, Rule: r.name, Key: key, Msg: fmt.Sprintf(format, args...)})
	}
	for _, k := range raw.keys {
		v := raw.vals[k]
		kind, known := keyKinds[k]
		if !known {
			bad(v.line, k, "ukjent nøkkel; kjente nøkler er %s", strings.Join(knownRuleKeys(), ", "))
			continue
		}
		if msg := checkKind(kind, v); msg != "" {
			bad(v.line, k, "%s", msg)
			continue
		}
		rs.compileKey(r, k, v, env, bad)
	}
	if ev, ok := raw.vals["evidence"]; ok && r.agency == "" && len(errs) == 0 {
		bad(ev.line, "evidence", "gjelder bare regler som velger etat; gi regelen agency = \"…\" eller ta bort evidence")
	}
	if len(errs) == 0 && !raw.broken && r.agency == "" && r.priority == "" && len(r.tags) == 0 && r.assignee == "" && r.template == "" && !r.stop {
		bad(raw.line, "", "regelen gjør ingenting; gi den minst én handling (agency, priority, tags, assignee, template eller stop)")
	}
	return r, errs
}

func checkKind(kind string, v rawValue) string {
	switch {
	case kind == "bool" && v.kind != unstable.Bool:
		return "verdien må være true eller false"
	case kind == "text" && v.kind != unstable.String:
		return "verdien må være én tekst i anførselstegn"
	case kind == "list" && v.kind == unstable.Bool:
		return "verdien må være en liste av tekster, som [\"a\", \"b\"]"
	case kind == "list" && len(v.items) == 0:
		return "listen er tom; ta bort nøkkelen eller skriv minst én verdi"
	}
	return ""
}

func knownRuleKeys() []string {
	keys := make([]string, 0, len(keyKinds))
	for k := range keyKinds {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// compileKey puts one checked key into r; mistakes go to bad.
func (rs *RuleSet) compileKey(r *rule, k string, v rawValue, env Env, bad func(int, string, string, ...any)) {
	switch k {
	case "name":
	case "description":
		r.description = strings.TrimSpace(v.str)
	case "match":
		switch v.str {
		case "all", "any":
			r.any = v.str == "any"
		default:
			bad(v.line, k, "må være \"all\" (alle betingelsene) eller \"any\" (minst én), ikke «%s»", v.str)
		}
	case "agency":
		if _, ok := env.Agencies.Find(v.str); !ok {
			bad(v.line, k, "ukjent etat «%s»; kjente etater er %s", v.str, strings.Join(env.Agencies.Keys(), ", "))
		}
		r.agency = v.str
	case "priority":
		r.priority = ticket.Priority(v.str)
		if !r.priority.Valid() {
			bad(v.line, k, "må være \"lav\", \"normal\" eller \"høy\", ikke «%s»", v.str)
		}
	case "assignee":
		if e, err := ticket.NormalizeEmail(v.str); err != nil {
			bad(v.line, k, "«%s» er ikke en e-postadresse", v.str)
		} else {
			r.assignee = e
		}
	case "template":
		if !ticket.ValidAckTemplateName(v.str) {
			bad(v.line, k, "malnavnet «%s» kan bare ha små bokstaver a–z, sifre, - og _", v.str)
		}
		r.template, r.templateLine = v.str, v.line
	case "stop":
		r.stop = v.boo
	case "evidence":
		ev, ok := parseEvidence(v.str)
		if !ok {
			bad(v.line, k, "må være \"service\" (spørsmålet gjelder en tjeneste bare etaten har), \"named\" (spørsmålet nevner etaten) eller \"topic\" (et temaord), ikke «%s»", v.str)
		}
		r.evidence = ev
	case "tags":
		r.tags = compileTags(v, bad)
	case "special_need":
		r.conds = append(r.conds, cond{key: k, kind: k, want: v.boo})
	default:
		negated := strings.HasPrefix(k, "not_")
		c, ok := rs.compileCond(strings.TrimPrefix(k, "not_"), v, env, func(line int, format string, args ...any) {
			bad(line, k, format, args...)
		})
		if !ok {
			return
		}
		c.key = k
		if negated {
			r.nots = append(r.nots, c)
		} else {
			r.conds = append(r.conds, c)
		}
	}
}

var tagPattern = regexp.MustCompile(`^[\p{L}\p{N}][\p{L}\p{N}_-]{0,39}$`)

func compileTags(v rawValue, bad func(int, string, string, ...any)) []string {
	var tags []string
	for _, it := range v.items {
		tag := strings.ToLower(strings.TrimSpace(it.text))
		if !tagPattern.MatchString(tag) {
			bad(it.line, "tags", "merkelappen «%s» kan bare ha bokstaver, sifre, - og _ (høyst 40 tegn, uten mellomrom)", it.text)
			continue
		}
		tags = append(tags, tag)
	}
	return tags
}
