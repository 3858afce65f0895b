package routing

import (
	"strings"
	"testing"

	"github.com/ks-no/digihjelpen/ticket"
)

// TestHeldOut: one ticket in five is held out, the same ones every time, spread over the ids.
func TestHeldOut(t *testing.T) {
	n := 0
	for id := uint64(1); id <= 100000; id++ {
		if heldOut(id) {
			n++
		}
		if heldOut(id) != heldOut(id) {
			t.Fatalf("ticket %d is held out one time and not the next", id)
		}
	}
	if n < 19000 || n > 21000 {
		t.Errorf("held out %d of 100,000, want about 20,000", n)
	}
	run := 0
	for id := uint64(1); id <= 1000; id++ {
		if heldOut(id) {
			run++
		} else {
			run = 0
		}
		if run > 8 {
			t.Fatalf("%d tickets in a row held out up to %d: not spread", run, id)
		}
	}
}

func TestKnownStem(t *testing.T) {
	m := &Model{words: wordTerms{}}
	counts := newTrainWorker(TrainOptions{Agencies: []string{"nav", "ks"}})
	counts.read([]Example{{Ticket: ticketWith(1, "Meldekort"), Agency: "nav"}, {Ticket: ticketWith(2, "Opplæring"), Agency: "ks"}})
	counts.train.Merge(counts.held)
	m.nb = counts.train.Model(modelOptions)
	tests := []struct{ word, term string }{
		{"meldekortet", "meldekort"},
		{"meldekorta", "meldekort"},
		{"opplæringa", "opplaering"},
		{"opplaeringen", "opplaering"},
		{"og", ""},
		{"2026", ""},
		{"zebra", ""},
	}
	for _, tt := range tests {
		if got := m.knownStem(tt.word); got != tt.term {
			t.Errorf("knownStem(%q) = %q, want %q", tt.word, got, tt.term)
		}
	}
}

func ticketWith(id uint64, subject string) *ticket.Ticket {
	return &ticket.Ticket{ID: id, Subject: subject}
}

func TestFoldNordic(t *testing.T) {
	for in, want := range map[string]string{
		"opplæring": "opplaering", "søknad": "soknad", "håndbok": "handbok", "haandbok": "handbok",
		"kursmateriell": "kursmateriell", "blåbær": "blabaer", "åaa": "aa", "": "",
	} {
		if got := foldNordic(in); got != want {
			t.Errorf("foldNordic(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestSplitCompound: a compound training never met is read as two terms it knows, the longest
// known head first, with a linking s or e and the tail's regular endings.
func TestSplitCompound(t *testing.T) {
	w := newTrainWorker(TrainOptions{Agencies: []string{"skatteetaten", "ks"}})
	w.read([]Example{{Ticket: ticketWith(1, "Skatt papir"), Agency: "skatteetaten"},
		{Ticket: ticketWith(2, "Bibliotek midler kurs"), Agency: "ks"}})
	w.train.Merge(w.held)
	m := &Model{words: w.words, nb: w.train.Model(modelOptions)}
	tests := []struct{ word, head, tail string }{
		{"skattepapirene", "skatt", "papir"},
		{"skattspapir", "skatt", "papir"},
		{"bibliotekmidlene", "bibliotek", "midl"},
		{"kursbibliotek", "kur", "bibliotek"},
		{"skattekort", "", ""},
		{"zebrafink", "", ""},
		{"kurs", "", ""},
	}
	for _, tt := range tests {
		head, tail, ok := m.splitCompound(tt.word)
		if head != tt.head || tail != tt.tail || ok != (tt.head != "") {
			t.Errorf("splitCompound(%q) = %q, %q, %v; want %q, %q", tt.word, head, tail, ok, tt.head, tt.tail)
		}
	}
}

// wordGrams is the n-gram terms of a lower-case word.
func wordGrams(w string, dst []string) []string {
	eachGram(w, nil, func(g []byte) { dst = append(dst, string(g)) })
	return dst
}

func TestWordGrams(t *testing.T) {
	defer func(s []int) { gramSizes = s }(gramSizes)
	gramSizes = []int{4}
	for w, want := range map[string]string{
		"kurs": "g:<kur g:kurs g:urs>",
		"søk":  "g:<sok g:sok>",
		"ab":   "g:<ab>",
	} {
		if got := strings.Join(wordGrams(w, nil), " "); got != want {
			t.Errorf("wordGrams(%q) = %q, want %q", w, got, want)
		}
	}
	gramSizes = nil
	if g := wordGrams("kurs", nil); len(g) != 0 {
		t.Errorf("n-grams off: got %q", g)
	}
}
