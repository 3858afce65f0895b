package data

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/RoaringBitmap/roaring/v2"
	bolt "go.etcd.io/bbolt"

	"github.com/ks-no/digihjelpen/ticket"
)

// The full-text index lives in the same bbolt file as the tickets (one backup, one lock). It
// is an inverted index of compressed bitmaps: for every term, one roaring bitmap of ticket ids
// per block of 65,536 ids. Writes only queue the ticket id (same transaction as the change);
// IndexSearch drains the queue in batches, so a mail or form submission pays one small put and
// the batch amortises the bitmap rewrites. See docs/PERFORMANCE.md for the measurements that
// chose this over bleve.
var (
	bucketSearchQueue = []byte("fts_queue") // ticket id -> nothing: to (re)index
	bucketSearchPost  = []byte("fts_post")  // term|0|block -> roaring bitmap of ticket ids
	bucketSearchDoc   = []byte("fts_doc")   // ticket id -> its indexed terms, \x00-separated
)

func init() { registerBuckets(bucketSearchQueue, bucketSearchPost, bucketSearchDoc) }

const blockBits = 16 // ids per posting block: 1 << 16, one roaring container

func postKey(term string, block uint32) []byte {
	return key(str0(term), u64(uint64(block))[4:])
}

// queueSearch marks a ticket for (re)indexing, in the caller's transaction.
func (tx *Tx) queueSearch(id uint64) error {
	if err := tx.Bucket(bucketSearchQueue).Put(u64(id), nil); err != nil {
		return fmt.Errorf("queue ticket %d for search: %w", id, err)
	}
	return nil
}

// migrateSearchQueue queues every existing ticket, so the index is built after an upgrade.
func migrateSearchQueue(btx *bolt.Tx) error {
	q := btx.Bucket(bucketSearchQueue)
	return btx.Bucket(bucketTickets).ForEach(func(k, _ []byte) error { return q.Put(k, nil) })
}

// SearchBacklog returns how many tickets wait to be indexed (for /metrics and tests).
func (db *DB) SearchBacklog(ctx context.Context) (int, error) {
	n := 0
	err := db.view(ctx, func(tx *Tx) error {
		n = tx.Bucket(bucketSearchQueue).Stats().KeyN
		return nil
	})
	return n, err
}

// IndexSearch indexes up to max queued tickets in one transaction and returns how many it
// did. Call it again while it returns max.
func (db *DB) IndexSearch(ctx context.Context, max int) (int, error) {
	n := 0
	err := db.update(ctx, func(tx *Tx) error {
		var ids [][]byte
		c := tx.Bucket(bucketSearchQueue).Cursor()
		for k, _ := c.First(); k != nil && len(ids) < max; k, _ = c.Next() {
			ids = append(ids, copyBytes(k))
		}
		changes := postingChanges{}
		for _, k := range ids {
			if err := tx.reindex(btou64(k), changes); err != nil {
				return err
			}
		}
		if err := tx.applyPostings(changes); err != nil {
			return err
		}
		for _, k := range ids {
			if err := tx.Bucket(bucketSearchQueue).Delete(k); err != nil {
				return err
			}
		}
		n = len(ids)
		return nil
	})
	return n, err
}

// postingChanges collects, per posting key, the ids to add (true) or remove (false).
type postingChanges map[string]map[uint32]bool

func (pc postingChanges) set(term string, id uint64, add bool) {
	k := string(postKey(term, uint32(id>>blockBits)))
	if pc[k] == nil {
		pc[k] = map[uint32]bool{}
	}
	pc[k][uint32(id)] = add
}

// reindex compares the stored terms of a ticket with its current ones and records the
// difference. A deleted ticket loses all its terms.
func (tx *Tx) reindex(id uint64, pc postingChanges) error {
	docs := tx.Bucket(bucketSearchDoc)
	var old []string
	if v := docs.Get(u64(id)); len(v) > 0 {
		old = strings.Split(string(v), "\x00")
	}
	now, err := tx.currentTerms(id)
	if err != nil {
		return err
	}
	i, j := 0, 0
	for i < len(old) || j < len(now) {
		switch {
		case j == len(now) || (i < len(old) && old[i] < now[j]):
			pc.set(old[i], id, false)
			i++
		case i == len(old) || now[j] < old[i]:
			pc.set(now[j], id, true)
			j++
		default:
			i, j = i+1, j+1
		}
	}
	if len(now) == 0 {
		return docs.Delete(u64(id))
	}
	return docs.Put(u64(id), []byte(strings.Join(now, "\x00")))
}

// currentTerms reads a ticket and its thread and returns their terms (none if it is gone).
func (tx *Tx) currentTerms(id uint64) ([]string, error) {
	t, err := tx.findTicket(id)
	if ticket.ErrorCode(err) == ticket.ENOTFOUND {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	msgs, err := tx.findMessages(id)
	if err != nil {
		return nil, err
	}
	return ticketTerms(t, msgs), nil
}

// applyPostings rewrites each changed bitmap once.
func (tx *Tx) applyPostings(pc postingChanges) error {
	if len(pc) > 0 {
		tx.postingsChanged()
	}
	b := tx.Bucket(bucketSearchPost)
	for k, ids := range pc {
		bm := roaring.New()
		if v := b.Get([]byte(k)); v != nil {
			if err := bm.UnmarshalBinary(v); err != nil {
				return fmt.Errorf("posting %q: %w", k, err)
			}
		}
		for id, add := range ids {
			if add {
				bm.Add(id)
			} else {
				bm.Remove(id)
			}
		}
		if bm.IsEmpty() {
			if err := b.Delete([]byte(k)); err != nil {
				return err
			}
			continue
		}
		bm.RunOptimize()
		buf, err := bm.ToBytes()
		if err != nil {
			return err
		}
		if err := b.Put([]byte(k), buf); err != nil {
			return fmt.Errorf("put posting: %w", err)
		}
	}
	return nil
}

// postings returns the bitmap of term in block, read in place (valid in the transaction); nil
// when no ticket of the block has term. A bitmap that cannot be read is an error: taken as
// empty, it would make searches and counts quietly miss tickets.
func (tx *Tx) postings(term string, block uint32) (*roaring.Bitmap, error) {
	v := tx.Bucket(bucketSearchPost).Get(postKey(term, block))
	if v == nil {
		return nil, nil
	}
	bm := roaring.New()
	if _, err := bm.FromBuffer(v); err != nil {
		return nil, fmt.Errorf("search index: posting %q in block %d: %w", term, block, err)
	}
	return bm, nil
}

// docFreq is the number of tickets that have term.
func (tx *Tx) docFreq(term string) (int, error) {
	n := 0
	prefix := str0(term)
	c := tx.Bucket(bucketSearchPost).Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		bm := roaring.New()
		if _, err := bm.FromBuffer(v); err != nil {
			return 0, fmt.Errorf("search index: posting %q: %w", k, err)
		}
		n += int(bm.GetCardinality())
	}
	return n, nil
}

// lastBlock is the block of the highest ticket id.
func (tx *Tx) lastBlock() uint32 {
	return uint32(tx.Bucket(bucketTickets).Sequence() >> blockBits)
}

// SearchIndexSize returns the bytes the full-text index uses in the file (postings and term
// lists, pages in use). It walks every page of the index: for measurements, not for a scrape.
func (db *DB) SearchIndexSize(ctx context.Context) (int64, error) {
	var n int64
	err := db.view(ctx, func(tx *Tx) error {
		for _, name := range [][]byte{bucketSearchPost, bucketSearchDoc, bucketSearchQueue} {
			st := tx.Bucket(name).Stats()
			n += int64(st.LeafInuse + st.BranchInuse)
		}
		return nil
	})
	return n, err
}
