package ticket_test

import (
	"testing"

	"github.com/ks-no/digihjelpen/ticket"
)

func TestRefString(t *testing.T) {
	tests := []struct {
		ref  ticket.Ref
		want string
	}{
		{ticket.Ref{Year: 2026, Number: 42}, "DH-2026-0042"},
		{ticket.Ref{Year: 2026, Number: 1}, "DH-2026-0001"},
		{ticket.Ref{Year: 2027, Number: 9999}, "DH-2027-9999"},
		{ticket.Ref{Year: 2027, Number: 12345}, "DH-2027-12345"},
	}
	for _, tt := range tests {
		if got := tt.ref.String(); got != tt.want {
			t.Errorf("got %q, want %q", got, tt.want)
		}
	}
}

func TestParseRef(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    ticket.Ref
		wantErr bool
	}{
		{"OK", "DH-2026-0042", ticket.Ref{2026, 42}, false},
		{"lower case", "dh-2026-0042", ticket.Ref{2026, 42}, false},
		{"spaces", "  DH-2026-0042 ", ticket.Ref{2026, 42}, false},
		{"five digits", "DH-2026-12345", ticket.Ref{2026, 12345}, false},
		{"ErrZero", "DH-2026-0000", ticket.Ref{}, true},
		{"ErrPrefix", "XX-2026-0042", ticket.Ref{}, true},
		{"ErrTrailing", "DH-2026-0042x", ticket.Ref{}, true},
		{"ErrEmbedded", "sak DH-2026-0042", ticket.Ref{}, true},
		{"ErrEmpty", "", ticket.Ref{}, true},
		{"ErrYear", "DH-1999-0001", ticket.Ref{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ticket.ParseRef(tt.in)
			if tt.wantErr {
				if ticket.ErrorCode(err) != ticket.EINVALID {
					t.Fatalf("ParseRef(%q) error = %v, want EINVALID", tt.in, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("ParseRef(%q) = %v, %v, want %v", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestFindRefInSubject(t *testing.T) {
	tests := []struct {
		subject string
		want    ticket.Ref
		ok      bool
	}{
		{"SV: [DH-2026-0042] Spørsmål om kurs", ticket.Ref{2026, 42}, true},
		{"RE: RE: Sak DH-2025-0100 – oppfølging", ticket.Ref{2025, 100}, true},
		{"Spørsmål om skattekort", ticket.Ref{}, false},
		{"ADH-2026-0042", ticket.Ref{}, false},
		{"[DH-2026-0042][DH-2026-0043]", ticket.Ref{2026, 42}, true},
	}
	for _, tt := range tests {
		got, ok := ticket.FindRefInSubject(tt.subject)
		if ok != tt.ok || got != tt.want {
			t.Errorf("FindRefInSubject(%q) = %v, %v, want %v, %v", tt.subject, got, ok, tt.want, tt.ok)
		}
	}
}

func TestSubjectWithRef(t *testing.T) {
	ref := ticket.Ref{Year: 2026, Number: 42}
	tests := []struct{ in, want string }{
		{"Spørsmål om kurs", "[DH-2026-0042] Spørsmål om kurs"},
		{"SV: [DH-2026-0042] Spørsmål om kurs", "SV: [DH-2026-0042] Spørsmål om kurs"},
		{"[DH-2026-0041] Annen sak", "[DH-2026-0042] [DH-2026-0041] Annen sak"},
	}
	for _, tt := range tests {
		if got := ticket.SubjectWithRef(ref, tt.in); got != tt.want {
			t.Errorf("SubjectWithRef(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// FuzzParseRef: a reference typed into the search box or found in a subject is read or refused,
// never a panic, and one that is read prints back to itself.
func FuzzParseRef(f *testing.F) {
	for _, s := range []string{"DH-2026-0042", " dh-2026-42 ", "DH-2026-000000000", "DH-1999-1", "DH-2026-999999999", "SV: [DH-2026-0042] x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ticket.ParseRef(s)
		if err != nil {
			if ticket.ErrorCode(err) != ticket.EINVALID {
				t.Fatalf("%q: %v, want EINVALID", s, err)
			}
			return
		}
		back, err := ticket.ParseRef(r.String())
		if err != nil || back != r {
			t.Fatalf("%q read as %v prints %q, which reads as %v, %v", s, r, r.String(), back, err)
		}
		if found, ok := ticket.FindRefInSubject("SV: [" + r.String() + "] Spørsmål"); !ok || found != r {
			t.Fatalf("%v not found in a subject: %v", r, found)
		}
	})
}
