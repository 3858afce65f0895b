package routing_test

import (
	"errors"
	"testing"

	"github.com/ks-no/digihjelpen/routing"
	"github.com/ks-no/digihjelpen/ticket"
)

// FuzzCompile: any text an admin pastes into /admin/regler is either compiled or refused with
// its mistakes, each with a message, never a panic; a compiled set routes a ticket to an
// agency it knows.
func FuzzCompile(f *testing.F) {
	f.Add(string(routing.DefaultRulesText))
	f.Add("[[rule]]\nname = \"a\"\nwords = [\"skatt*\", \"midler + bibliotek*\"]\nagency = \"nav\"\n")
	f.Add("[[rule]]\nname = \"b\"\nregex = [\"(\"]\nsender = [\"@@\"]\nmunicipality = [\"9999\"]\n")
	f.Add("[[rule]]\nname = \"c\"\nnot_words = [\"*\"]\nmatch = \"any\"\npriority = \"høy\"\ntemplate = \"x\"\nstop = true\n")
	env := routing.Env{Agencies: routing.DefaultAgencies(), Places: loadPlaces(f)}
	f.Fuzz(func(t *testing.T, text string) {
		rs, err := routing.Compile([]byte(text), env)
		if err != nil {
			var errs ticket.RuleErrors
			if !errors.As(err, &errs) || len(errs) == 0 {
				t.Fatalf("refused without rule errors: %v", err)
			}
			for _, e := range errs {
				if e.Msg == "" {
					t.Fatalf("a mistake without a message: %+v", e)
				}
			}
			return
		}
		tk := &ticket.Ticket{Subject: "Skattekort og BankID", Channel: ticket.ChannelEmail,
			Requester: ticket.Requester{Email: "kari@hamar.kommune.no"}}
		d := rs.Route(tk, &ticket.Message{Direction: ticket.DirectionIn, Text: text})
		if _, ok := env.Agencies.Find(d.Agency); d.Agency != "" && !ok {
			t.Fatalf("routed to unknown agency %q", d.Agency)
		}
	})
}
