package main

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/ks-no/digihjelpen/ticket"
)

func TestParseEML(t *testing.T) {
	tests := []struct {
		file, from, subject, text string
		to                        []string
	}{
		{"sporsmal-latin1.eml", "kari.saetre@gjovik.kommune.no", "Spørsmål om skattekortet", "får ikke endret skattekortet sitt på nett",
			[]string{"kontakt@digihjelpen.example.no"}},
		{"kursmateriell-multipart.eml", "ola@bibliotek.oslo.kommune.no", "Kursmateriell", "kursmateriell om BankID for seniorer på lett norsk", nil},
		{"bare-html.eml", "a@b.no", "Bare HTML", "Innbygger får ikke sendt meldekort.", nil},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			raw, err := os.ReadFile("testdata/" + tt.file)
			if err != nil {
				t.Fatal(err)
			}
			tk, m, err := parseEML(raw)
			if err != nil {
				t.Fatal(err)
			}
			if m.From != tt.from || tk.Subject != tt.subject || tk.Requester.Email != tt.from {
				t.Errorf("got from %q subject %q, want %q %q", m.From, tk.Subject, tt.from, tt.subject)
			}
			if !strings.Contains(m.Text, tt.text) || strings.Contains(m.Text, "<") || strings.Contains(m.Text, "color:red") {
				t.Errorf("text %q, want it to contain %q without markup", m.Text, tt.text)
			}
			if tt.to != nil && !slices.Equal(m.To, tt.to) {
				t.Errorf("to %v, want %v", m.To, tt.to)
			}
		})
	}
	if _, _, err := parseEML([]byte("dette er ingen e-post")); ticket.ErrorCode(err) != ticket.EINVALID {
		t.Errorf("garbage: got %v, want EINVALID", err)
	}
}
