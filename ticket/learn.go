package ticket

import (
	"context"
	"time"
)

// Learning from staff (issue 15): a routing model learns from the agencies staff chose for
// earlier tickets, suggests an agency for tickets no rule routed, and may route them itself.

// LearnMode is what the routing model may do: the config key routing.learn.
type LearnMode string

// The learn modes.
const (
	LearnOff     LearnMode = "off"     // no model is trained or shown
	LearnSuggest LearnMode = "suggest" // staff see «Forslag» on tickets no rule routed
	LearnRoute   LearnMode = "route"   // the model also routes them, above a confidence threshold
)

// Valid reports whether m is a known mode.
func (m LearnMode) Valid() bool { return m == LearnOff || m == LearnSuggest || m == LearnRoute }

// RuleModel is the rule name kept on a ticket the model routed (routing.learn = "route").
const RuleModel = "modell"

// ruleManualAPI is the rule name the JSON API wrote before it used RuleManual; tickets stored
// then still count as moved by staff.
const ruleManualAPI = "manuelt"

// LabelSource says how staff chose a ticket's agency.
type LabelSource string

// The label sources.
const (
	LabelMoved    LabelSource = "flyttet" // staff moved the ticket to the agency by hand
	LabelResolved LabelSource = "løst"    // staff resolved or closed it where routing put it
)

// RoutingLabel returns the agency staff stand behind for t, and how they showed it: they
// moved the ticket there, or resolved or closed it without moving it. A ticket staff have not
// finished with has no label, nor has a merged ticket (closed by the merge, not by a
// decision) or an anonymised one (its text, which a model learns from, is gone).
func (t *Ticket) RoutingLabel() (string, LabelSource, bool) {
	switch {
	case t.Agency == "" || t.Merged() || !t.AnonymisedAt.IsZero():
		return "", "", false
	case t.MovedByStaff():
		return t.Agency, LabelMoved, true
	case t.Status == StatusResolved || t.Status == StatusClosed:
		return t.Agency, LabelResolved, true
	}
	return "", "", false
}

// MovedByStaff reports whether staff chose the ticket's agency by hand (rule manuell).
func (t *Ticket) MovedByStaff() bool {
	return t.Routing.Rule == RuleManual || t.Routing.Rule == ruleManualAPI
}

// RoutingLabelService gives the routing model its training data: the tickets that have a
// RoutingLabel. data.TicketService implements it with an index kept with the tickets.
type RoutingLabelService interface {
	// RoutingLabelsVersion changes whenever a ticket gains, loses or changes its label, so a
	// learner can tell cheaply whether there is anything new to learn.
	RoutingLabelsVersion(ctx context.Context) (uint64, error)
	// ForEachRoutingLabel calls fn with every labelled ticket and its first message (nil when
	// it has none), oldest ticket first. It reads in short batches, so a long training never
	// holds up a writer; it stops at the first error fn returns, or when ctx is done.
	ForEachRoutingLabel(ctx context.Context, fn func(t *Ticket, first *Message) error) error
}

// Suggestion is the agency the routing model finds likeliest for a ticket.
type Suggestion struct {
	Agency string
	// Confidence is the model's probability for Agency, from 0 to 1.
	Confidence float64
	// Words are the ticket's words that weighed most for Agency, as written in it.
	Words []string
	// Routes is true when the model would route the ticket itself (routing.learn = "route"
	// and Confidence at or above the threshold).
	Routes bool
	// RuleBasis says, in Norwegian, which rule chose the ticket's agency on weak evidence
	// («Regelen «Kurs og opplæringsmateriell» valgte Kompetanse Norge på et temaord (…)»);
	// "" when no rule chose.
	RuleBasis string
}

// AgencyAccuracy is how often rules, model and both chose the agency staff chose, for the
// held-out tickets of one agency.
type AgencyAccuracy struct {
	Agency                    string
	Total, Rules, Model, Both int
}

// ModelStatus is what administrators see of the routing model on /admin/regler.
type ModelStatus struct {
	Mode      LearnMode
	Threshold float64 // the confidence from which the model routes (route mode)
	// Trained is false until the model has been trained once; Ready is false while it has too
	// few labels (MinLabels) or agencies to be shown or used.
	Trained, Ready bool
	MinLabels      int
	TrainedAt      time.Time
	Took           time.Duration
	Labels         int // labelled tickets trained on (staff's)
	// Seed is how many questions of the seed corpus built into the program the model learnt
	// from besides staff's labels (0: none, routing.learn_seed = false).
	Seed  int
	Moved int // of them, tickets staff moved to another agency
	// HeldOut is how many labelled tickets were kept out of training to measure the model;
	// RulesRight, ModelRight and BothRight are how many of them the active rules, the model
	// alone, and the rules with the model where no rule chose, routed to the agency staff
	// chose. The model in use is then trained on every label.
	HeldOut                           int
	RulesRight, ModelRight, BothRight int
	PerAgency                         []AgencyAccuracy
	// Err is the last training's failure, in Norwegian ("" when it went well).
	Err string
}

// RoutingModel is the routing model as staff pages use it; routing.Admin implements it.
type RoutingModel interface {
	// Suggest returns the model's suggestion for a ticket no rule routed with confidence (it
	// went to KS by default, the model routed it, or a rule chose on weak evidence and the
	// model disagrees), and false for every other ticket, in mode "off", or before the model
	// is ready.
	Suggest(t *Ticket, first *Message) (Suggestion, bool)
	ModelStatus() ModelStatus
}
