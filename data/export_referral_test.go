package data

import bolt "go.etcd.io/bbolt"

// DropReferralIndexForTest empties idx_referral_open, as in a file from before the index.
func (db *DB) DropReferralIndexForTest() error {
	return db.bolt.Update(func(tx *bolt.Tx) error {
		if err := tx.DeleteBucket(idxReferralOpen); err != nil {
			return err
		}
		_, err := tx.CreateBucket(idxReferralOpen)
		return err
	})
}
