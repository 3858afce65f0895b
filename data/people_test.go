package data

import "testing"

func TestPeopleScrub(t *testing.T) {
	who := newPeople()
	who.addName("Kari Nordmann")
	who.addAddress("kari.nordmann@lillehammer.kommune.no", "ola@hamar.kommune.no")
	who.addName("Servicetorget, Lillehammer kommune") // an organisation: no names from it
	who.addName("Å")                                  // too short to be a name word
	tests := []struct {
		name, in, want string
	}{
		{"greeting", "Hei Kari,", "Hei [navn],"},
		{"whole name, any case", "KARI NORDMANN skrev:", "[navn] skrev:"},
		{"genitive", "Karis spørsmål", "[navn] spørsmål"},
		{"address before its words", "Skriv til Kari.Nordmann@Lillehammer.kommune.no", "Skriv til [anonymisert]"},
		{"a mailbox without a name", "fra ola@hamar.kommune.no", "fra [anonymisert]"},
		{"word inside another word", "Karibien og nordmannsforbundet", "Karibien og nordmannsforbundet"},
		{"the organisation stays", "Lillehammer kommune, servicetorget", "Lillehammer kommune, servicetorget"},
		{"hyphen and apostrophe", "Nordmann-familien og Kari's bok", "[navn]-familien og [navn]'s bok"},
		{"invalid bytes kept", "Kari \xff", "[navn] \xff"},
		{"nothing", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := who.scrub(tt.in); got != tt.want {
				t.Fatalf("scrub(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if who.mentions(tt.in) != (tt.in != tt.want) {
				t.Fatalf("mentions(%q) disagrees with scrub", tt.in)
			}
		})
	}
	if len(who.words) != 2 || !who.words["kari"] || !who.words["nordmann"] {
		t.Fatalf("name words %v, want kari and nordmann", who.words)
	}
}
