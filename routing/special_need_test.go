package routing_test

import (
	"strings"
	"testing"

	"github.com/ks-no/digihjelpen/routing"
	"github.com/ks-no/digihjelpen/ticket"
)

// needs is the register's flags as a map, for the tests.
type needs map[string]bool

func (n needs) SpecialNeed(number string) bool { return n[number] }

// TestSpecialNeedCondition routes by the register's «særskilt behov» flag: of the municipality
// chosen in the form or known from the sender's domain, else of the county authority.
func TestSpecialNeedCondition(t *testing.T) {
	const rules = `[[rules]]
name = "Særskilt behov"
special_need = true
priority = "høy"
tags = ["saerskilt-behov"]

[[rules]]
name = "Uten særskilt behov"
special_need = false
tags = ["vanlig"]
`
	flags := needs{"1804": true, "56": true}
	rs, err := routing.Compile([]byte(rules), routing.Env{Agencies: routing.DefaultAgencies(), Places: loadPlaces(t), Needs: flags})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		in       in
		priority ticket.Priority
		tags     []string
		reason   string
	}{
		{"flagged municipality from the form", in{from: "kari@example.no", municipality: "1804"}, ticket.PriorityHigh, []string{"saerskilt-behov"}, "Bodø har særskilt behov i kommuneregisteret (oppgitt i skjemaet)"},
		{"flagged municipality from the domain", in{from: "kari@bodo.kommune.no"}, ticket.PriorityHigh, []string{"saerskilt-behov"}, "fra avsenderens domene bodo.kommune.no"},
		{"flagged county authority", in{from: "per@ffk.no"}, ticket.PriorityHigh, []string{"saerskilt-behov"}, "Finnmark fylkeskommune har særskilt behov"},
		{"municipality without the flag", in{from: "ola@lillehammer.kommune.no"}, "", []string{"vanlig"}, "Lillehammer har ikke særskilt behov"},
		{"unknown place matches neither", in{from: "ola@gmail.com"}, "", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := tt.in.route(rs)
			if d.Priority != tt.priority || strings.Join(d.Tags, ",") != strings.Join(tt.tags, ",") {
				t.Errorf("got priority %q tags %v, want %q %v", d.Priority, d.Tags, tt.priority, tt.tags)
			}
			if !strings.Contains(d.Routing.Reason, tt.reason) {
				t.Errorf("reason %q, want it to contain %q", d.Routing.Reason, tt.reason)
			}
		})
	}
	// without a register (rules check on the command line) the rules still compile, and nothing is flagged
	plain, err := routing.Compile([]byte(rules), routing.Env{Agencies: routing.DefaultAgencies(), Places: loadPlaces(t)})
	if err != nil {
		t.Fatal(err)
	}
	if d := (in{from: "kari@bodo.kommune.no"}).route(plain); d.Priority != "" || strings.Join(d.Tags, ",") != "vanlig" {
		t.Errorf("without a register: got %q %v", d.Priority, d.Tags)
	}
}

func TestSpecialNeedMustBeBool(t *testing.T) {
	_, err := routing.Compile([]byte("[[rules]]\nname = \"X\"\nspecial_need = \"ja\"\npriority = \"høy\"\n"), routing.Env{Agencies: routing.DefaultAgencies(), Places: loadPlaces(t)})
	if err == nil || !strings.Contains(err.Error(), "true eller false") {
		t.Errorf("got %v, want an error asking for true or false", err)
	}
}
