package data

import (
	"bytes"
	"fmt"
)

// rewrite walks the entries of bucket under prefix (every entry with an empty one) and writes
// back the new value change returns for an entry (nil: unchanged), after the walk: bbolt must
// not be written while a cursor walks it. It returns how many entries it wrote.
func (tx *Tx) rewrite(bucket, prefix []byte, change func(k, v []byte) ([]byte, error)) (int, error) {
	type put struct{ k, v []byte }
	var puts []put
	c := tx.Bucket(bucket).Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		nv, err := change(k, v)
		if err != nil {
			return 0, err
		}
		if nv != nil {
			puts = append(puts, put{copyBytes(k), nv})
		}
	}
	b := tx.Bucket(bucket)
	for _, p := range puts {
		if err := b.Put(p.k, p.v); err != nil {
			return 0, fmt.Errorf("rewrite %s entry %x: %w", bucket, p.k, err)
		}
	}
	return len(puts), nil
}

// rewriteEvents rewrites the events under prefix that change edits (it reports whether it did).
func (tx *Tx) rewriteEvents(prefix []byte, change func(r *eventRecord) bool) (int, error) {
	return tx.rewrite(bucketEvents, prefix, func(k, v []byte) ([]byte, error) {
		var r eventRecord
		if err := decode(v, &r); err != nil {
			return nil, fmt.Errorf("event %x: %w", k, err)
		}
		if !change(&r) {
			return nil, nil
		}
		return encode(r)
	})
}
