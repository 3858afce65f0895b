package data

import bolt "go.etcd.io/bbolt"

// CorruptTicketForTest overwrites the record of ticket id with bytes no reader accepts, as a
// damaged file would hold, leaving its index entries in place.
func (db *DB) CorruptTicketForTest(id uint64) error {
	return db.bolt.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketTickets).Put(u64(id), []byte{0xff, '{'}) })
}
