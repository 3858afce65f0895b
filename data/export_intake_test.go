package data

import bolt "go.etcd.io/bbolt"

// OutboxSizesForTest returns the number of outbox records and of due-index entries.
func (db *DB) OutboxSizesForTest() (records, due int) {
	db.bolt.View(func(tx *bolt.Tx) error {
		records, due = tx.Bucket(bucketOutbox).Stats().KeyN, tx.Bucket(idxOutboxDue).Stats().KeyN
		return nil
	})
	return records, due
}
