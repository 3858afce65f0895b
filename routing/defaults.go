package routing

import _ "embed"

// DefaultRulesText is the rule set shipped with the program (rules_default.toml). It applies
// when no rule set has been saved from the admin page and no rules_file is configured.
//
//go:embed rules_default.toml
var DefaultRulesText []byte

// DefaultRules compiles the shipped rules against env.
func DefaultRules(env Env) (*RuleSet, error) {
	return Compile(DefaultRulesText, env)
}
