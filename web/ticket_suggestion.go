package web

import (
	"fmt"
	"strings"

	"github.com/ks-no/digihjelpen/ticket"
)

// suggestionView is the routing model's «Forslag» on the ticket page (_suggestion.html): the
// agency it finds likeliest for a ticket no rule routed, how sure it is, the words that weighed
// most, and a button that moves the ticket there (the ordinary «Flytt til etat» form, so the
// move is staff's choice and teaches the model).
type suggestionView struct {
	Agency, AgencyName string
	Percent            int
	Words              string // «meldekort», «sendt»
	// Moved is true when the model already routed the ticket (routing.learn = "route").
	Moved bool
	// RuleBasis names the rule that chose the agency on weak evidence ("" when none chose).
	RuleBasis string
	// Same is true when the model agrees with the agency the ticket has.
	Same bool
	// Reason is the begrunnelse the button sends with the move.
	Reason string
}

// suggestion returns the «Forslag» for t, or nil when there is none to show.
func (s *Server) suggestion(t *ticket.Ticket, msgs []*ticket.Message) *suggestionView {
	if s.Learning == nil || len(msgs) == 0 || t.Merged() {
		return nil
	}
	sg, ok := s.Learning.Suggest(t, msgs[0])
	if !ok {
		return nil
	}
	v := &suggestionView{Agency: sg.Agency, AgencyName: s.Agencies.Name(sg.Agency), Percent: int(100*sg.Confidence + 0.5),
		Moved: t.Routing.Rule == ticket.RuleModel, Same: sg.Agency == t.Agency, RuleBasis: sg.RuleBasis}
	if len(sg.Words) > 0 {
		v.Words = "«" + strings.Join(sg.Words, "», «") + "»"
	}
	v.Reason = fmt.Sprintf("Forslag fra modellen (%d %% sikker)", v.Percent)
	if v.Words != "" {
		v.Reason += ": " + v.Words
	}
	return v
}
