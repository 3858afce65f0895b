package ticket

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// RuleSet is one saved version of the routing rules, as the administrator wrote it. Saving
// never overwrites: each save is a new version, so any earlier one can be read and restored.
type RuleSet struct {
	Version int
	Text    string // the rules file (TOML)
	Note    string // what changed, in the administrator's words
	SavedBy string
	SavedAt time.Time
	// RestoredFrom is the version this one copies, when it was made by a restore.
	RestoredFrom int
}

// RuleSetService stores the versions of the routing rules. The active rules are the latest
// version; with none saved, the rules_file of the configuration, else the built-in rules.
type RuleSetService interface {
	// SaveRuleSet stores rs as the next version (setting Version, SavedBy and SavedAt) and
	// records the save in the audit trail, in one transaction.
	SaveRuleSet(ctx context.Context, rs *RuleSet) error
	// FindRuleSet returns a version, ENOTFOUND when there is none.
	FindRuleSet(ctx context.Context, version int) (*RuleSet, error)
	// LatestRuleSet returns the newest version, ENOTFOUND when none is saved.
	LatestRuleSet(ctx context.Context) (*RuleSet, error)
	// FindRuleSets lists every version, newest first, without their texts.
	FindRuleSets(ctx context.Context) ([]*RuleSet, error)
}

// ActiveRules is the rule set the router uses now and where it comes from. The precedence is:
// the latest version saved from the admin page, else the configured rules_file, else the rules
// built into the program.
type ActiveRules struct {
	Text    string
	Version int    // the saved version; 0 for the file or the built-in rules
	Source  string // a sentence for the admin page: "versjon 3, lagret …", "regelfilen …", …
	File    string // the configured rules_file, "" when none
}

// RuleManual is the rule name kept on a ticket whose agency staff changed by hand.
const RuleManual = "manuell"

// RuleError is one mistake in a rules file: where it is and a Norwegian sentence saying what
// is wrong, so an administrator can fix it from the message alone.
type RuleError struct {
	Line int    // from 1; 0 when the mistake has no single line
	Rule string // the rule's name, when known
	Key  string // the key, when the mistake is in one
	Msg  string
}

func (e *RuleError) Error() string {
	var b strings.Builder
	if e.Line > 0 {
		fmt.Fprintf(&b, "linje %d: ", e.Line)
	}
	if e.Rule != "" {
		fmt.Fprintf(&b, "regelen «%s»: ", e.Rule)
	}
	if e.Key != "" {
		fmt.Fprintf(&b, "%s: ", e.Key)
	}
	b.WriteString(e.Msg)
	return b.String()
}

// RuleErrors are all the mistakes found in a file, in line order.
type RuleErrors []*RuleError

func (es RuleErrors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}
