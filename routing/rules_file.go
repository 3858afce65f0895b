package routing

import (
	"errors"
	"fmt"
	"strings"

	"github.com/pelletier/go-toml/v2/unstable"

	"github.com/ks-no/digihjelpen/ticket"
)

// maxRuleErrors stops a hopeless file from producing pages of errors.
const maxRuleErrors = 20

// rawValue is one key's value as written, with its line, before it is checked.
type rawValue struct {
	line  int
	kind  unstable.Kind
	str   string
	boo   bool
	items []rawItem // for a list (a lone string becomes a list of one)
}

type rawItem struct {
	line int
	text string
}

// rawRule is one [[rules]] table: its keys in file order.
type rawRule struct {
	line   int
	keys   []string
	vals   map[string]rawValue
	broken bool // a key could not be read; its error is already reported
}

// parseRulesFile reads the TOML structure of a rules file: a list of [[rules]] tables whose
// values are strings, booleans or lists of strings. It keeps the line of every key and list
// item. go-toml's parser is used (not a decoder) because it gives those positions. A syntax
// error is returned alone: the file after it is unread.
func parseRulesFile(text []byte) ([]*rawRule, ticket.RuleErrors) {
	p := &unstable.Parser{}
	p.Reset(text)
	var rules []*rawRule
	var errs ticket.RuleErrors
	line := func(r unstable.Range) int { return p.Shape(r).Start.Line }
	for p.NextExpression() && len(errs) < maxRuleErrors {
		e := p.Expression()
		switch e.Kind {
		case unstable.ArrayTable, unstable.Table:
			name, at := dottedKey(e, line)
			if e.Kind != unstable.ArrayTable || name != "rules" {
				errs = append(errs, &ticket.RuleError{Line: at, Msg: fmt.Sprintf("ukjent tabell «%s»; en regelfil består av [[rules]]-tabeller", name)})
				continue
			}
			rules = append(rules, &rawRule{line: at, vals: map[string]rawValue{}})
		case unstable.KeyValue:
			name, at := dottedKey(e, line)
			if len(rules) == 0 {
				errs = append(errs, &ticket.RuleError{Line: at, Key: name, Msg: "står før den første [[rules]]; alle nøkler hører til en regel"})
				continue
			}
			r := rules[len(rules)-1]
			if err := r.add(name, at, e.Value(), line); err != nil {
				r.broken = true
				errs = append(errs, err)
			}
		}
	}
	if err := p.Error(); err != nil {
		return nil, ticket.RuleErrors{syntaxError(p, err)}
	}
	return rules, errs
}

func dottedKey(e *unstable.Node, line func(unstable.Range) int) (string, int) {
	var parts []string
	at := 0
	it := e.Key()
	for it.Next() {
		n := it.Node()
		if at == 0 {
			at = line(n.Raw)
		}
		parts = append(parts, string(n.Data))
	}
	return strings.Join(parts, "."), at
}

func syntaxError(p *unstable.Parser, err error) *ticket.RuleError {
	var pe *unstable.ParserError
	if errors.As(err, &pe) && len(pe.Highlight) > 0 {
		return &ticket.RuleError{Line: p.Shape(p.Range(pe.Highlight)).Start.Line, Msg: "ugyldig TOML: " + pe.Message}
	}
	return &ticket.RuleError{Msg: "ugyldig TOML: " + err.Error()}
}

func (r *rawRule) add(name string, at int, v *unstable.Node, line func(unstable.Range) int) *ticket.RuleError {
	if _, dup := r.vals[name]; dup {
		return &ticket.RuleError{Line: at, Key: name, Msg: "står to ganger i samme regel"}
	}
	rv := rawValue{line: at, kind: v.Kind}
	switch v.Kind {
	case unstable.String:
		rv.str = string(v.Data)
		rv.items = []rawItem{{line: at, text: rv.str}}
	case unstable.Bool:
		rv.boo = string(v.Data) == "true"
	case unstable.Array:
		it := v.Children()
		for it.Next() {
			c := it.Node()
			if c.Kind != unstable.String {
				return &ticket.RuleError{Line: line(c.Raw), Key: name, Msg: "listen kan bare inneholde tekster i anførselstegn"}
			}
			rv.items = append(rv.items, rawItem{line: line(c.Raw), text: string(c.Data)})
		}
	default:
		return &ticket.RuleError{Line: at, Key: name, Msg: "verdien må være en tekst i anførselstegn, true/false eller en liste av tekster"}
	}
	r.keys = append(r.keys, name)
	r.vals[name] = rv
	return nil
}
