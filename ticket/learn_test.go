package ticket_test

import (
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

func TestRoutingLabel(t *testing.T) {
	tests := []struct {
		name   string
		t      ticket.Ticket
		agency string
		source ticket.LabelSource
		ok     bool
	}{
		{"new, routed by a rule", ticket.Ticket{Agency: "nav", Status: ticket.StatusNew, Routing: ticket.Routing{Rule: "NAV"}}, "", "", false},
		{"open", ticket.Ticket{Agency: "nav", Status: ticket.StatusOpen}, "", "", false},
		{"referred", ticket.Ticket{Agency: "nav", Status: ticket.StatusReferred}, "", "", false},
		{"moved by staff, still open", ticket.Ticket{Agency: "nav", Status: ticket.StatusOpen, Routing: ticket.Routing{Rule: ticket.RuleManual}}, "nav", ticket.LabelMoved, true},
		{"moved through the API before it said manuell", ticket.Ticket{Agency: "nav", Status: ticket.StatusNew, Routing: ticket.Routing{Rule: "manuelt"}}, "nav", ticket.LabelMoved, true},
		{"moved and resolved", ticket.Ticket{Agency: "ks", Status: ticket.StatusResolved, Routing: ticket.Routing{Rule: ticket.RuleManual}}, "ks", ticket.LabelMoved, true},
		{"resolved where a rule put it", ticket.Ticket{Agency: "skatteetaten", Status: ticket.StatusResolved, Routing: ticket.Routing{Rule: "Skatt"}}, "skatteetaten", ticket.LabelResolved, true},
		{"closed where the model put it", ticket.Ticket{Agency: "nav", Status: ticket.StatusClosed, Routing: ticket.Routing{Rule: ticket.RuleModel}}, "nav", ticket.LabelResolved, true},
		{"merged", ticket.Ticket{Agency: "nav", Status: ticket.StatusClosed, MergedInto: 7}, "", "", false},
		{"anonymised", ticket.Ticket{Agency: "nav", Status: ticket.StatusClosed, AnonymisedAt: time.Now()}, "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			agency, source, ok := tt.t.RoutingLabel()
			if agency != tt.agency || source != tt.source || ok != tt.ok {
				t.Errorf("got %q %q %v, want %q %q %v", agency, source, ok, tt.agency, tt.source, tt.ok)
			}
		})
	}
}

func TestLearnModeValid(t *testing.T) {
	for _, m := range []ticket.LearnMode{ticket.LearnOff, ticket.LearnSuggest, ticket.LearnRoute} {
		if !m.Valid() {
			t.Errorf("%s not valid", m)
		}
	}
	for _, m := range []ticket.LearnMode{"", "on", "Route"} {
		if m.Valid() {
			t.Errorf("%q valid", m)
		}
	}
}
