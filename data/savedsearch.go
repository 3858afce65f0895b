package data

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

// A search text is kept under an id made from it with a secret of this database, so the same
// search has the same URL (a bookmark and a shared link agree) while the id says nothing of the
// text without the file. A text unused for ticket.SearchKeptFor is forgotten when the next
// search is saved.
var (
	bucketSearches = []byte("searches")     // id -> search record
	idxSearchUsed  = []byte("idx_searches") // last used|id
)

func init() { registerBuckets(bucketSearches, idxSearchUsed) }

// SearchService implements ticket.SearchService.
type SearchService struct {
	db *DB
}

var _ ticket.SearchService = (*SearchService)(nil)

// NewSearchService returns the saved search texts of db.
func NewSearchService(db *DB) *SearchService { return &SearchService{db: db} }

type searchRecord struct {
	Text string    `json:"t"`
	Used time.Time `json:"u"`
}

// SaveSearch returns the id of text, keeping it (again) from now.
func (s *SearchService) SaveSearch(ctx context.Context, text string) (string, error) {
	secret, err := s.db.Secret(ctx, "searches")
	if err != nil {
		return "", err
	}
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(text))
	id := base64.RawURLEncoding.EncodeToString(mac.Sum(nil)[:12])
	return id, s.db.update(ctx, func(tx *Tx) error {
		if err := tx.forgetOldSearches(); err != nil {
			return err
		}
		return tx.putSearch(id, text)
	})
}

func (tx *Tx) putSearch(id, text string) error {
	b, idx := tx.Bucket(bucketSearches), tx.Bucket(idxSearchUsed)
	if v := b.Get([]byte(id)); v != nil {
		var old searchRecord
		if err := decode(v, &old); err != nil {
			return fmt.Errorf("search %s: %w", id, err)
		}
		if err := idx.Delete(key(timeKey(old.Used), []byte(id))); err != nil {
			return fmt.Errorf("unindex search %s: %w", id, err)
		}
	}
	buf, err := encode(searchRecord{Text: text, Used: tx.now})
	if err != nil {
		return err
	}
	if err := b.Put([]byte(id), buf); err != nil {
		return fmt.Errorf("put search %s: %w", id, err)
	}
	return idx.Put(key(timeKey(tx.now), []byte(id)), nil)
}

// forgetOldSearches deletes the texts nobody has used for SearchKeptFor.
func (tx *Tx) forgetOldSearches() error {
	limit := timeKey(tx.now.Add(-ticket.SearchKeptFor))
	var old [][]byte
	c := tx.Bucket(idxSearchUsed).Cursor()
	for k, _ := c.First(); k != nil && bytes.Compare(k[:8], limit) < 0; k, _ = c.Next() {
		old = append(old, copyBytes(k))
	}
	for _, k := range old {
		if err := tx.Bucket(bucketSearches).Delete(k[8:]); err != nil {
			return fmt.Errorf("forget search: %w", err)
		}
		if err := tx.Bucket(idxSearchUsed).Delete(k); err != nil {
			return fmt.Errorf("forget search: %w", err)
		}
	}
	return nil
}

// deleteSearch deletes the text saved under id, with its place in the index of use.
func (tx *Tx) deleteSearch(id string) error {
	v := tx.Bucket(bucketSearches).Get([]byte(id))
	if v == nil {
		return nil
	}
	var r searchRecord
	if err := decode(v, &r); err != nil {
		return fmt.Errorf("search %s: %w", id, err)
	}
	if err := tx.Bucket(idxSearchUsed).Delete(key(timeKey(r.Used), []byte(id))); err != nil {
		return fmt.Errorf("unindex search %s: %w", id, err)
	}
	if err := tx.Bucket(bucketSearches).Delete([]byte(id)); err != nil {
		return fmt.Errorf("delete search %s: %w", id, err)
	}
	return nil
}

// FindSearch returns the text saved under id.
func (s *SearchService) FindSearch(ctx context.Context, id string) (string, error) {
	var r searchRecord
	err := s.db.view(ctx, func(tx *Tx) error {
		v := tx.Bucket(bucketSearches).Get([]byte(id))
		if v == nil {
			return ticket.Errorf(ticket.ENOTFOUND, "Søket finnes ikke lenger (søk som ikke er brukt på %d dager, glemmes). Søk på nytt.", int(ticket.SearchKeptFor.Hours()/24))
		}
		return decode(v, &r)
	})
	return r.Text, err
}
