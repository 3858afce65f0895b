package quote_test

import (
	"strings"
	"testing"

	"github.com/ks-no/digihjelpen/ticket/quote"
)

// TestSplitQuoted holds the cases the ticket page's own rule had before intake's rule served
// both: the new text, and the quoted history after it.
func TestSplitQuoted(t *testing.T) {
	tests := []struct {
		name, text, body, quoted string
	}{
		{"no quote", "Hei!\nTakk for svaret.", "Hei!\nTakk for svaret.", ""},
		{"norwegian attribution", "Takk!\n\nDen 23. nov. 2026 kl. 09:05 skrev Kari <kari@ks.no>:\n> Hei\n> der",
			"Takk!", "Den 23. nov. 2026 kl. 09:05 skrev Kari <kari@ks.no>:\n> Hei\n> der"},
		{"english attribution", "Thanks\nOn Mon, 23 Nov 2026 at 09:05, Kari wrote:\n> hi", "Thanks", "On Mon, 23 Nov 2026 at 09:05, Kari wrote:\n> hi"},
		{"outlook header", "Se vedlegg.\n\nFra: Kari Nordmann\nSendt: mandag 23. november 2026 09:05\nTil: kontakt@ks.no\nEmne: Kurs",
			"Se vedlegg.", "Fra: Kari Nordmann\nSendt: mandag 23. november 2026 09:05\nTil: kontakt@ks.no\nEmne: Kurs"},
		{"original message", "Ok.\n-----Opprinnelig melding-----\nFra: x", "Ok.", "-----Opprinnelig melding-----\nFra: x"},
		{"quote marks", "Enig.\n> linje en\n> linje to", "Enig.", "> linje en\n> linje to"},
		{"one quoted line is not history", "Hun skrev:\n> ja\nog mer tekst", "Hun skrev:\n> ja\nog mer tekst", ""},
		{"all quote stays whole", "> bare sitat\n> her", "> bare sitat\n> her", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text, at := quote.Split(tt.text)
			body, quoted := text, ""
			if at > 0 {
				body, quoted = strings.TrimRight(text[:at], " \t\r\n"), text[at:]
			}
			if body != tt.body || quoted != tt.quoted {
				t.Errorf("got %q | %q, want %q | %q", body, quoted, tt.body, tt.quoted)
			}
		})
	}
}
