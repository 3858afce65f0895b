package data

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

type cannedRecord struct {
	ID        uint64    `json:"id"`
	Title     string    `json:"title"`
	Text      string    `json:"text"`
	UpdatedBy string    `json:"by"`
	UpdatedAt time.Time `json:"at"`
	CreatedAt time.Time `json:"cat"`
}

func (r *cannedRecord) canned() *ticket.CannedResponse {
	return &ticket.CannedResponse{ID: r.ID, Title: r.Title, Text: r.Text, UpdatedBy: r.UpdatedBy, UpdatedAt: r.UpdatedAt, CreatedAt: r.CreatedAt}
}

// FindCannedResponses returns every canned response, by title as Norwegians sort (æ, ø, å last).
func (s *TemplateService) FindCannedResponses(ctx context.Context) ([]*ticket.CannedResponse, error) {
	var list []*ticket.CannedResponse
	err := s.db.view(ctx, func(tx *Tx) error {
		return tx.Bucket(bucketCanned).ForEach(func(k, v []byte) error {
			var r cannedRecord
			if err := decode(v, &r); err != nil {
				return fmt.Errorf("canned response %d: %w", btou64(k), err)
			}
			list = append(list, r.canned())
			return nil
		})
	})
	sort.SliceStable(list, func(i, j int) bool { return norwegianKey(list[i].Title) < norwegianKey(list[j].Title) })
	return list, err
}

var norwegianLetters = strings.NewReplacer("æ", "{0", "ø", "{1", "å", "{2")

// norwegianKey sorts æ, ø and å after z, as in the Norwegian alphabet.
func norwegianKey(s string) string { return norwegianLetters.Replace(strings.ToLower(s)) }

// FindCannedResponse returns one canned response.
func (s *TemplateService) FindCannedResponse(ctx context.Context, id uint64) (*ticket.CannedResponse, error) {
	var r *ticket.CannedResponse
	err := s.db.view(ctx, func(tx *Tx) (err error) {
		r, err = tx.findCanned(id)
		return err
	})
	return r, err
}

func (tx *Tx) findCanned(id uint64) (*ticket.CannedResponse, error) {
	v := tx.Bucket(bucketCanned).Get(u64(id))
	if v == nil {
		return nil, notFound("svarmalen")
	}
	var r cannedRecord
	if err := decode(v, &r); err != nil {
		return nil, fmt.Errorf("canned response %d: %w", id, err)
	}
	return r.canned(), nil
}

// SaveCannedResponse creates r (ID 0) or replaces the one with r.ID.
func (s *TemplateService) SaveCannedResponse(ctx context.Context, r *ticket.CannedResponse) error {
	if err := r.Validate(); err != nil {
		return err
	}
	actor := ticket.ActorFromContext(ctx).Name
	return s.db.update(ctx, func(tx *Tx) error {
		detail := "opprettet"
		if r.ID == 0 {
			id, err := tx.Bucket(bucketCanned).NextSequence()
			if err != nil {
				return fmt.Errorf("next canned response id: %w", err)
			}
			r.ID, r.CreatedAt = id, tx.now
		} else {
			old, err := tx.findCanned(r.ID)
			if err != nil {
				return err
			}
			r.CreatedAt, detail = old.CreatedAt, "endret"
		}
		r.UpdatedBy, r.UpdatedAt = actor, tx.now
		buf, err := encode(cannedRecord{ID: r.ID, Title: r.Title, Text: r.Text, UpdatedBy: actor, UpdatedAt: tx.now, CreatedAt: r.CreatedAt})
		if err != nil {
			return err
		}
		if err := tx.Bucket(bucketCanned).Put(u64(r.ID), buf); err != nil {
			return fmt.Errorf("put canned response %d: %w", r.ID, err)
		}
		return tx.addEvent(0, ticket.EventTemplate, actor, "", "svarmal", fmt.Sprintf("«%s» %s", r.Title, detail))
	})
}

// DeleteCannedResponse removes a canned response and records who did it.
func (s *TemplateService) DeleteCannedResponse(ctx context.Context, id uint64) error {
	actor := ticket.ActorFromContext(ctx).Name
	return s.db.update(ctx, func(tx *Tx) error {
		r, err := tx.findCanned(id)
		if err != nil {
			return err
		}
		if err := tx.Bucket(bucketCanned).Delete(u64(id)); err != nil {
			return fmt.Errorf("delete canned response %d: %w", id, err)
		}
		return tx.addEvent(0, ticket.EventTemplate, actor, "", "svarmal", fmt.Sprintf("«%s» slettet", r.Title))
	})
}
