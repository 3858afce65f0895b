package data_test

import (
	"context"
	"testing"

	"github.com/ks-no/digihjelpen/data"
)

// TestMigrateFacets checks that opening a database from before the facet indexes fills them,
// and that Verify notices when they are missing.
func TestMigrateFacets(t *testing.T) {
	db, clock := mustOpenDB(t)
	seedTickets(t, db, clock, 40)
	if err := db.ClearFacetsForTest(); err != nil {
		t.Fatal(err)
	}
	if err := db.Verify(context.Background()); err == nil {
		t.Fatal("Verify passed with empty facet indexes")
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	again := data.NewDB(db.Path)
	again.Now = clock.Now
	if err := again.Open(); err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	mustVerify(t, again)
}
