package data

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

// BenchmarkBlobSweep measures the read-only scan the anonymiser does before it deletes
// attachment bytes: every outbox mail and message of a million generated tickets. It runs
// once a day, outside the write lock.
func BenchmarkBlobSweep(b *testing.B) {
	if testing.Short() {
		b.Skip("needs the generated million-ticket file")
	}
	to := time.Date(2026, 11, 23, 0, 0, 0, 0, ticket.Oslo)
	path := filepath.Join("..", "var", "bench", fmt.Sprintf("datagen-s%d-", SchemaVersion())+"1000000-1-"+to.AddDate(-3, 0, 0).Format("20060102")+"-"+to.Format("20060102")+".db")
	db := &DB{Path: path, Now: time.Now, ReadOnly: true}
	if err := db.Open(); err != nil {
		b.Skipf("generate it first with the web benchmarks (BenchmarkStatusPage/1M): %v", err)
	}
	defer db.Close()
	for b.Loop() {
		err := db.view(context.Background(), func(tx *Tx) error {
			_, err := tx.scanSweep(map[string]bool{"0000": true})
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}
