package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/routing"
	"github.com/ks-no/digihjelpen/ticket"
)

// openRules loads the active routing rules (latest saved version, else routing.rules_file,
// else the built-in rules) into a.rules, which is also a.router: intake and the web form route
// new tickets with it, and the admin pages save and restore through it.
func (a *app) openRules() error {
	r := &routing.Admin{
		Env:  routing.Env{Agencies: a.agencies, Places: a.places, Needs: a.register},
		Sets: data.NewRuleSetService(a.db), Tickets: a.tickets, ParseMail: parseEML,
		File: a.cfg.Routing.RulesFile, TemplateExists: a.composer.HasAckTemplate,
		Learn: ticket.LearnMode(a.cfg.Routing.Learn), Labels: a.tickets, Threshold: a.cfg.Routing.LearnThreshold,
		Seed: a.cfg.Routing.LearnSeed,
	}
	if r.File != "" {
		// Checked here first for the FILE:LINE: form of its errors; Load compiles it again.
		text, _, err := compileRulesFile(r.File, r.Env)
		if err != nil {
			return fmt.Errorf("routing.rules_file: %w", err)
		}
		r.FileText = text
	}
	if err := r.Load(context.Background()); err != nil {
		return err
	}
	a.rules, a.router = r, r
	return nil
}

// compileRulesFile reads and compiles a rules file; its mistakes come back as FILE:LINE: lines.
func compileRulesFile(path string, env routing.Env) ([]byte, *routing.RuleSet, error) {
	text, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("cannot read %s: %w", path, errors.Unwrap(err))
	}
	rs, err := compileRules(path, text, env)
	return text, rs, err
}

// compileRules compiles the text of the rules file path.
func compileRules(path string, text []byte, env routing.Env) (*routing.RuleSet, error) {
	rs, err := routing.Compile(text, env)
	if err != nil {
		return nil, fileErrors(path, err)
	}
	return rs, nil
}

func ruleErrorsOf(err error) ticket.RuleErrors {
	var errs ticket.RuleErrors
	errors.As(err, &errs)
	return errs
}

// fileErrors prefixes every rule error with the file, as compilers do: regler.toml:12: ….
func fileErrors(path string, err error) error {
	errs := ruleErrorsOf(err)
	if errs == nil {
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
