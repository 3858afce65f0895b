package data_test

import (
	"context"
	"testing"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/data/datagen"
)

// BenchmarkPlaceCounts1M measures the map's staff layers on a million tickets over three
// years: the questions of the last year by municipality (the statistics facts of a year), and
// every ticket by municipality (the facet counters). The generator spreads its tickets over 19
// municipalities, which changes nothing here: the cost is the facts read, not the places.
func BenchmarkPlaceCounts1M(b *testing.B) {
	reg := data.NewRegisterService(openBench(b))
	ctx := context.Background()
	b.Run("year", func(b *testing.B) {
		for b.Loop() {
			counts, err := reg.NewTicketsByPlace(ctx, datagen.BenchTo.AddDate(-1, 0, 0), datagen.BenchTo)
			if err != nil || len(counts) == 0 {
				b.Fatalf("%d places, %v", len(counts), err)
			}
		}
	})
	b.Run("all", func(b *testing.B) {
		for b.Loop() {
			counts, err := reg.TicketsByPlace(ctx)
			if err != nil || len(counts) == 0 {
				b.Fatalf("%d places, %v", len(counts), err)
			}
		}
	})
}
