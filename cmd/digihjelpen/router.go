package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync/atomic"

	"github.com/ks-no/digihjelpen/routing"
	"github.com/ks-no/digihjelpen/ticket"
)

// liveRouter routes new tickets with the active rule set. Intake and the web form hold it as
// their ticket.Router; saving or restoring rules on the admin page swaps the set underneath
// without a restart, and a decision in progress keeps the set it started with.
type liveRouter struct {
	rules atomic.Pointer[routing.RuleSet]
}

var _ ticket.Router = (*liveRouter)(nil)

// Route decides with the active rules.
func (l *liveRouter) Route(t *ticket.Ticket, first *ticket.Message) ticket.Decision {
	return l.rules.Load().Route(t, first)
}

// loadActiveRules compiles the rules in force: the latest version saved from the admin page,
// else the configured rules_file, else the built-in rules. A rules_file that does not compile
// stops the start even when a saved version shadows it, so a broken file never waits unnoticed
// for the day the saved versions are gone.
func loadActiveRules(ctx context.Context, env routing.Env, sets ticket.RuleSetService, file string) (*routing.RuleSet, ticket.ActiveRules, error) {
	var fileRules *routing.RuleSet
	var fileText []byte
	if file != "" {
		var err error
		if fileText, fileRules, err = compileRulesFile(file, env); err != nil {
			return nil, ticket.ActiveRules{}, fmt.Errorf("routing.rules_file: %w", err)
		}
	}
	latest, err := sets.LatestRuleSet(ctx)
	switch {
	case err == nil:
		rs, err := routing.Compile([]byte(latest.Text), env)
		if err != nil {
			return nil, ticket.ActiveRules{}, fmt.Errorf("routing rules version %d saved in the database:\n%w", latest.Version, err)
		}
		return rs, ticket.ActiveRules{Text: latest.Text, Version: latest.Version, File: file, Source: savedSource(latest)}, nil
	case ticket.ErrorCode(err) != ticket.ENOTFOUND:
		return nil, ticket.ActiveRules{}, err
	case fileRules != nil:
		return fileRules, ticket.ActiveRules{Text: string(fileText), File: file, Source: "regelfilen " + file + " (routing.rules_file)"}, nil
	}
	rs, err := routing.DefaultRules(env)
	if err != nil {
		return nil, ticket.ActiveRules{}, fmt.Errorf("built-in routing rules: %w", err)
	}
	return rs, ticket.ActiveRules{Text: string(routing.DefaultRulesText), Source: "de innebygde standardreglene"}, nil
}

func savedSource(rs *ticket.RuleSet) string {
	s := fmt.Sprintf("versjon %d, lagret %s av %s", rs.Version, rs.SavedAt.In(ticket.Oslo).Format("02.01.2006 kl. 15:04"), rs.SavedBy)
	if rs.RestoredFrom > 0 {
		s += fmt.Sprintf(" (gjenopprettet fra versjon %d)", rs.RestoredFrom)
	}
	return s
}

// compileRulesFile reads and compiles a rules file; its mistakes come back as FILE:LINE: lines.
func compileRulesFile(path string, env routing.Env) ([]byte, *routing.RuleSet, error) {
	text, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("cannot read %s: %w", path, errors.Unwrap(err))
	}
	rs, err := routing.Compile(text, env)
	if err != nil {
		return nil, nil, fileErrors(path, err)
	}
	return text, rs, nil
}

// fileErrors prefixes every rule error with the file, as compilers do: regler.toml:12: ….
func fileErrors(path string, err error) error {
	var errs ticket.RuleErrors
	if !errors.As(err, &errs) {
		return fmt.Errorf("%s: %w", path, err)
	}
	lines := make([]string, len(errs))
	for i, e := range errs {
		line := *e
		where := path
		if line.Line > 0 {
			where = fmt.Sprintf("%s:%d", path, line.Line)
		}
		line.Line = 0
		lines[i] = where + ": " + line.Error()
	}
	return errors.New(strings.Join(lines, "\n"))
}
