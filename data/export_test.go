package data

import (
	"bytes"
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

// ClearFacetsForTest empties the facet and deadline indexes and counters, as a database from
// before schema 3 had them, and sets the schema version to 2.
func (db *DB) ClearFacetsForTest() error {
	return db.bolt.Update(func(tx *bolt.Tx) error {
		for _, name := range [][]byte{idxFacetUpdated, bucketFacetN, idxDue, bucketDueN} {
			if err := tx.DeleteBucket(name); err != nil {
				return err
			}
			if _, err := tx.CreateBucket(name); err != nil {
				return err
			}
		}
		return tx.Bucket(bucketMeta).Put(keySchemaVersion, u64(2))
	})
}

// DropPostingsForTest deletes every posting of a (stemmed) term, to test that Verify notices.
func (db *DB) DropPostingsForTest(term string) error {
	return db.bolt.Update(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketSearchPost).Cursor()
		var keys [][]byte
		for k, _ := c.Seek(str0(term)); k != nil && bytes.HasPrefix(k, str0(term)); k, _ = c.Next() {
			keys = append(keys, copyBytes(k))
		}
		for _, k := range keys {
			if err := tx.Bucket(bucketSearchPost).Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
}
