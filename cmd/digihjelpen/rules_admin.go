package main

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/routing"
	"github.com/ks-no/digihjelpen/ticket"
)

// maxReplayChanges is how many changed tickets a dry-run lists; the totals count them all.
const maxReplayChanges = 200

// rulesAdmin is the routing rules as administrators manage them: the active set (behind the
// live router), saved versions, checks and dry-runs. The admin pages (web.RulesAdmin) and the
// rules command use it; it is here because it joins routing and storage, which only cmd knows.
type rulesAdmin struct {
	env     routing.Env
	sets    *data.RuleSetService
	tickets *data.TicketService
	router  *liveRouter
	file    string
	// parseMail reads a pasted or uploaded .eml for a dry-run (parseEML until intake's parser
	// is wired here).
	parseMail func(raw []byte) (*ticket.Ticket, *ticket.Message, error)

	mu     sync.Mutex // one save or restore at a time, so versions and the router agree
	active ticket.ActiveRules
}

// openRules loads the active rules and puts them behind a.router.
func (a *app) openRules() error {
	r := &rulesAdmin{
		env:  routing.Env{Agencies: a.agencies, Places: a.places},
		sets: data.NewRuleSetService(a.db), tickets: a.tickets, router: &liveRouter{},
		file: a.cfg.Routing.RulesFile, parseMail: parseEML,
	}
	rs, active, err := loadActiveRules(context.Background(), r.env, r.sets, r.file)
	if err != nil {
		return err
	}
	r.router.rules.Store(rs)
	r.active = active
	a.rules, a.router = r, r.router
	return nil
}

// ActiveRules returns the rule set in force and where it comes from.
func (r *rulesAdmin) ActiveRules(context.Context) (ticket.ActiveRules, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.active, nil
}

// DefaultRulesText returns the rules built into the program, to start from or go back to.
func (r *rulesAdmin) DefaultRulesText() string { return string(routing.DefaultRulesText) }

// RuleSets lists the saved versions, newest first.
func (r *rulesAdmin) RuleSets(ctx context.Context) ([]*ticket.RuleSet, error) {
	return r.sets.FindRuleSets(ctx)
}

// RuleSet returns one saved version with its text.
func (r *rulesAdmin) RuleSet(ctx context.Context, version int) (*ticket.RuleSet, error) {
	return r.sets.FindRuleSet(ctx, version)
}

// CheckRules compiles text; the error is ticket.RuleErrors with every mistake and its line.
func (r *rulesAdmin) CheckRules(text string) error {
	_, err := routing.Compile([]byte(text), r.env)
	return err
}

// TryRules replays text over the tickets created since (zero: all) and reports what would
// change. Nothing is saved.
func (r *rulesAdmin) TryRules(ctx context.Context, text string, since time.Time) (*ticket.RuleReplay, error) {
	rs, err := routing.Compile([]byte(text), r.env)
	if err != nil {
		return nil, err
	}
	rp := routing.NewReplay(rs, since, maxReplayChanges)
	err = r.tickets.ForEachTicket(ctx, since, func(t *ticket.Ticket, first *ticket.Message) error {
		rp.Add(t, first)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return rp.Result(), nil
}

// TryRulesOnMail routes one mail that is not stored with text and with the active rules.
func (r *rulesAdmin) TryRulesOnMail(_ context.Context, text string, raw []byte) (*ticket.RuleTrial, error) {
	rs, err := routing.Compile([]byte(text), r.env)
	if err != nil {
		return nil, err
	}
	t, m, err := r.parseMail(raw)
	if err != nil {
		return nil, err
	}
	return &ticket.RuleTrial{From: m.From, Subject: t.Subject, Active: r.router.Route(t, m), Candidate: rs.Route(t, m)}, nil
}

// SaveRules checks text, stores it as the next version and makes it active at once.
func (r *rulesAdmin) SaveRules(ctx context.Context, text, note string) (*ticket.RuleSet, error) {
	return r.save(ctx, &ticket.RuleSet{Text: text, Note: strings.TrimSpace(note)})
}

// RestoreRules makes an earlier version active again, as a new version that copies it, so
// the history shows the restore.
func (r *rulesAdmin) RestoreRules(ctx context.Context, version int, note string) (*ticket.RuleSet, error) {
	old, err := r.sets.FindRuleSet(ctx, version)
	if err != nil {
		return nil, err
	}
	return r.save(ctx, &ticket.RuleSet{Text: old.Text, Note: strings.TrimSpace(note), RestoredFrom: version})
}

func (r *rulesAdmin) save(ctx context.Context, set *ticket.RuleSet) (*ticket.RuleSet, error) {
	rs, err := routing.Compile([]byte(set.Text), r.env)
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.sets.SaveRuleSet(ctx, set); err != nil {
		return nil, err
	}
	r.router.rules.Store(rs)
	r.active = ticket.ActiveRules{Text: set.Text, Version: set.Version, File: r.file, Source: savedSource(set)}
	return set, nil
}
