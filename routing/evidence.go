package routing

import (
	"fmt"
	"strings"
)

// evidence is how much a matching rule says about which agency a question belongs to. A
// question that names an agency ("NAV", "nav.no", "skattemeldingen", "Nasjonalbiblioteket")
// is about that agency's service even when it also has a word another rule listens for (a
// course, material, a grant): the name outranks the topic word.
type evidence uint8

const (
	evidenceTopic evidence = iota // the default: a word or condition of the agency's area
	evidenceNamed                 // the question names the agency or a service only it has
)

func parseEvidence(s string) (evidence, bool) {
	switch s {
	case "topic":
		return evidenceTopic, true
	case "named":
		return evidenceNamed, true
	}
	return evidenceTopic, false
}

// match is a rule that matched a ticket, with why.
type match struct {
	r   *rule
	why string
}

// weigh picks, among the matched rules (in rule order), the one whose agency the ticket gets:
// the strongest evidence, and among equally strong the first in the list, so order is still
// priority. It returns -1 when no matched rule sets an agency. A rule with stop = true ended
// the search where it matched, so it competes only with the rules before it.
func weigh(matched []match) int {
	win := -1
	for i, m := range matched {
		if m.r.agency == "" {
			continue
		}
		if win < 0 || m.r.evidence > matched[win].r.evidence {
			win = i
		}
	}
	return win
}

// contest says, in the words of the routing explanation, which matched rules wanted another
// agency and why the winner's evidence counted more. It is "" when no rule disagreed.
func (rs *RuleSet) contest(matched []match, win int) string {
	w := matched[win].r
	var outweighed, later []string
	for i, m := range matched {
		if i == win || m.r.agency == "" || m.r.agency == w.agency {
			continue
		}
		what := fmt.Sprintf("«%s» (%s, %s)", m.r.name, m.why, rs.agencies.Name(m.r.agency))
		if m.r.evidence < w.evidence {
			outweighed = append(outweighed, what)
		} else {
			later = append(later, what)
		}
	}
	var parts []string
	if len(outweighed) > 0 {
		parts = append(parts, fmt.Sprintf("Veide tyngre enn %s: spørsmålet nevner %s ved navn, og det går foran et temaord for en annen etat",
			strings.Join(outweighed, " og "), rs.agencies.Name(w.agency)))
	}
	if len(later) > 0 {
		parts = append(parts, fmt.Sprintf("%s passet også og veier like tungt; regelen som står først, vinner", strings.Join(later, " og ")))
	}
	return strings.Join(parts, ". ")
}
