package data

import (
	"context"
	"encoding/hex"

	bolt "go.etcd.io/bbolt"
)

// HasBlobForTest reports whether the attachment bytes with the hex SHA-256 are stored.
func (db *DB) HasBlobForTest(sha string) bool {
	sum, _ := hex.DecodeString(sha)
	found := false
	db.bolt.View(func(tx *bolt.Tx) error {
		found = tx.Bucket(bucketBlobs).Get(sum) != nil
		return nil
	})
	return found
}

// IndexSearchAllForTest drains the search queue, as the indexer job does.
func (db *DB) IndexSearchAllForTest(ctx context.Context) error {
	for {
		n, err := db.IndexSearch(ctx, 500)
		if err != nil || n < 500 {
			return err
		}
	}
}
