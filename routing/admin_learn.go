package routing

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/ks-no/digihjelpen/ticket"
)

// Learning from staff: Admin trains the routing model in the background (Retrain) on the
// tickets staff moved or resolved, and uses the last trained model, swapped in whole, for
// «Forslag» on the ticket page and, in mode "route", for tickets the rules did not route with
// confidence (combine.go). A decision never waits for training, and a firm rule always wins
// over the model.

// DefaultThreshold is the model's confidence from which it routes a ticket the rules did not
// route with confidence (routing.learn_threshold). Naive Bayes is overconfident; by
// cross-validation on the tuning questions, 0.99 made the fewest wrong moves and the most right
// routes together with the rules (TestCombinationGrid, docs/ROUTING.md).
const DefaultThreshold = 0.99

// MinModelLabels is how many labels (staff's and the seed's) the model needs before it is shown
// or used: below that its suggestions are mostly the most frequent agency.
const MinModelLabels = 50

// learning is Admin's model and what the last training left.
type learning struct {
	model   atomic.Pointer[Model]
	mu      sync.Mutex // one training at a time; Retrain holds it
	version uint64     // the labels' version the model was trained on
	rules   *RuleSet   // the rules the model's figures were measured with
	err     atomic.Pointer[string]
}

func (a *Admin) mode() ticket.LearnMode {
	if a.Learn == "" {
		return ticket.LearnOff
	}
	return a.Learn
}

func (a *Admin) threshold() float64 {
	if a.Threshold <= 0 {
		return DefaultThreshold
	}
	return a.Threshold
}

// readyModel returns the model when it may be shown or used: learning is on, and it was
// trained on enough labels of at least two agencies.
func (a *Admin) readyModel() *Model {
	m := a.learning.model.Load()
	if a.mode() == ticket.LearnOff || m == nil || m.status.Labels+m.status.Seed < MinModelLabels || len(m.nb.Classes()) < 2 {
		return nil
	}
	return m
}

// Route decides with the active rules; in mode "route", a ticket the rules did not route with
// confidence goes where the model is at least Threshold sure it belongs (combine.go).
func (a *Admin) Route(t *ticket.Ticket, first *ticket.Message) ticket.Decision {
	rs := a.rules.Load()
	if a.mode() != ticket.LearnRoute {
		return rs.Route(t, first)
	}
	return rs.decide(t, first, a.readyModel(), a.threshold()).d
}

// Suggest returns the model's «Forslag» for an active ticket the rules did not route with
// confidence: no rule chose (rule standard), the model routed it, or the active rules still
// choose its rule on weak evidence (a topic word, a name in passing, …) and the model
// disagrees. Other tickets, mode "off" and a model not yet ready give false.
func (a *Admin) Suggest(t *ticket.Ticket, first *ticket.Message) (ticket.Suggestion, bool) {
	m := a.readyModel()
	if m == nil || !t.Status.Active() || t.MovedByStaff() {
		return ticket.Suggestion{}, false
	}
	if t.Routing.Rule == RuleDefault || t.Routing.Rule == ticket.RuleModel {
		s, ok := m.Suggest(t, first)
		s.Routes = ok && a.mode() == ticket.LearnRoute && s.Confidence >= a.threshold()
		return s, ok
	}
	c := a.rules.Load().decide(t, first, m, a.threshold())
	if c.rules.Routing.Rule != t.Routing.Rule || c.grip >= firmFrom || !c.suggested || c.s.Agency == t.Agency {
		return ticket.Suggestion{}, false
	}
	s := c.s
	s.RuleBasis = c.basis
	s.Routes = a.mode() == ticket.LearnRoute && overrules(c.grip, s.Confidence, a.threshold())
	return s, true
}

// ModelStatus is the model as the admin page shows it.
func (a *Admin) ModelStatus() ticket.ModelStatus {
	var st ticket.ModelStatus
	if m := a.learning.model.Load(); m != nil {
		st = m.Status()
	}
	st.Mode, st.Threshold, st.MinLabels = a.mode(), a.threshold(), MinModelLabels
	st.Ready = a.readyModel() != nil
	if e := a.learning.err.Load(); e != nil {
		st.Err = *e
	}
	return st
}

// Retrain trains a new model when the labels or the active rules changed since the last
// training, and swaps it in; it reports whether it trained. Decisions go on meanwhile with the
// model they have. The background learner calls it; it does nothing in mode "off".
func (a *Admin) Retrain(ctx context.Context) (bool, error) {
	if a.mode() == ticket.LearnOff || a.Labels == nil {
		return false, nil
	}
	l := &a.learning
	l.mu.Lock()
	defer l.mu.Unlock()
	version, err := a.Labels.RoutingLabelsVersion(ctx)
	if err != nil {
		return false, a.trainFailed(err)
	}
	rs := a.rules.Load()
	if version == l.version && rs == l.rules && (l.model.Load() != nil || version == 0 && !a.Seed) {
		return false, nil
	}
	opt := TrainOptions{Agencies: a.Env.Agencies.Keys(), Rules: rs, Threshold: a.threshold()}
	if a.Seed {
		if opt.Seed, err = SeedExamples(); err != nil {
			return false, a.trainFailed(err)
		}
	}
	each := func(fn func(Example) error) error { return a.examples(ctx, fn) }
	m, err := Train(ctx, each, opt)
	if errors.Is(err, errNoExamples) {
		// Every label is gone (deleted or anonymised): so is what the model learnt from them.
		l.model.Store(nil)
		l.version, l.rules = version, rs
		return false, nil
	}
	if err != nil {
		return false, a.trainFailed(err)
	}
	l.model.Store(m)
	l.version, l.rules = version, rs
	l.err.Store(nil)
	return true, nil
}

// examples reads the labelled tickets for Train.
func (a *Admin) examples(ctx context.Context, fn func(Example) error) error {
	return a.Labels.ForEachRoutingLabel(ctx, func(t *ticket.Ticket, first *ticket.Message) error {
		agency, source, ok := t.RoutingLabel()
		if !ok {
			return nil
		}
		return fn(Example{Ticket: t, First: first, Agency: agency, Moved: source == ticket.LabelMoved})
	})
}

func (a *Admin) trainFailed(err error) error {
	msg := "Modellen kunne ikke trenes sist (årsaken står i loggen). Den forrige modellen brukes til den lykkes."
	a.learning.err.Store(&msg)
	return fmt.Errorf("train routing model: %w", err)
}

var _ ticket.RoutingModel = (*Admin)(nil)
