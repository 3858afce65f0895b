package routing

import (
	"embed"
	"fmt"
	"io/fs"
	"sync"

	"github.com/pelletier/go-toml/v2"

	"github.com/ks-no/digihjelpen/ticket"
	"github.com/ks-no/digihjelpen/ticket/quote"
)

// The seed corpus: the labelled questions the rules and the model were tuned on (seed/, see
// seed/README.md), built into the program so the model routes from the first day, before staff
// have labelled anything. Staff labels are the real ones: the model counts each of them
// staffWeight times, and a seed question whose text a staff label has too is left out, so staff
// overrule the seed (Train).

//go:embed seed/*.toml
var seedFiles embed.FS

// staffWeight is how many seed questions one staff label counts as. Counting staff's labels
// more did not help where it could be measured (TestStaffWeightGrid: weight 1, 2, 3, 5 gave 274,
// 272, 272, 269 of 312 questions written apart), so a label counts as one question.
const staffWeight = 1

// seedQuestion is one labelled question of a seed file.
type seedQuestion struct {
	Agency  string `toml:"agency"`
	From    string `toml:"from"`
	Subject string `toml:"subject"`
	Body    string `toml:"body"`
}

// SeedExamples returns the seed corpus as training examples: each question as intake would
// store it as a new ticket from a mail (the quoted history and signature marked by
// ticket/quote). The examples are shared; callers must not change them.
var SeedExamples = sync.OnceValues(func() ([]Example, error) {
	names, err := fs.Glob(seedFiles, "seed/*.toml")
	if err != nil {
		return nil, fmt.Errorf("list the seed corpus: %w", err)
	}
	var out []Example
	for _, name := range names {
		b, err := seedFiles.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("read the seed corpus %s: %w", name, err)
		}
		var f struct {
			Q []seedQuestion `toml:"q"`
		}
		if err := toml.Unmarshal(b, &f); err != nil {
			return nil, fmt.Errorf("read the seed corpus %s: %w", name, err)
		}
		for _, q := range f.Q {
			t := &ticket.Ticket{Subject: q.Subject, Channel: ticket.ChannelEmail, Requester: ticket.Requester{Email: q.From}}
			text, quoteStart := quote.Split(q.Body)
			m := &ticket.Message{Direction: ticket.DirectionIn, From: q.From, Subject: q.Subject, Text: text, QuoteStart: quoteStart}
			out = append(out, Example{Ticket: t, First: m, Agency: q.Agency})
		}
	}
	return out, nil
})
