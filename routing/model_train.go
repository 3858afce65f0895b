package routing

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"time"

	"github.com/ks-no/digihjelpen/routing/learn"
	"github.com/ks-no/digihjelpen/ticket"
)

// Example is a ticket with the agency staff chose for it: what the model learns from.
type Example struct {
	Ticket *ticket.Ticket
	First  *ticket.Message
	Agency string
	Moved  bool // staff moved the ticket there (rather than resolving it where it was)
}

// TrainOptions say what to train on and how to measure the result.
type TrainOptions struct {
	// Agencies are the agencies the model may suggest; examples of others are skipped.
	Agencies []string
	// Rules, when set, are measured on the held-out examples too: alone, and with the model
	// where no rule chose an agency and its confidence reaches Threshold.
	Rules     *RuleSet
	Threshold float64
	// Workers read the examples' words in parallel (default: GOMAXPROCS).
	Workers int
	// Seed are examples to learn from besides staff's (SeedExamples): never held out, counted
	// once where a staff label counts StaffWeight times, and left out where a staff label has
	// the same subject and text, so staff overrule the seed.
	Seed []Example
	// StaffWeight is how many seed examples one staff label counts as (0: staffWeight).
	StaffWeight uint32
	// Learn tunes the classifier; the zero value uses the settings docs/ROUTING.md explains.
	Learn learn.Options
	Now   func() time.Time
}

// modelOptions are the classifier settings chosen on the tuning questions (docs/ROUTING.md).
// Temperature 1.5 (TestModelTemperatureGrid) keeps the model's 99 % near what it was before it
// read n-grams: right 770 of 780 times from 0.99 by cross-validation, 819 of 839 at temperature 1.
var modelOptions = learn.Options{Alpha: 1, MinClassExamples: 5, Temperature: 1.5}

// heldOut reports whether the example of ticket id is kept out of training to measure the
// model: one in five, chosen by a hash of the id, so the same tickets stay out as labels come
// and go and a trend on the admin page means something.
func heldOut(id uint64) bool {
	z := id + 0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return (z^(z>>31))%5 == 0
}

// errNoExamples is returned when there is nothing to learn from.
var errNoExamples = errors.New("no labelled tickets to learn from")

// Train reads every example that each gives (staff's labels), trains a model on four in five of
// them and the seed, measures it (and the rules, when given) on the fifth that was held out,
// and then returns a model trained on all of them and the seed, with the figures in its status.
// Counting is additive, so the examples are read and stemmed once. each calls fn once per
// example; it may stop early with fn's error.
func Train(ctx context.Context, each func(fn func(Example) error) error, opt TrainOptions) (*Model, error) {
	now := time.Now
	if opt.Now != nil {
		now = opt.Now
	}
	start := now()
	if opt.Learn == (learn.Options{}) {
		opt.Learn = modelOptions
	}
	if len(gramSizes) > 0 {
		opt.Learn.Family, opt.Learn.FamilyScale = gramMark, gramScale
	}
	if opt.StaffWeight == 0 {
		opt.StaffWeight = staffWeight
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	ws := make([]*trainWorker, workers)
	batches := make(chan []Example, 2*workers)
	var wg sync.WaitGroup
	for i := range ws {
		ws[i] = newTrainWorker(opt)
		wg.Add(1)
		go func(w *trainWorker) {
			defer wg.Done()
			for b := range batches {
				w.read(b)
			}
		}(ws[i])
	}
	err := feed(ctx, each, batches)
	close(batches)
	wg.Wait()
	if err != nil {
		return nil, err
	}
	if len(opt.Seed) > 0 {
		ws[0].readSeed(opt.Seed, ws)
	}
	m := combine(ws, opt)
	if m.status.Labels+m.status.Seed == 0 {
		return nil, errNoExamples
	}
	m.stamp(start, now().Sub(start))
	return m, nil
}

// exampleBatch is how many examples go to a worker at once: enough that the channel costs
// nothing beside the stemming.
const exampleBatch = 256

func feed(ctx context.Context, each func(fn func(Example) error) error, batches chan<- []Example) error {
	batch := make([]Example, 0, exampleBatch)
	err := each(func(ex Example) error {
		batch = append(batch, ex)
		if len(batch) == exampleBatch {
			select {
			case batches <- batch:
			case <-ctx.Done():
				return ctx.Err()
			}
			batch = make([]Example, 0, exampleBatch)
		}
		return nil
	})
	if err == nil && len(batch) > 0 {
		batches <- batch
	}
	return err
}
