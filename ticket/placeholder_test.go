package ticket_test

import (
	"testing"

	"github.com/ks-no/digihjelpen/ticket"
)

func TestPlaceholderRender(t *testing.T) {
	v := ticket.PlaceholderValues{Name: "Kari", Ref: "DH-2026-0042", Agent: ""}
	tests := []struct{ in, want string }{
		{"Hei {navn}, sak {saksnummer}.", "Hei Kari, sak DH-2026-0042."},
		{"Hilsen {saksbehandler}", "Hilsen"},
		{"{ukjent} og {NAVN}", "{ukjent} og Kari"},
	}
	for _, tt := range tests {
		if got := v.Render(tt.in); got != tt.want {
			t.Errorf("Render(%q): got %q, want %q", tt.in, got, tt.want)
		}
	}
}
