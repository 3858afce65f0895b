package data

import bolt "go.etcd.io/bbolt"

// CorruptTicketForTest overwrites the record of ticket id with bytes no reader accepts, as a
// damaged file would hold, leaving its index entries in place.
func (db *DB) CorruptTicketForTest(id uint64) error {
	return db.bolt.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketTickets).Put(u64(id), []byte{0xff, '{'}) })
}

// CorruptSearchIndexForTest overwrites every bitmap of the search index with bytes no reader
// accepts. The intersections the inbox keeps in memory (facet_cache.go) were read before the
// damage and are still right; they go, so the next read meets the file.
func (db *DB) CorruptSearchIndexForTest() error {
	defer db.facets.bump()
	return db.bolt.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketSearchPost)
		var keys [][]byte
		if err := b.ForEach(func(k, _ []byte) error { keys = append(keys, copyBytes(k)); return nil }); err != nil {
			return err
		}
		for _, k := range keys {
			if err := b.Put(k, []byte{0x3b, 0x30}); err != nil {
				return err
			}
		}
		return nil
	})
}
