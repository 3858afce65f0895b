package routing

import (
	"fmt"
	"strings"

	"github.com/ks-no/digihjelpen/ticket"
)

// The rules and the model together. The rules know how firmly they chose: a service only one
// agency has, asked about in the question itself when nothing in it points to another agency,
// or a rule staff force with stop = true, is firm; a topic word, a name, a service mentioned in
// passing or in a question that points to another agency too, words only in a reply's quoted
// history, the form's topic alone, or no rule at all is not. Where the rules were weak, the
// model, which learns from the agencies staff chose, may take the agency when it is at least the
// threshold sure; a firm rule always wins over it.
// Admin.Route, the dry-run's comparison with staff and the held-out figures all go through
// decide and overrules, so what the admin page measures is what routing does.

// grip is how firmly the rules chose a ticket's agency: the evidence of the winning rule and
// where its words stand (evidence.go, focus.go), weakest first.
type grip uint8

const (
	gripNone             grip = iota // no rule chose an agency: the ticket goes to KS by rule standard
	gripHistory                      // words only in a reply's quoted history
	gripCondition                    // no words: the sender, the place or the form's topic alone
	gripTopicText                    // a topic word outside the question
	gripNamedText                    // the agency named in passing, outside the question
	gripTopicQuestion                // a topic word in the question
	gripNamedQuestion                // the agency named in the question
	gripServiceText                  // a service only this agency has, outside the question
	gripServiceContested             // a service in the question, and another agency's words in it or its service in the new text
	gripService                      // a service only this agency has, in the question, and nothing of another's
	gripForced                       // a rule with stop = true set the agency: staff force it so
)

// firmFrom is the weakest grip that stands against the model. Chosen by cross-validation on
// the tuning questions (TestCombinationGrid, docs/ROUTING.md «A service gives way when it is not
// what is asked»): a service only one agency has, asked about in a question that points to no
// other agency, and a rule with stop stand; a service outside the question or in a question
// that points to another agency too («webinar om skattemeldinga», «skattekort og sykepenger»),
// the agency's name (even in the question), a topic word, the quoted history and the form's
// topic give way to a model that is at least the threshold sure. Writers mention a service in
// passing when they ask about the guidance service, a course or a grant; letting the model weigh
// in there routes as many right as letting it overrule every service, while a question only
// about the meldekort still goes to NAV whatever the model says.
var firmFrom = gripService

// verdict is what the rules found for a ticket: the rules that matched, in list order, the one
// that won the agency (-1: none) and whether names were set aside (weigh).
type verdict struct {
	matched []match
	win     int
	aside   bool
}

// grip says how firmly the rules chose.
func (v verdict) grip() grip {
	if v.win < 0 {
		return gripNone
	}
	m := v.matched[v.win]
	switch {
	case m.r.stop:
		return gripForced
	case m.at <= placeHistory:
		return gripHistory
	case !m.byWords:
		return gripCondition
	case m.r.evidence == evidenceService && m.at != placeQuestion:
		return gripServiceText
	case m.r.evidence == evidenceService && v.contested():
		return gripServiceContested
	case m.r.evidence == evidenceService:
		return gripService
	case m.r.evidence == evidenceNamed && m.at == placeQuestion:
		return gripNamedQuestion
	case m.at == placeQuestion:
		return gripTopicQuestion
	case m.r.evidence == evidenceNamed:
		return gripNamedText
	}
	return gripTopicText
}

// contested reports whether the new text points to another agency as well: a rule on another
// agency's service matched it anywhere, or any rule of another agency matched words in the
// question itself.
func (v verdict) contested() bool {
	w := v.matched[v.win]
	for _, m := range v.matched {
		if m.r.agency == "" || m.r.agency == w.r.agency || m.at <= placeHistory {
			continue
		}
		if m.r.evidence == evidenceService || m.byWords && m.at == placeQuestion {
			return true
		}
	}
	return false
}

// basis says in Norwegian what a rule chose on, for a grip the model may overrule.
func (g grip) basis() string {
	switch g {
	case gripHistory:
		return "bare på ord i sitert tekst fra tidligere i tråden"
	case gripCondition:
		return "uten ord fra saken, bare på avsender, sted eller temaet valgt i skjemaet"
	case gripTopicText:
		return "på et temaord utenfor selve spørsmålet"
	case gripNamedText:
		return "på etatens navn, nevnt i forbifarten og ikke i selve spørsmålet"
	case gripTopicQuestion:
		return "på et temaord"
	case gripNamedQuestion:
		return "på etatens navn"
	case gripServiceText:
		return "på en tjeneste bare den etaten har, men nevnt utenfor selve spørsmålet"
	case gripServiceContested:
		return "på en tjeneste bare den etaten har, men saken peker også mot en annen etat"
	}
	return "på en tjeneste bare den etaten har"
}

// unroutedThreshold is the confidence from which the model may take a ticket the rules chose
// on no more than unroutedUpTo (gripNone: no rule, the fallback to KS), when it is lower than
// routing.learn_threshold; 1 (as now): the same threshold as for overruling a rule. A lower one
// was measured and not adopted (TestUnroutedThresholdGrid, docs/ROUTING.md): from 0.95 where no
// rule chose, leaving one seed file out routes 1,310 of 1,379 right against 1,306, ten-fold
// 1,310 against 1,309, too little to take from routing.learn_threshold the tickets no rule chose.
var (
	unroutedThreshold = 1.0
	unroutedUpTo      = gripNone
)

// thresholdFor is the confidence the model needs to overrule rules that chose with grip g, when
// threshold is the one for overruling a rule.
func thresholdFor(g grip, threshold float64) float64 {
	if g <= unroutedUpTo {
		return min(threshold, unroutedThreshold)
	}
	return threshold
}

// overrules reports whether the model, confidence sure, takes the agency from rules that chose
// with grip g. It is the one rule of the combination.
func overrules(g grip, confidence, threshold float64) bool {
	return g < firmFrom && confidence >= thresholdFor(g, threshold)
}

// combined is a decision of the rules and the model together.
type combined struct {
	d     ticket.Decision // what the ticket gets
	rules ticket.Decision // what the rules alone decided
	grip  grip
	// s is the model's suggestion, asked only where the rules were weak (suggested false
	// otherwise, or when the model knows none of the words).
	s         ticket.Suggestion
	suggested bool
	basis     string // "Regelen «…» valgte … på …": what the model may overrule ("" for no rule)
}

// decide routes with the rules and, where they were weak, lets the model (nil: none) take the
// agency when it is at least threshold sure (where no rule chose: thresholdFor). With no rule, the model routes even to KS (rule
// modell, so staff see it decided); with a weak rule it changes the decision only when it
// disagrees.
func (rs *RuleSet) decide(t *ticket.Ticket, first *ticket.Message, m *Model, threshold float64) combined {
	d, in, v := rs.route(t, first)
	c := combined{d: d, rules: d, grip: v.grip()}
	if c.grip >= firmFrom {
		return c
	}
	if c.grip != gripNone {
		w := v.matched[v.win]
		c.basis = fmt.Sprintf("Regelen «%s» valgte %s %s (%s)", w.r.name, rs.agencies.Name(w.r.agency), c.grip.basis(), w.why)
	}
	if m == nil {
		return c
	}
	c.s, c.suggested = m.suggest(in.subject, in.body)
	if !c.suggested || !overrules(c.grip, c.s.Confidence, threshold) || c.grip != gripNone && c.s.Agency == d.Agency {
		return c
	}
	c.d = rs.assemble(in, v.matched, -1, false) // the losing rule's tags and template go with its agency
	rs.applyModel(&c.d, c.s, thresholdFor(c.grip, threshold), c.basis)
	return c
}

// applyModel routes d where the model suggests, and says why in the routing explanation:
// basis is the weak rule it overruled ("" when no rule chose).
func (rs *RuleSet) applyModel(d *ticket.Decision, s ticket.Suggestion, threshold float64, basis string) {
	d.Agency = s.Agency
	if d.Template == "" && s.Agency != ticket.AgencyKS {
		d.Template = ticket.ReferAckTemplateName
	}
	var reason string
	if basis == "" {
		reason = fmt.Sprintf("ingen regel valgte etat, så modellen som lærer av saksbehandlernes valg, avgjorde: den er %s sikker på %s (terskelen er %s)",
			percent(s.Confidence), rs.agencies.Name(s.Agency), percent(threshold))
	} else {
		reason = fmt.Sprintf("r%s; modellen som lærer av saksbehandlernes valg, er %s sikker på %s (terskelen er %s), og da veier den tyngre enn en regel som valgte på så svakt grunnlag",
			strings.TrimPrefix(basis, "R"), percent(s.Confidence), rs.agencies.Name(s.Agency), percent(threshold))
	}
	if len(s.Words) > 0 {
		reason += "; ordene som veide mest: «" + strings.Join(s.Words, "», «") + "»"
	}
	if _, also, ok := strings.Cut(d.Routing.Reason, ". Dessuten "); ok {
		reason += ". Dessuten " + also
	}
	if len(reason) > maxReason {
		reason = explain(ticket.Decision{Agency: s.Agency}, reason, nil)
	}
	d.Routing = ticket.Routing{Rule: ticket.RuleModel, Reason: reason}
}

func percent(x float64) string { return fmt.Sprintf("%.0f %%", 100*x) }
