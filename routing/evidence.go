package routing

import (
	"fmt"
	"strings"
)

// evidence is how much a matching rule says about which agency a question belongs to. A
// question about a service only one agency has ("meldekort", "skattekort", "prosjektmidler for
// bibliotek") is that agency's whatever else it mentions; one that names an agency ("NAV",
// "Skatteetaten") is about it more likely than about a topic word of another agency (a course,
// material, a grant).
type evidence uint8

const (
	evidenceTopic   evidence = iota // the default: a word or condition of the agency's area
	evidenceNamed                   // the question names the agency
	evidenceService                 // the question names a service only this agency has
)

func parseEvidence(s string) (evidence, bool) {
	switch s {
	case "topic":
		return evidenceTopic, true
	case "named":
		return evidenceNamed, true
	case "service":
		return evidenceService, true
	}
	return evidenceTopic, false
}

// strength ranks a matched rule by its evidence and where its words stand (focus.go), strongest
// highest:
//
//	a service only one agency has, in the question (subject or a sentence that asks)  10
//	a service only one agency has, elsewhere in the new text                           9
//	the agency's name, in the question                                                 8
//	a topic word, in the question                                                      7
//	the agency's name, elsewhere in the new text                                       6
//	a topic word, elsewhere in the new text                                            5
//	anything only in a reply's quoted history: service 3, name 2, topic 1
//
// A service decides wherever the question names it. An agency's name mentioned in passing ("vi
// får spørsmål om alt fra NAV til bank", "det har vært etterspurt av NAV") does not outweigh a
// topic word in what is asked; in the question it does. What a thread was about before counts
// only when the new text says nothing.
func strength(e evidence, at place) int {
	switch {
	case at <= placeHistory:
		return 1 + int(e)
	case e == evidenceService:
		return 8 + int(at-placeText)
	case e == evidenceNamed && at == placeQuestion:
		return 8
	case e == evidenceNamed:
		return 6
	case at == placeQuestion:
		return 7
	}
	return 5
}

// match is a rule that matched a ticket, with why and where.
type match struct {
	r   *rule
	why string
	at  place // the weakest place its conditions hold in (see rule.matches)
	// byWords is false when the rule matched by no words: the sender, the place, the form.
	byWords bool
}

func (m match) strength() int { return strength(m.r.evidence, m.at) }

// weigh picks, among the matched rules (in rule order), the one whose agency the ticket gets:
// the strongest (see strength), and among equally strong the first in the list, so order is
// still priority. It returns -1 when no matched rule sets an agency. A rule with stop = true
// ended the search where it matched, so it competes only with the rules before it.
//
// When the most prominent agency name in the new text is shared by two agencies («kurs om nav.no
// og skatteetaten.no», «vi får spørsmål om NAV, Skatteetaten og HK-dir»), the question is about
// public services in general rather than about either, and every name is set aside (aside is
// true): the services and topic words decide, and with none of them the ticket stays at KS.
func weigh(matched []match) (win int, aside bool) {
	aside = namesTie(matched)
	win = -1
	for i, m := range matched {
		if m.r.agency == "" || aside && m.setAside() {
			continue
		}
		if win < 0 || m.strength() > matched[win].strength() {
			win = i
		}
	}
	return win, aside
}

// setAside reports whether m is a name that namesTie sets aside.
func (m match) setAside() bool { return m.r.evidence == evidenceNamed && m.at > placeHistory }

// namesTie reports whether two agencies share the strongest name evidence in the new text.
func namesTie(matched []match) bool {
	top, agency, tie := 0, "", false
	for _, m := range matched {
		if m.r.agency == "" || !m.setAside() {
			continue
		}
		switch s := m.strength(); {
		case s > top:
			top, agency, tie = s, m.r.agency, false
		case s == top && m.r.agency != agency:
			tie = true
		}
	}
	return tie
}

// contest says, in the words of the routing explanation, which matched rules wanted another
// agency and why the winner counted more. It is "" when no rule disagreed.
func (rs *RuleSet) contest(matched []match, win int, aside bool) string {
	w := matched[win]
	name := rs.agencies.Name(w.r.agency)
	var groups [5][]string // by the reason the winner won: see below
	for i, m := range matched {
		if i == win || m.r.agency == "" || m.r.agency == w.r.agency {
			continue
		}
		what := fmt.Sprintf("«%s» (%s, %s)", m.r.name, m.why, rs.agencies.Name(m.r.agency))
		switch {
		case aside && m.setAside():
			groups[4] = append(groups[4], what)
		case m.at == placeHistory && w.at > placeHistory:
			groups[0] = append(groups[0], what)
		case m.strength() == w.strength():
			groups[3] = append(groups[3], what)
		case w.r.evidence > m.r.evidence:
			groups[1] = append(groups[1], what)
		default:
			groups[2] = append(groups[2], what)
		}
	}
	var parts []string
	if g := groups[1]; len(g) > 0 {
		why := fmt.Sprintf("spørsmålet nevner %s ved navn, og det går foran et temaord for en annen etat", name)
		if w.r.evidence == evidenceService {
			why = fmt.Sprintf("spørsmålet gjelder en tjeneste bare %s har, og det går foran det en annen etat nevnes for", name)
		}
		parts = append(parts, fmt.Sprintf("Veide tyngre enn %s: %s", strings.Join(g, " og "), why))
	}
	if g := groups[2]; len(g) > 0 {
		parts = append(parts, fmt.Sprintf("Veide tyngre enn %s: ordene står i selve spørsmålet (emnet eller en setning som spør), de andre bare ellers i teksten",
			strings.Join(g, " og ")))
	}
	if g := groups[0]; len(g) > 0 {
		parts = append(parts, fmt.Sprintf("Veide tyngre enn %s: det står bare i sitert tekst fra tidligere i tråden", strings.Join(g, " og ")))
	}
	if g := groups[4]; len(g) > 0 {
		parts = append(parts, namesAsideReason(g))
	}
	if g := groups[3]; len(g) > 0 {
		parts = append(parts, fmt.Sprintf("%s passet også og veier like tungt; regelen som står først, vinner", strings.Join(g, " og ")))
	}
	return strings.Join(parts, ". ")
}

// namesAsideReason says which names were set aside because several agencies were named as
// clearly (see weigh).
func namesAsideReason(names []string) string {
	return fmt.Sprintf("Satt til side: %s; spørsmålet nevner flere etater like tydelig, så navnene avgjør ikke",
		strings.Join(names, " og "))
}

// namesAside is the explanation when the names set aside were all that matched: no rule chose
// an agency, and the staff reading the ticket should see why the names did not.
func (rs *RuleSet) namesAside(matched []match) string {
	var names []string
	for _, m := range matched {
		if m.r.agency != "" && m.setAside() {
			names = append(names, fmt.Sprintf("«%s» (%s, %s)", m.r.name, m.why, rs.agencies.Name(m.r.agency)))
		}
	}
	return namesAsideReason(names)
}
