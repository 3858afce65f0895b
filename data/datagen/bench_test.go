package datagen_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/data/datagen"
	"github.com/ks-no/digihjelpen/ticket"
)

// BenchmarkGenerate measures loading generated tickets in bulk (ns/op is per ticket).
func BenchmarkGenerate(b *testing.B) {
	db := data.NewDB(filepath.Join(b.TempDir(), "gen.db"))
	if err := db.Open(); err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	to := time.Date(2026, 11, 23, 0, 0, 0, 0, ticket.Oslo)
	b.ResetTimer()
	if err := datagen.Generate(context.Background(), db, datagen.Options{N: b.N, From: to.AddDate(-3, 0, 0), To: to, Seed: 1}); err != nil {
		b.Fatal(err)
	}
}
