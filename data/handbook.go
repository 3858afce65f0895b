package data

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

// The handbook: the current version of each article, every version, and the questions the
// public form's suggestions answered. A save writes the article, its version and its audit
// event in one transaction.
var (
	bucketHandbook         = []byte("handbook")          // slug -> current articleRecord (deleted ones too)
	bucketHandbookVersions = []byte("handbook_versions") // slug|0|version -> articleRecord
	bucketHandbookSelfHelp = []byte("handbook_selfhelp") // time|seq -> slug: a question an article answered
)

func init() { registerBuckets(bucketHandbook, bucketHandbookVersions, bucketHandbookSelfHelp) }

// HandbookService implements ticket.HandbookService.
type HandbookService struct {
	db *DB
	// Known says which agency keys an article may name; nil: any.
	Known func(agency string) bool
}

var _ ticket.HandbookService = (*HandbookService)(nil)

// NewHandbookService returns the handbook of db.
func NewHandbookService(db *DB) *HandbookService { return &HandbookService{db: db} }

type articleRecord struct {
	Slug      string    `json:"s"`
	Title     string    `json:"t"`
	Text      string    `json:"x"`
	Tags      []string  `json:"tags,omitempty"`
	Agencies  []string  `json:"ag,omitempty"`
	Version   int       `json:"v"`
	UpdatedBy string    `json:"by"`
	UpdatedAt time.Time `json:"at"`
	Deleted   bool      `json:"del,omitempty"`
}

func toArticleRecord(a *ticket.Article) articleRecord {
	return articleRecord{Slug: a.Slug, Title: a.Title, Text: a.Text, Tags: a.Tags, Agencies: a.Agencies, Version: a.Version,
		UpdatedBy: a.UpdatedBy, UpdatedAt: a.UpdatedAt, Deleted: a.Deleted}
}

func (r *articleRecord) article() *ticket.Article {
	return &ticket.Article{Slug: r.Slug, Title: r.Title, Text: r.Text, Tags: r.Tags, Agencies: r.Agencies, Version: r.Version,
		UpdatedBy: r.UpdatedBy, UpdatedAt: r.UpdatedAt, Deleted: r.Deleted}
}

func decodeArticle(k, v []byte) (*ticket.Article, error) {
	var r articleRecord
	if err := decode(v, &r); err != nil {
		return nil, fmt.Errorf("handbook article %q: %w", bytes.TrimRight(k, "\x00"), err)
	}
	return r.article(), nil
}

// latestArticle returns the stored current version of slug (deleted or not), or nil.
func (tx *Tx) latestArticle(slug string) (*ticket.Article, error) {
	v := tx.Bucket(bucketHandbook).Get([]byte(slug))
	if v == nil {
		return nil, nil
	}
	return decodeArticle([]byte(slug), v)
}

// FindArticle returns the current version of slug; ENOTFOUND when there is none.
func (s *HandbookService) FindArticle(ctx context.Context, slug string) (*ticket.Article, error) {
	var a *ticket.Article
	err := s.db.view(ctx, func(tx *Tx) (err error) {
		a, err = tx.latestArticle(slug)
		return err
	})
	if err == nil && (a == nil || a.Deleted) {
		return nil, notFound("artikkelen «" + slug + "» i håndboken")
	}
	return a, err
}

// FindArticles returns every article that exists, by title.
func (s *HandbookService) FindArticles(ctx context.Context) ([]*ticket.Article, error) {
	all, err := s.articles(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]*ticket.Article, len(all))
	for i, e := range all {
		out[i] = copyArticle(e.article)
	}
	return out, nil
}

// FindArticleVersions returns every version of slug, newest first.
func (s *HandbookService) FindArticleVersions(ctx context.Context, slug string) ([]*ticket.Article, error) {
	var list []*ticket.Article
	err := s.db.view(ctx, func(tx *Tx) error {
		prefix := str0(slug)
		c := tx.Bucket(bucketHandbookVersions).Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			a, err := decodeArticle(k, v)
			if err != nil {
				return err
			}
			list = append(list, a)
		}
		return nil
	})
	slices.Reverse(list)
	return list, err
}

// indexedArticle is an article with its search terms, as the suggestions need it.
type indexedArticle struct {
	article *ticket.Article
	terms   map[string]bool
}

// articles reads the existing articles with their terms, sorted by title, from the cache when
// nothing changed since it was filled.
func (s *HandbookService) articles(ctx context.Context) ([]indexedArticle, error) {
	list, generation := s.db.articles.get()
	if list != nil {
		return list, nil
	}
	list = []indexedArticle{}
	err := s.db.view(ctx, func(tx *Tx) error {
		return tx.Bucket(bucketHandbook).ForEach(func(k, v []byte) error {
			a, err := decodeArticle(k, v)
			if err != nil || a.Deleted {
				return err
			}
			list = append(list, indexedArticle{article: a, terms: articleTerms(a)})
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(list, func(i, j int) bool { return norwegianKey(list[i].article.Title) < norwegianKey(list[j].article.Title) })
	s.db.articles.put(list, generation)
	return list, nil
}

// articleTerms are the index terms of an article: its title, text and tags.
func articleTerms(a *ticket.Article) map[string]bool {
	set := map[string]bool{}
	add := func(w string) { set[w] = true }
	words(a.Title, add)
	words(a.Text, add)
	for _, t := range a.Tags {
		words(t, add)
	}
	return set
}

// copyArticle copies a shared article, so a caller that changes it changes no other's.
func copyArticle(a *ticket.Article) *ticket.Article {
	cp := *a
	cp.Tags, cp.Agencies = slices.Clone(a.Tags), slices.Clone(a.Agencies)
	return &cp
}
