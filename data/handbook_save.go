package data

import (
	"context"
	"fmt"

	"github.com/ks-no/digihjelpen/ticket"
)

// CreateArticle stores a new article as its first version, or as the next one after a
// deleted article of the same slug.
func (s *HandbookService) CreateArticle(ctx context.Context, a *ticket.Article) error {
	a.Normalize()
	if err := a.Validate(s.Known); err != nil {
		return err
	}
	actor := ticket.ActorFromContext(ctx).Name
	return s.db.update(ctx, func(tx *Tx) error {
		last, err := tx.latestArticle(a.Slug)
		if err != nil {
			return err
		}
		if last != nil && !last.Deleted {
			return ticket.FieldErrors{ticket.FieldError("adresse", "Det finnes allerede en artikkel med adressen «%s» («%s»). Velg en annen adresse, eller endre den som finnes.", a.Slug, last.Title)}
		}
		version := 1
		if last != nil {
			version = last.Version + 1
		}
		return tx.putArticle(a, version, actor, "opprettet")
	})
}

// SaveArticle stores a as the next version of a.Slug, unless someone saved since ifVersion.
// A save that changes nothing writes nothing.
func (s *HandbookService) SaveArticle(ctx context.Context, a *ticket.Article, ifVersion int) error {
	a.Normalize()
	if err := a.Validate(s.Known); err != nil {
		return err
	}
	actor := ticket.ActorFromContext(ctx).Name
	return s.db.update(ctx, func(tx *Tx) error {
		cur, err := tx.currentArticle(a.Slug, ifVersion)
		if err != nil {
			return err
		}
		if a.SameContent(cur) {
			a.Version, a.UpdatedBy, a.UpdatedAt = cur.Version, cur.UpdatedBy, cur.UpdatedAt
			return nil
		}
		return tx.putArticle(a, cur.Version+1, actor, fmt.Sprintf("versjon %d lagret", cur.Version+1))
	})
}

// DeleteArticle records the deletion of slug as its next version; its versions stay.
func (s *HandbookService) DeleteArticle(ctx context.Context, slug string, ifVersion int) error {
	actor := ticket.ActorFromContext(ctx).Name
	return s.db.update(ctx, func(tx *Tx) error {
		cur, err := tx.currentArticle(slug, ifVersion)
		if err != nil {
			return err
		}
		gone := &ticket.Article{Slug: cur.Slug, Title: cur.Title, Text: cur.Text, Tags: cur.Tags, Agencies: cur.Agencies, Deleted: true}
		return tx.putArticle(gone, cur.Version+1, actor, "slettet")
	})
}

// currentArticle returns the existing article slug, refusing a change made from an older
// version than the current one.
func (tx *Tx) currentArticle(slug string, ifVersion int) (*ticket.Article, error) {
	cur, err := tx.latestArticle(slug)
	if err != nil {
		return nil, err
	}
	if cur == nil || cur.Deleted {
		return nil, notFound("artikkelen «" + slug + "» i håndboken")
	}
	if cur.Version != ifVersion {
		return nil, ticket.Errorf(ticket.ECONFLICT, "Artikkelen «%s» er endret av %s siden du åpnet den (nå versjon %d). Det du skrev, står i skjemaet; se gjennom og lagre igjen.", cur.Title, cur.UpdatedBy, cur.Version)
	}
	return cur, nil
}

// ImportArticles creates or saves every article that differs from the current one, in one
// transaction: all of them or none.
func (s *HandbookService) ImportArticles(ctx context.Context, list []*ticket.Article) (ticket.HandbookImport, error) {
	var res ticket.HandbookImport
	for _, a := range list {
		a.Normalize()
		if err := a.Validate(s.Known); err != nil {
			return res, fmt.Errorf("%s: %w", a.Slug, err)
		}
	}
	actor := ticket.ActorFromContext(ctx).Name
	err := s.db.update(ctx, func(tx *Tx) error {
		res = ticket.HandbookImport{}
		for _, a := range list {
			last, err := tx.latestArticle(a.Slug)
			if err != nil {
				return err
			}
			switch {
			case last != nil && !last.Deleted && a.SameContent(last):
				res.Unchanged++
				continue
			case last == nil || last.Deleted:
				res.Created++
			default:
				res.Changed++
			}
			version := 1
			if last != nil {
				version = last.Version + 1
			}
			if err := tx.putArticle(a, version, actor, fmt.Sprintf("versjon %d lest inn", version)); err != nil {
				return err
			}
		}
		return nil
	})
	return res, err
}

// putArticle writes a as version of its slug, with the audit event, and empties the cache of
// the suggestions once the transaction commits.
func (tx *Tx) putArticle(a *ticket.Article, version int, actor, what string) error {
	a.Version, a.UpdatedBy, a.UpdatedAt = version, actor, tx.now
	buf, err := encode(toArticleRecord(a))
	if err != nil {
		return err
	}
	if err := tx.Bucket(bucketHandbook).Put([]byte(a.Slug), buf); err != nil {
		return fmt.Errorf("put article %s: %w", a.Slug, err)
	}
	if err := tx.Bucket(bucketHandbookVersions).Put(key(str0(a.Slug), u64(uint64(version))), buf); err != nil {
		return fmt.Errorf("put article %s version %d: %w", a.Slug, version, err)
	}
	if err := tx.addEvent(0, ticket.EventHandbook, actor, "", a.Slug, fmt.Sprintf("«%s» %s", a.Title, what)); err != nil {
		return err
	}
	tx.OnCommit(tx.db.articles.clear)
	return nil
}
