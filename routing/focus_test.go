package routing

import (
	"strings"
	"testing"
)

func TestCutNameBlock(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"a name and an office after a blank line", "Har dere kursmateriell?\n\nArne, NAV Sande", "Har dere kursmateriell?\n\n"},
		{"a name, title, office and phone after the question", "Hvor søker hun?\nMarius Haugland\nRådgiver digital inkludering\nBergen bibliotek\nTlf 55 56 85 00",
			"Hvor søker hun?\n"},
		{"a one-line mail is kept", "Hei, hvem kan jeg ringe om dette?", "Hei, hvem kan jeg ringe om dette?"},
		{"short lines that go on with a sentence are kept", "Hei\nMeldekort\nHvordan sender man det", "Hei\nMeldekort\nHvordan sender man det"},
		{"a lower-case line is no name", "Det virker ikke.\nkan dere hjelpe", "Det virker ikke.\nkan dere hjelpe"},
		{"a question is never cut", "Hei.\nNAV eller Skatteetaten?", "Hei.\nNAV eller Skatteetaten?"},
		{"a long last line is kept", "Hei.\nVi har mange innbyggere som spør om meldekortet og vet ikke hva vi skal si til dem", "Hei.\nVi har mange innbyggere som spør om meldekortet og vet ikke hva vi skal si til dem"},
	}
	for _, tt := range tests {
		if got := cutNameBlock(tt.text); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestQuestionSpans(t *testing.T) {
	tests := []struct {
		text string
		asks []string // the sentences that ask; nil: the whole text
	}{
		{"Vi har kurs hos NAV. Har dere materiell? Takk!", []string{" Har dere materiell?"}},
		{"Hei\n\nHvor er meldekortet? Og skattekortet?", []string{"Hvor er meldekortet?", " Og skattekortet?"}},
		{"Se https://www.nav.no/side?id=1 for mer. Hva nå?", []string{" Hva nå?"}},
		{"hva gjør vi", nil},
	}
	for _, tt := range tests {
		spans, all := questionSpans(tt.text)
		if all != (tt.asks == nil) {
			t.Errorf("%q: all %v", tt.text, all)
			continue
		}
		var got []string
		for _, s := range spans {
			got = append(got, strings.TrimLeft(tt.text[s[0]:s[1]], "\n"))
		}
		if strings.Join(got, "|") != strings.Join(tt.asks, "|") {
			t.Errorf("%q: asks %q, want %q", tt.text, got, tt.asks)
		}
	}
}

func TestSubjectKind(t *testing.T) {
	tests := []struct {
		subject        string
		reply, forward bool
	}{
		{"Sv: Meldekort", true, false}, {"RE: kurs", true, false}, {"VS: Navn på barnet", false, true},
		{"Fwd: dagpenger", false, true}, {"Svar: Sv: VS: x", true, false}, {"Svarfrist for søknaden", false, false},
		{"Meldekort", false, false},
	}
	for _, tt := range tests {
		if r, f := subjectKind(tt.subject); r != tt.reply || f != tt.forward {
			t.Errorf("%q: reply %v, forward %v", tt.subject, r, f)
		}
	}
}

func TestSplitHistory(t *testing.T) {
	reply := "Takk! Hva med kurs?\n\nDen 3. mars skrev KS:\n> Meldekort sendes på nav.no"
	q := strings.Index(reply, "Den 3.")
	if body, hist := splitHistory(reply, q, false); body != reply[:q] || hist != reply[q:] {
		t.Errorf("a reply: got %q and %q", body, hist)
	}
	if body, hist := splitHistory(reply, q, true); body != reply || hist != "" {
		t.Errorf("a forward by its subject: got %q and %q", body, hist)
	}
	fw := "Kan dere svare?\n\n---------- Forwarded message ---------\nFrom: Per\n\nHvor er meldekortet?"
	if body, hist := splitHistory(fw, strings.Index(fw, "-----"), false); body != fw || hist != "" {
		t.Errorf("a forward by its separator: got %q and %q", body, hist)
	}
	if body, hist := splitHistory("Bare tekst", 0, false); body != "Bare tekst" || hist != "" {
		t.Errorf("no quote: got %q and %q", body, hist)
	}
}
