package routing

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

// TicketScanner replays stored tickets (data.TicketService implements it).
type TicketScanner interface {
	ForEachTicket(ctx context.Context, from time.Time, fn func(t *ticket.Ticket, first *ticket.Message) error) error
}

// Admin is the routing rules as the program runs them: it routes new tickets with the active
// set (it is the ticket.Router intake and the form use) and lets administrators try, save and
// restore sets. Saving swaps the active set at once; a decision in progress keeps the set it
// started with. Storage and mail parsing come in through the fields, so routing itself does no
// I/O. Set the fields, then call Load.
type Admin struct {
	Env     Env
	Sets    ticket.RuleSetService
	Tickets TicketScanner
	// ParseMail reads a pasted or uploaded .eml for a trial.
	ParseMail func(raw []byte) (*ticket.Ticket, *ticket.Message, error)
	// File and FileText are the configured rules_file ("" and nil when none), read by the
	// caller; the file's name is only shown.
	File     string
	FileText []byte
	// MaxChanges is how many changed tickets a dry-run lists (default 200).
	MaxChanges int
	// TemplateExists reports whether an acknowledgement template exists (the composer's
	// HasAckTemplate); rules naming one that does not get a warning. Nil: no check.
	TemplateExists func(name string) bool

	// Learn is what the routing model may do (routing.learn; "" is off). Labels gives it its
	// training data (nil: no learning); Threshold is the confidence from which it routes a
	// ticket no rule routed in mode "route" (0: DefaultThreshold). See admin_learn.go.
	Learn     ticket.LearnMode
	Labels    ticket.RoutingLabelService
	Threshold float64
	// Seed trains the model on the seed corpus built into the program (SeedExamples) besides
	// staff's labels, so it is ready before staff have labelled anything (routing.learn_seed).
	Seed bool

	learning learning
	rules    atomic.Pointer[RuleSet]
	mu       sync.Mutex // one save at a time, so versions and the active set agree
	active   ticket.ActiveRules
}

var _ ticket.Router = (*Admin)(nil)

// Load makes active the latest saved version, else the rules file, else the built-in rules.
// A rules file with mistakes is an error even when a saved version shadows it, so a broken file
// never waits unnoticed for the day it is used; its errors are ticket.RuleErrors.
func (a *Admin) Load(ctx context.Context) error {
	var fileRules *RuleSet
	if a.FileText != nil {
		var err error
		if fileRules, err = Compile(a.FileText, a.Env); err != nil {
			return err
		}
	}
	latest, err := a.Sets.LatestRuleSet(ctx)
	switch {
	case err == nil:
		rs, err := Compile([]byte(latest.Text), a.Env)
		if err != nil {
			return fmt.Errorf("routing rules version %d saved in the database:\n%w", latest.Version, err)
		}
		a.use(rs, ticket.ActiveRules{Text: latest.Text, Version: latest.Version, File: a.File, Source: savedSource(latest)})
	case ticket.ErrorCode(err) != ticket.ENOTFOUND:
		return err
	case fileRules != nil:
		a.use(fileRules, ticket.ActiveRules{Text: string(a.FileText), File: a.File, Source: "regelfilen " + a.File + " (routing.rules_file)"})
	default:
		rs, err := DefaultRules(a.Env)
		if err != nil {
			return fmt.Errorf("built-in routing rules: %w", err)
		}
		a.use(rs, ticket.ActiveRules{Text: string(DefaultRulesText), Source: "de innebygde standardreglene"})
	}
	return nil
}

func (a *Admin) use(rs *RuleSet, active ticket.ActiveRules) {
	a.rules.Store(rs)
	a.active = active
}

func savedSource(rs *ticket.RuleSet) string {
	s := fmt.Sprintf("versjon %d, lagret %s av %s", rs.Version, rs.SavedAt.In(ticket.Oslo).Format("02.01.2006 kl. 15:04"), rs.SavedBy)
	if rs.RestoredFrom > 0 {
		s += fmt.Sprintf(" (gjenopprettet fra versjon %d)", rs.RestoredFrom)
	}
	return s
}

// ActiveRules returns the rule set in force and where it comes from.
func (a *Admin) ActiveRules(context.Context) (ticket.ActiveRules, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.active, nil
}

// DefaultRulesText returns the rules built into the program, to start from or go back to.
func (a *Admin) DefaultRulesText() string { return string(DefaultRulesText) }

// RuleSets lists the saved versions, newest first.
func (a *Admin) RuleSets(ctx context.Context) ([]*ticket.RuleSet, error) {
	return a.Sets.FindRuleSets(ctx)
}

// RuleSet returns one saved version with its text.
func (a *Admin) RuleSet(ctx context.Context, version int) (*ticket.RuleSet, error) {
	return a.Sets.FindRuleSet(ctx, version)
}

// CheckRules compiles text; the error is ticket.RuleErrors with every mistake and its line.
func (a *Admin) CheckRules(text string) error {
	_, err := Compile([]byte(text), a.Env)
	return err
}

// TryRules replays text over the tickets created since (zero: all) and reports what would
// change. Nothing is saved.
func (a *Admin) TryRules(ctx context.Context, text string, since time.Time) (*ticket.RuleReplay, error) {
	rs, err := Compile([]byte(text), a.Env)
	if err != nil {
		return nil, err
	}
	max := a.MaxChanges
	if max <= 0 {
		max = 200
	}
	rp := NewReplay(rs, since, max)
	if m := a.readyModel(); m != nil {
		rp.Model, rp.Threshold = m, a.threshold()
	}
	err = a.Tickets.ForEachTicket(ctx, since, func(t *ticket.Ticket, first *ticket.Message) error {
		rp.Add(t, first)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return rp.Result(), nil
}

// TryRulesOnMail routes one mail that is not stored, with text and with the active rules.
func (a *Admin) TryRulesOnMail(_ context.Context, text string, raw []byte) (*ticket.RuleTrial, error) {
	rs, err := Compile([]byte(text), a.Env)
	if err != nil {
		return nil, err
	}
	t, m, err := a.ParseMail(raw)
	if err != nil {
		return nil, err
	}
	return &ticket.RuleTrial{From: m.From, Subject: t.Subject, Active: a.Route(t, m), Candidate: rs.Route(t, m)}, nil
}

// SaveRules checks text, stores it as the next version and makes it active at once.
func (a *Admin) SaveRules(ctx context.Context, text, note string) (*ticket.RuleSet, error) {
	return a.save(ctx, &ticket.RuleSet{Text: text, Note: strings.TrimSpace(note)})
}

// RestoreRules makes an earlier version active again, as a new version that copies it, so the
// history shows the restore.
func (a *Admin) RestoreRules(ctx context.Context, version int, note string) (*ticket.RuleSet, error) {
	old, err := a.Sets.FindRuleSet(ctx, version)
	if err != nil {
		return nil, err
	}
	return a.save(ctx, &ticket.RuleSet{Text: old.Text, Note: strings.TrimSpace(note), RestoredFrom: version})
}

func (a *Admin) save(ctx context.Context, set *ticket.RuleSet) (*ticket.RuleSet, error) {
	rs, err := Compile([]byte(set.Text), a.Env)
	if err != nil {
		return nil, err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if err := a.Sets.SaveRuleSet(ctx, set); err != nil {
		return nil, err
	}
	a.use(rs, ticket.ActiveRules{Text: set.Text, Version: set.Version, File: a.File, Source: savedSource(set)})
	return set, nil
}

// RuleWarnings returns what is not wrong in text but will not work as written: rules that name
// an acknowledgement template that does not exist (see RuleSet.TemplateWarnings). It returns
// nil when text does not compile; CheckRules reports that.
func (a *Admin) RuleWarnings(text string) ticket.RuleErrors {
	rs, err := Compile([]byte(text), a.Env)
	if err != nil {
		return nil
	}
	return rs.TemplateWarnings(a.TemplateExists)
}

// TemplateRefs lists the rules in force that name an acknowledgement template.
func (a *Admin) TemplateRefs() []ticket.TemplateRef { return a.rules.Load().TemplateRefs() }
