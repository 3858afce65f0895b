package data

import (
	"context"
	"sync"
)

// specialNeeds holds the register's «særskilt behov» flags in memory. The router asks for
// them inside the transaction that stores a new ticket, where a read transaction of its own
// could deadlock bbolt, so they are loaded when the file opens and kept in step by each save
// after it commits. Commit handlers may run out of order, so each flag keeps its version and
// an older one never overwrites a newer.
type specialNeeds struct {
	mu sync.RWMutex
	m  map[string]needVersion
}

type needVersion struct {
	need    bool
	version int
}

func (n *specialNeeds) set(number string, need bool, version int) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.m == nil {
		n.m = map[string]needVersion{}
	}
	if cur, ok := n.m[number]; ok && cur.version > version {
		return
	}
	n.m[number] = needVersion{need, version}
}

func (n *specialNeeds) get(number string) bool {
	n.mu.RLock()
	defer n.mu.RUnlock()
	return n.m[number].need
}

// loadSpecialNeeds reads the flags of every stored entry; Open calls it.
func (db *DB) loadSpecialNeeds() error {
	return db.view(context.Background(), func(tx *Tx) error {
		b := tx.Bucket(bucketRegister)
		if b == nil {
			return nil // a read-only file of an older schema
		}
		return b.ForEach(func(k, v []byte) error {
			o, err := decodeOffer(k, v)
			if err == nil {
				db.needs.set(o.Number, o.SpecialNeed, o.Version)
			}
			return err
		})
	})
}

// SpecialNeed reports whether the municipality (or county authority) with number is marked
// «særskilt behov». It reads memory only, so the router may call it inside a transaction.
func (s *RegisterService) SpecialNeed(number string) bool { return s.db.needs.get(number) }
