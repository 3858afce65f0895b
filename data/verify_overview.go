package data

import (
	"bytes"
	"fmt"
)

// verifyOverview checks what the overview keeps (issue 16) against its records: the index of
// the requesters' answers by time (and that each answer's ticket exists), and that the current
// entry of the register and the current article of the handbook are each their newest version.
func (tx *Tx) verifyOverview() error {
	want := map[string][]byte{}
	err := tx.Bucket(bucketFeedback).ForEach(func(k, _ []byte) error {
		f, err := tx.findFeedback(btou64(k))
		if err != nil {
			return err
		}
		if tx.Bucket(bucketTickets).Get(k) == nil {
			return fmt.Errorf("feedback of ticket %d, which does not exist", btou64(k))
		}
		want[string(key(timeKey(f.At), k))] = nil
		return nil
	})
	if err != nil {
		return err
	}
	if err := compareBucket(tx, string(idxFeedbackAt), want); err != nil {
		return err
	}
	for _, pair := range [][2][]byte{{bucketRegister, bucketRegisterVersions}, {bucketHandbook, bucketHandbookVersions}} {
		if err := tx.verifyNewestVersions(pair[0], pair[1]); err != nil {
			return err
		}
	}
	return nil
}

// verifyNewestVersions checks that each record of current is the last version of its name in
// versions (name|0|version keys).
func (tx *Tx) verifyNewestVersions(current, versions []byte) error {
	return tx.Bucket(current).ForEach(func(k, v []byte) error {
		c := tx.Bucket(versions).Cursor()
		prefix := str0(string(k))
		var last []byte
		for vk, vv := c.Seek(prefix); vk != nil && bytes.HasPrefix(vk, prefix); vk, vv = c.Next() {
			last = vv
		}
		if !bytes.Equal(last, v) {
			return fmt.Errorf("%s %q is not its newest version in %s", current, k, versions)
		}
		return nil
	})
}
