package ticket

import "testing"

func TestSubjectFromQuestion(t *testing.T) {
	tests := []struct {
		name, question, want string
	}{
		{"plain", "Hvordan bestiller en ny ansatt skattekort?", "Hvordan bestiller en ny ansatt skattekort?"},
		{"greeting line", "Hei!\n\nHvordan bestiller en ny ansatt skattekort?\n\nMvh Tone.", "Hvordan bestiller en ny ansatt skattekort?"},
		{"greeting with comma", "Hei,\nvi lurer på hvordan vi låner ut nettbrett.", "Vi lurer på hvordan vi låner ut nettbrett."},
		{"greeting on the line", "Hei, vi lurer på hvordan vi låner ut nettbrett.", "Vi lurer på hvordan vi låner ut nettbrett."},
		{"greeting with a name", "Hei Kari!\nKan dere hjelpe med BankID?", "Kan dere hjelpe med BankID?"},
		{"good morning", "God morgen.\r\nMinID virker ikke for en innbygger.", "MinID virker ikke for en innbygger."},
		{"sign-off first", "Mvh Tone", "Mvh Tone"},
		{"sign-off only after", "Hei,\n\nMed vennlig hilsen\nTone", "Hei,"},
		{"a word that starts like a greeting", "Heimehjelp og digitale tjenester", "Heimehjelp og digitale tjenester"},
		{"till is not til", "Tilskudd til digihjelp i biblioteket?", "Tilskudd til digihjelp i biblioteket?"},
		{"thanks at the end", "Hallo\nTakk på forhånd", "Hallo"},
		{"long", "Hei! Vi har mange innbyggere som trenger hjelp med å logge inn på NAV sine sider, og lurer på om dere har kursmateriell vi kan bruke",
			"Vi har mange innbyggere som trenger hjelp med å logge inn på NAV sine sider, og lurer på om dere …"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SubjectFromQuestion(tt.question); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
