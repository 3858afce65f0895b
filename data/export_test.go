package data

import (
	"bytes"
	"context"
	"crypto/sha256"
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

// SetChunkSizeForTest makes the chunks large values are stored in size bytes.
func (db *DB) SetChunkSizeForTest(size int) { db.chunkSize = size }

// StoreAheadForTest stores a file (source false) or a mail source ahead of its mail, as intake
// does before the mail's transaction, and returns its SHA-256.
func (db *DB) StoreAheadForTest(ctx context.Context, value []byte, source bool) ([]byte, error) {
	kind := chunkFile
	if source {
		kind = chunkSource
	}
	sum := sha256.Sum256(value)
	return sum[:], db.storeAhead(ctx, kind, sum[:], value)
}

// ChunkedValueForTest returns a value stored in chunks (nil when there is none).
func (db *DB) ChunkedValueForTest(sum []byte, source bool) ([]byte, error) {
	kind := chunkFile
	if source {
		kind = chunkSource
	}
	var v []byte
	err := db.view(context.Background(), func(tx *Tx) (err error) {
		v, err = tx.chunkedValue(kind, sum)
		return err
	})
	return v, err
}

// CountForTest returns how many keys bucket name holds (chunks, chunked, chunk_pending,
// raw_ref, raw, blobs).
func (db *DB) CountForTest(name string) int {
	n := 0
	_ = db.bolt.View(func(tx *bolt.Tx) error {
		n = tx.Bucket([]byte(name)).Stats().KeyN
		return nil
	})
	return n
}

// CrashMidChunksForTest leaves what a crash after the first chunk of a value leaves: that chunk
// and the pending mark, no manifest.
func (db *DB) CrashMidChunksForTest(ctx context.Context, value []byte) error {
	sum := sha256.Sum256(value)
	return db.update(ctx, func(tx *Tx) error {
		k := chunkedKey(chunkFile, sum[:])
		if err := tx.Bucket(bucketChunkPending).Put(k, u64(uint64(tx.now.UnixNano()))); err != nil {
			return err
		}
		return tx.Bucket(bucketChunks).Put(chunkName(chunkFile, sum[:], 0), value[:min(len(value), db.chunkBytes())])
	})
}
