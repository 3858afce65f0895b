package data

import (
	"encoding/binary"

	bolt "go.etcd.io/bbolt"
)

// SetSchemaVersionForTest writes a schema version, to test what an old program does with a
// newer file.
func (db *DB) SetSchemaVersionForTest(v int) error {
	return db.bolt.Update(func(tx *bolt.Tx) error {
		b := make([]byte, 8)
		binary.BigEndian.PutUint64(b, uint64(v))
		return tx.Bucket(bucketMeta).Put(keySchemaVersion, b)
	})
}
