package routing

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ks-no/digihjelpen/ticket"
)

// RuleDefault is the rule name kept on a ticket that no rule sent anywhere.
const RuleDefault = "standard"

var _ ticket.Router = (*RuleSet)(nil)

// Route decides where a new ticket belongs. Rules are tried in order until one with
// stop = true matches. Among the matching rules that set an agency, the one with the strongest
// evidence wins it (a rule with evidence = "named" outranks a topic word), and among equally
// strong ones the first; a rule that loses the agency contributes nothing else either, since
// its tags and template go with its agency. The other matching rules contribute their actions
// in rule order: the first to set the priority (or assignee or template) wins it, and tags
// add up. A ticket no rule gives an agency goes to KS. The decision says which rule chose the
// agency, which words or conditions made it match and, when rules disagreed, which evidence
// won and why.
func (rs *RuleSet) Route(t *ticket.Ticket, first *ticket.Message) ticket.Decision {
	d, _, _ := rs.route(t, first)
	return d
}

// route is Route that also returns the ticket as the rules read it, so the model can read the
// same text without cutting the signatures again, and how firmly the rules chose the agency
// (the verdict the model may overrule: combine.go).
func (rs *RuleSet) route(t *ticket.Ticket, first *ticket.Message) (ticket.Decision, *input, verdict) {
	sc := rs.getScratch()
	defer rs.putScratch(sc)
	in := rs.newInput(t, first, sc)
	var matched []match
	for _, r := range rs.rules {
		why, at, ok := r.matches(rs, in)
		if !ok {
			continue
		}
		m := match{r: r, why: why, at: at, byWords: at != placeAnywhere}
		if !m.byWords {
			// A rule that matched by no words (the sender, the place, the form's topic, or no
			// condition at all) counts as words elsewhere in the text: as much as a topic word
			// outside the question, so the form's topic decides only when the words do not.
			m.at = placeText
		}
		matched = append(matched, m)
		if r.stop {
			break
		}
	}
	win, aside := weigh(matched)
	v := verdict{matched: matched, win: win, aside: aside}
	d := rs.assemble(in, matched, win, aside)
	in.subjectHits, in.bodyHits, in.bodyAt = nil, nil, nil // the scratch goes back to the pool
	return d, in, v
}

// assemble makes the decision from the matched rules: the agency (and the actions) of the rule
// at win (none when win < 0), and the actions of the rules without an agency, in list order.
func (rs *RuleSet) assemble(in *input, matched []match, win int, aside bool) ticket.Decision {
	d := ticket.Decision{Municipality: in.place.Municipality, County: in.place.County}
	var chosen string // why the agency rule matched
	var also []string // other rules that contributed
	for i, m := range matched {
		if m.r.agency != "" && i != win {
			continue
		}
		did := m.r.apply(&d)
		switch {
		case i == win:
			d.Routing.Rule, chosen = m.r.name, m.why
			if c := rs.contest(matched, win, aside); c != "" {
				chosen += ". " + c
			}
		case did != "" || m.r.stop:
			if m.r.stop && did == "" {
				did = "ingen flere regler prøves"
			}
			also = append(also, fmt.Sprintf("«%s» (%s): %s", m.r.name, m.why, did))
		}
	}
	if win < 0 && aside {
		chosen = rs.namesAside(matched)
	}
	d.Routing.Reason = explain(d, chosen, also)
	if d.Agency == "" {
		d.Agency, d.Routing.Rule = ticket.AgencyKS, RuleDefault
	}
	return d
}

// matches evaluates r's conditions and returns what made it match and where: with match = "all",
// the weakest place one of its conditions on words holds in (a rule is as much about the question
// as its least part); with "any", the strongest of those that hold. A rule that matched by no
// words (the sender, the place, the form's topic, or no condition at all) counts as words
// elsewhere in the text: as much as a topic word outside the question, so the form's topic
// decides only when the words do not. route makes that place of it; matches reports
// placeAnywhere, so route knows the rule matched by no words.
func (r *rule) matches(rs *RuleSet, in *input) (string, place, bool) {
	var why []string
	at := placeAnywhere
	if r.any {
		at = placeNone
	}
	for i := range r.conds {
		reason, p, ok := r.conds[i].eval(rs, in)
		switch {
		case ok && r.any:
			if len(why) == 0 || p != placeAnywhere && (at == placeAnywhere || p > at) {
				at, why = p, []string{reason} // the strongest condition that holds is the reason
			}
		case ok:
			at = min(at, p)
			why = append(why, reason)
		case !r.any:
			return "", placeNone, false
		}
	}
	if r.any && len(why) == 0 && len(r.conds) > 0 {
		return "", placeNone, false
	}
	for i := range r.nots {
		if _, _, ok := r.nots[i].eval(rs, in); ok {
			return "", placeNone, false
		}
	}
	if len(why) == 0 {
		return "gjelder alle saker", placeAnywhere, true
	}
	return strings.Join(why, "; "), at, true
}

// apply puts r's actions on d where no earlier rule set them, and says what it changed.
func (r *rule) apply(d *ticket.Decision) string {
	var did []string
	if r.agency != "" && d.Agency == "" {
		d.Agency = r.agency
	}
	if r.priority != "" && d.Priority == "" {
		d.Priority = r.priority
		did = append(did, "prioritet "+string(r.priority))
	}
	if r.assignee != "" && d.Assignee == "" {
		d.Assignee = r.assignee
		did = append(did, "tildelt "+r.assignee)
	}
	if r.template != "" && d.Template == "" {
		d.Template = r.template
		did = append(did, "kvitteringsmal "+r.template)
	}
	for _, tag := range r.tags {
		if !slices.Contains(d.Tags, tag) {
			d.Tags = append(d.Tags, tag)
			did = append(did, "merkelapp "+tag)
		}
	}
	return strings.Join(did, ", ")
}

// maxReason keeps the explanation readable on the ticket page and in the audit trail.
const maxReason = 600

func explain(d ticket.Decision, chosen string, also []string) string {
	var b strings.Builder
	switch {
	case d.Agency == "" && chosen != "": // names were set aside (see weigh)
		b.WriteString("ingen regel valgte etat; saken går til KS. " + chosen)
	case d.Agency == "":
		b.WriteString("ingen regel valgte etat; saken går til KS")
	default:
		b.WriteString(chosen)
	}
	if len(also) > 0 {
		b.WriteString(". Dessuten ")
		b.WriteString(strings.Join(also, "; "))
	}
	s := b.String()
	if len(s) > maxReason {
		cut := maxReason
		for cut > 0 && (s[cut]&0xC0) == 0x80 {
			cut--
		}
		s = s[:cut] + " …"
	}
	return s
}
