package routing_test

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/ks-no/digihjelpen/routing"
)

// syntheticExamples makes n labelled tickets for the training benchmark from the labelled
// questions: each takes a question's words, half of them in a new order, and mixes in words no
// question has (names, places, typos, numbers), so the vocabulary grows the way a real mailbox
// does (about 100,000 distinct words at 100,000 tickets) and a ticket has some 80 words, more
// than the average question. One in ten is marked as moved by staff.
func syntheticExamples(t testing.TB, n int) []routing.Example {
	t.Helper()
	qs := loadLabelled(t, tuningFile)
	rng := rand.New(rand.NewPCG(15, 2026))
	noise := syntheticWords(rng, 120000)
	out := make([]routing.Example, n)
	var body strings.Builder
	for i := range out {
		q := qs[rng.IntN(len(qs))]
		words := strings.Fields(q.Body)
		rng.Shuffle(len(words)/2, func(a, b int) { words[a], words[b] = words[b], words[a] })
		body.Reset()
		for j, w := range words {
			body.WriteString(w)
			body.WriteByte(' ')
			if j%3 == 0 {
				body.WriteString(noise[rng.IntN(len(noise))] + " ")
			}
		}
		for k := 20 + rng.IntN(30); k > 0; k-- {
			body.WriteString(noise[rng.IntN(len(noise))] + " ")
		}
		tk, m := mailTicket(q.From, q.Subject, body.String())
		tk.ID = uint64(i + 1)
		out[i] = routing.Example{Ticket: tk, First: m, Agency: q.Agency, Moved: i%10 == 0}
	}
	return out
}

// syntheticWords makes pronounceable words that are in no question.
func syntheticWords(rng *rand.Rand, n int) []string {
	onsets := []string{"b", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "sk", "st", "tr", "kj", "bj", "fl"}
	vowels := []string{"a", "e", "i", "o", "u", "y", "æ", "ø", "å", "ei", "au"}
	codas := []string{"", "n", "r", "s", "t", "ng", "kk", "ll", "rd", "st"}
	out := make([]string, n)
	for i := range out {
		var b strings.Builder
		for k := 2 + rng.IntN(3); k > 0; k-- {
			b.WriteString(onsets[rng.IntN(len(onsets))] + vowels[rng.IntN(len(vowels))] + codas[rng.IntN(len(codas))])
		}
		out[i] = b.String()
	}
	return out
}
