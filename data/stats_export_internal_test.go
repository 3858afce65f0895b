package data

import bolt "go.etcd.io/bbolt"

// SetStatsRebuildBatchForTest makes the statistics rebuild take n tickets per transaction.
func SetStatsRebuildBatchForTest(n int) { statsRebuildBatch = n }

// MarkStatsRebuildForTest marks the statistics as rebuilt up to ticket id, as after a crash.
func (db *DB) MarkStatsRebuildForTest(id uint64) error {
	return db.bolt.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Put(keyStatsRebuild, u64(id)) })
}
