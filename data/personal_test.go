package data

import (
	"context"
	"path/filepath"
	"sort"
	"testing"
	"time"
)

// TestEveryBucketIsClassified keeps the registry of personal data complete: a bucket that is
// added must either be forgotten by a registered personalData or be listed in noPersonalData
// with why it holds none.
func TestEveryBucketIsClassified(t *testing.T) {
	personal := map[string]string{}
	for _, k := range personalKinds {
		if k.forgetTicket == nil && k.forgetPerson == nil && k.kept == "" && k.name != "saker" && k.name != "søkeindeks" {
			t.Errorf("personal data %q forgets nothing and says nothing of why", k.name)
		}
		for _, b := range k.buckets {
			if other, ok := personal[string(b)]; ok {
				t.Errorf("bucket %s is registered by %q and %q", b, other, k.name)
			}
			personal[string(b)] = k.name
		}
	}
	var missing []string
	for _, b := range allBuckets {
		_, p := personal[string(b)]
		_, n := noPersonalData[string(b)]
		switch {
		case p && n:
			t.Errorf("bucket %s is both personal data and listed as holding none", b)
		case !p && !n:
			missing = append(missing, string(b))
		}
	}
	sort.Strings(missing)
	for _, b := range missing {
		t.Errorf("bucket %s is not classified: register a personalData for it (data/personal.go) or list it in noPersonalData with its reason", b)
	}
	for name := range noPersonalData {
		found := false
		for _, b := range allBuckets {
			found = found || string(b) == name
		}
		if !found {
			t.Errorf("noPersonalData lists %s, which is no bucket", name)
		}
	}
}

// TestScrubFreePagesWaitsForReaders: while a read transaction is open, no page is touched; once
// it ends, the scrub goes through.
func TestScrubFreePagesWaitsForReaders(t *testing.T) {
	db := NewDB(filepath.Join(t.TempDir(), "s.db"))
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	for i := 0; i < 50; i++ { // free some pages
		if err := db.update(ctx, func(tx *Tx) error { return tx.Bucket(bucketMeta).Put([]byte("x"), make([]byte, 9000)) }); err != nil {
			t.Fatal(err)
		}
	}
	defer func(p time.Duration) { scrubPatience = p }(scrubPatience)
	scrubPatience = 200 * time.Millisecond
	release, opened := make(chan struct{}), make(chan struct{})
	go db.view(ctx, func(*Tx) error { close(opened); <-release; return nil })
	<-opened
	if n, err := db.ScrubFreePages(ctx); err != errReadersBusy || n != 0 {
		t.Fatalf("scrub with a reader open: %d bytes, %v; want nothing and errReadersBusy", n, err)
	}
	close(release)
	n, err := db.ScrubFreePages(ctx)
	if err != nil || n == 0 {
		t.Fatalf("scrub without readers: %d bytes, %v", n, err)
	}
	if err := db.Verify(ctx); err != nil {
		t.Fatal(err)
	}
}
