package ticket_test

import (
	"strings"
	"testing"

	"github.com/ks-no/digihjelpen/ticket"
)

func TestAckTemplateValidate(t *testing.T) {
	tests := []struct {
		name, tplName, title, text, wantField, wantMsg string
	}{
		{"OK", "standard", "Standard", ticket.DefaultAckText, "", ""},
		{"OK referral text", "henvisning-nav", "Til NAV", ticket.ReferAckText, "", ""},
		{"ErrName spaces", "Til NAV", "Til NAV", ticket.DefaultAckText, "name", "små bokstaver"},
		{"ErrName empty", "", "Til NAV", ticket.DefaultAckText, "name", "små bokstaver"},
		{"ErrName long", strings.Repeat("a", 41), "Til NAV", ticket.DefaultAckText, "name", "høyst 40"},
		{"ErrTitle", "nav", "  ", ticket.DefaultAckText, "title", "Gi malen en tittel"},
		{"ErrTitle long", "nav", strings.Repeat("x", ticket.MaxAckTitleLen+1), ticket.DefaultAckText, "title", "høyst 80"},
		{"ErrEmpty", "nav", "NAV", "  ", "text", "Skriv teksten"},
		{"ErrNoRef", "nav", "NAV", "Følg saken: {statuslenke}", "text", "{saksnummer}"},
		{"ErrNoLink", "nav", "NAV", "Sak {saksnummer}", "text", "{statuslenke}"},
		{"ErrUnknown", "nav", "NAV", "Sak {saksnummer} {statuslenke} {etternavn}", "text", "Ukjent plassholder «{etternavn}»"},
		{"ErrLong", "nav", "NAV", "{saksnummer}{statuslenke}" + strings.Repeat("x", ticket.MaxTemplateLen), "text", "høyst"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := (&ticket.AckTemplate{Name: tt.tplName, Title: tt.title, Text: tt.text}).Validate()
			if tt.wantField == "" {
				if err != nil {
					t.Fatalf("got %v, want nil", err)
				}
				return
			}
			msg := ticket.FieldErrorsOf(err).ByField(tt.wantField)
			if ticket.ErrorCode(err) != ticket.EINVALID || !strings.Contains(msg, tt.wantMsg) {
				t.Fatalf("got %v, want EINVALID on %s with %q", err, tt.wantField, tt.wantMsg)
			}
		})
	}
}
