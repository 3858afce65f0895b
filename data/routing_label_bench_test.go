package data_test

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/data/datagen"
	"github.com/ks-no/digihjelpen/ticket"
)

// BenchmarkMigrateRoutingLabels100k measures the migration that builds the routing label index
// of an existing file (schema 8 → 9) on a year of 100,000 generated tickets: a copy of the shared
// file, stripped of the index, is opened read-write.
func BenchmarkMigrateRoutingLabels100k(b *testing.B) {
	src, err := datagen.Cached(context.Background(), filepath.Join("..", "var", "bench"), datagen.YearOf100k)
	if err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(b.TempDir(), "migrate-labels.db")
	for b.Loop() {
		b.StopTimer()
		if err := stripRoutingLabels(src, path); err != nil {
			b.Fatal(err)
		}
		db := data.NewDB(path)
		b.StartTimer()
		if err := db.Open(); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		n := 0
		db.Close()
		ro := &data.DB{Path: path, ReadOnly: true, Now: time.Now}
		if err := ro.Open(); err != nil {
			b.Fatal(err)
		}
		data.NewTicketService(ro).ForEachRoutingLabel(context.Background(), func(*ticket.Ticket, *ticket.Message) error { n++; return nil })
		ro.Close()
		if n == 0 {
			b.Fatal("no labels after the migration")
		}
		b.ReportMetric(float64(n), "labels")
		b.StartTimer()
	}
}

// stripRoutingLabels copies the file at src to dst as a schema-7 file without the label index.
func stripRoutingLabels(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	raw, err := bolt.Open(dst, 0o600, nil)
	if err != nil {
		return err
	}
	err = raw.Update(func(tx *bolt.Tx) error {
		if err := tx.DeleteBucket([]byte("idx_routing_label")); err != nil {
			return err
		}
		return tx.Bucket([]byte("meta")).Put([]byte("schema_version"), []byte{0, 0, 0, 0, 0, 0, 0, 8})
	})
	if cerr := raw.Close(); err == nil {
		err = cerr
	}
	return err
}
