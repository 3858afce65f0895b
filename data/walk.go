package data

import (
	"bytes"

	bolt "go.etcd.io/bbolt"
)

// Walks from the end. bbolt's cursor cannot seek to the last key below a bound, so every
// reverse walk starts the same way: seek to the first key at or after the bound and step back
// once (or start at the last key when there is nothing at or after it). These helpers are
// that one way.

// seekBefore puts c on the last key below end (the last key of all when end is nil) and
// returns it.
func seekBefore(c *bolt.Cursor, end []byte) (k, v []byte) {
	if end == nil {
		return c.Last()
	}
	if k, _ = c.Seek(end); k == nil {
		return c.Last()
	}
	return c.Prev()
}

// prefixEnd is the first key after every key that starts with prefix, nil when there is none
// (an empty prefix, or one of 0xff bytes only).
func prefixEnd(prefix []byte) []byte {
	end := copyBytes(prefix)
	for i := len(end) - 1; i >= 0; i-- {
		if end[i] < 0xff {
			end[i]++
			return end[:i+1]
		}
	}
	return nil
}

// walkBack calls fn for the keys of c that start with prefix and lie below prefix|below (all
// of them when below is nil), last first, while fn says to go on.
func walkBack(c *bolt.Cursor, prefix, below []byte, fn func(k, v []byte) (bool, error)) error {
	end := prefixEnd(prefix)
	if below != nil {
		end = key(prefix, below)
	}
	for k, v := seekBefore(c, end); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Prev() {
		if more, err := fn(k, v); err != nil || !more {
			return err
		}
	}
	return nil
}
