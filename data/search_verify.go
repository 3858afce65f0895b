package data

import (
	"fmt"
	"slices"
	"strings"

	"github.com/RoaringBitmap/roaring/v2"
)

// verifySearch checks the full-text index: the postings are exactly the inverse of the stored
// term lists, and every ticket that is not waiting in the queue has the terms its record and
// thread give now.
func (tx *Tx) verifySearch() error {
	queued := func(id []byte) bool { return tx.Bucket(bucketSearchQueue).Get(id) != nil }
	want := map[string]*roaring.Bitmap{}
	err := tx.Bucket(bucketSearchDoc).ForEach(func(k, v []byte) error {
		id := btou64(k)
		terms := strings.Split(string(v), "\x00")
		for _, term := range terms {
			pk := string(postKey(term, uint32(id>>blockBits)))
			if want[pk] == nil {
				want[pk] = roaring.New()
			}
			want[pk].Add(uint32(id))
		}
		if queued(k) {
			return nil
		}
		now, err := tx.currentTerms(id)
		if err != nil {
			return err
		}
		if !slices.Equal(now, terms) {
			return fmt.Errorf("search index: ticket %d has terms %q, want %q", id, terms, now)
		}
		return nil
	})
	if err != nil {
		return err
	}
	err = tx.Bucket(bucketTickets).ForEach(func(k, _ []byte) error {
		if !queued(k) && tx.Bucket(bucketSearchDoc).Get(k) == nil {
			return fmt.Errorf("search index: ticket %d is neither indexed nor queued", btou64(k))
		}
		return nil
	})
	if err != nil {
		return err
	}
	return tx.comparePostings(want)
}

func (tx *Tx) comparePostings(want map[string]*roaring.Bitmap) error {
	seen := 0
	err := tx.Bucket(bucketSearchPost).ForEach(func(k, v []byte) error {
		got := roaring.New()
		if err := got.UnmarshalBinary(v); err != nil {
			return fmt.Errorf("search index: posting %q: %w", k, err)
		}
		if w := want[string(k)]; w == nil || !w.Equals(got) {
			return fmt.Errorf("search index: posting %q is %v, want %v", k, got, w)
		}
		seen++
		return nil
	})
	if err == nil && seen != len(want) {
		err = fmt.Errorf("search index: %d postings, want %d", seen, len(want))
	}
	return err
}
