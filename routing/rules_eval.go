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

// Route decides where a new ticket belongs. Rules are tried in order. Every rule that matches
// contributes its actions, but the first one to set the agency (or the priority, assignee or
// template) wins it, so order is priority; tags add up. A rule with stop = true ends the
// search. A ticket no rule gives an agency goes to KS. The decision says which rule chose the
// agency and which words or conditions made it match.
func (rs *RuleSet) Route(t *ticket.Ticket, first *ticket.Message) ticket.Decision {
	scratch := make(hits, 2*len(rs.lex.terms))
	in := rs.newInput(t, first, scratch)
	d := ticket.Decision{Municipality: in.place.Municipality, County: in.place.County}
	var chosen string // why the agency rule matched
	var also []string // other rules that contributed
	for _, r := range rs.rules {
		why, ok := r.matches(rs, in)
		if !ok {
			continue
		}
		did := r.apply(&d)
		if d.Routing.Rule == "" && r.agency != "" {
			d.Routing.Rule, chosen = r.name, why
		} else if did != "" || r.stop {
			if r.stop && did == "" {
				did = "ingen flere regler prøves"
			}
			also = append(also, fmt.Sprintf("«%s» (%s): %s", r.name, why, did))
		}
		if r.stop {
			break
		}
	}
	d.Routing.Reason = explain(d, chosen, also)
	if d.Agency == "" {
		d.Agency, d.Routing.Rule = ticket.AgencyKS, RuleDefault
	}
	return d
}

// matches evaluates r's conditions and returns what made it match.
func (r *rule) matches(rs *RuleSet, in *input) (string, bool) {
	var why []string
	for i := range r.conds {
		reason, ok := r.conds[i].eval(rs, in)
		if ok {
			why = append(why, reason)
			if r.any {
				break
			}
		} else if !r.any {
			return "", false
		}
	}
	if r.any && len(why) == 0 && len(r.conds) > 0 {
		return "", false
	}
	for i := range r.nots {
		if _, ok := r.nots[i].eval(rs, in); ok {
			return "", false
		}
	}
	if len(why) == 0 {
		return "gjelder alle saker", true
	}
	return strings.Join(why, "; "), true
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
