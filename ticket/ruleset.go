package ticket

import (
	"context"
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

// RuleManual is the rule name kept on a ticket whose agency staff changed by hand.
const RuleManual = "manuell"
