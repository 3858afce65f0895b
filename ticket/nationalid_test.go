package ticket

import "testing"

// The valid numbers below were made with the register's algorithm outside this code; the
// look-alikes pass the check digits but not the date or the century, or fail a check digit.
func TestMaskNationalIDs(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
		n    int
	}{
		{"fødselsnummer", "Fnr 01019012480 til innbygger", "Fnr 010190***** til innbygger", 1},
		{"D-nummer", "D-nr: 41019012474.", "D-nr: 410190*****.", 1},
		{"written six and five", "født 010190 12480, trenger hjelp", "født 010190 *****, trenger hjelp", 1},
		{"29 February of a leap year", "29020051386", "290200*****", 1},
		{"individual number 500-749 born 2005", "01010550048", "010105*****", 1},
		{"individual number 900-999 born 1945", "01014595089", "010145*****", 1},
		{"born 1999, individual number 915", "(31129991537)", "(311299*****)", 1},
		{"two numbers", "01019012480 og 41019012474", "010190***** og 410190*****", 2},
		{"beside letters", "fnr01019012480x", "fnr010190*****x", 1},
		{"inside a line of HTML", "<p>nr.&nbsp;01019012480</p>", "<p>nr.&nbsp;010190*****</p>", 1},

		{"first check digit wrong", "01019012490", "01019012490", 0},
		{"second check digit wrong", "01019012481", "01019012481", 0},
		{"29 February of a common year", "29020151216", "29020151216", 0},
		{"month 13", "01139012328", "01139012328", 0},
		{"day 32", "32019012351", "32019012351", 0},
		{"D-nummer with day 32", "72019012345", "72019012345", 0},
		{"individual number without a century", "01014560013", "01014560013", 0},
		{"twelve digits", "010190124801", "010190124801", 0},
		{"ten digits", "0101901248", "0101901248", 0},
		{"after a digit", "901019012480", "901019012480", 0},
		{"phone number", "Ring 99 88 77 66 eller +4799887766", "Ring 99 88 77 66 eller +4799887766", 0},
		{"organisation number", "Org.nr. 974 760 673 (974760673)", "Org.nr. 974 760 673 (974760673)", 0},
		{"account number as written", "Konto 1234.56.78903", "Konto 1234.56.78903", 0},
		{"account number in one run", "Konto 12345678903", "Konto 12345678903", 0},
		{"six and five with two spaces", "010190  12480", "010190  12480", 0},
		{"six and six", "010190 124801", "010190 124801", 0},
		{"reference", "DH-2026-0042", "DH-2026-0042", 0},
		{"empty", "", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, n := MaskNationalIDs(tt.in)
			if got != tt.want || n != tt.n {
				t.Fatalf("MaskNationalIDs(%q) = %q, %d; want %q, %d", tt.in, got, n, tt.want, tt.n)
			}
		})
	}
}

func TestValidNationalID(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want bool
	}{
		{"fødselsnummer", "01019012480", true},
		{"D-nummer", "41019012555", true},
		{"letters", "0101901248a", false},
		{"too short", "0101901248", false},
		{"all zeros", "00000000000", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ValidNationalID(tt.in); got != tt.want {
				t.Fatalf("ValidNationalID(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func FuzzMaskNationalIDs(f *testing.F) {
	f.Add("Fnr 01019012480, tlf 99887766")
	f.Add("010190 12480")
	f.Fuzz(func(t *testing.T, s string) {
		got, n := MaskNationalIDs(s)
		if len(got) != len(s) {
			t.Fatalf("length changed: %q -> %q", s, got)
		}
		if again, m := MaskNationalIDs(got); m != 0 || again != got {
			t.Fatalf("masked text still holds a number: %q", got)
		}
		if (n == 0) != (got == s) {
			t.Fatalf("count %d for %q -> %q", n, s, got)
		}
	})
}
