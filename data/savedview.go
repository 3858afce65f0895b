package data

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

// Saved views are few (tens), so they are one bucket read whole.
var bucketSavedViews = []byte("saved_views") // id -> view record

func init() { registerBuckets(bucketSavedViews) }

// SavedViewService implements ticket.SavedViewService.
type SavedViewService struct {
	db *DB
}

var _ ticket.SavedViewService = (*SavedViewService)(nil)

// NewSavedViewService returns the saved inbox views of db.
func NewSavedViewService(db *DB) *SavedViewService { return &SavedViewService{db: db} }

type savedViewRecord struct {
	ID        uint64    `json:"id"`
	Name      string    `json:"n"`
	OwnerID   uint64    `json:"o,omitempty"`
	Query     string    `json:"q"`
	CreatedBy string    `json:"by,omitempty"`
	CreatedAt time.Time `json:"at"`
}

func (r *savedViewRecord) view() *ticket.SavedView {
	return &ticket.SavedView{ID: r.ID, Name: r.Name, OwnerID: r.OwnerID, Query: r.Query, CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt}
}

func (tx *Tx) savedViews(userID uint64) ([]*ticket.SavedView, error) {
	var list []*ticket.SavedView
	err := tx.Bucket(bucketSavedViews).ForEach(func(k, v []byte) error {
		var r savedViewRecord
		if err := decode(v, &r); err != nil {
			return fmt.Errorf("saved view %d: %w", btou64(k), err)
		}
		if r.OwnerID == 0 || r.OwnerID == userID {
			list = append(list, r.view())
		}
		return nil
	})
	slices.SortFunc(list, func(a, b *ticket.SavedView) int {
		return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
	})
	return list, err
}

// FindSavedViews returns the user's own views and the shared ones, by name.
func (s *SavedViewService) FindSavedViews(ctx context.Context, userID uint64) ([]*ticket.SavedView, error) {
	var list []*ticket.SavedView
	err := s.db.view(ctx, func(tx *Tx) (err error) {
		list, err = tx.savedViews(userID)
		return err
	})
	return list, err
}

// FindSavedView returns one view; ENOTFOUND when there is none.
func (s *SavedViewService) FindSavedView(ctx context.Context, id uint64) (*ticket.SavedView, error) {
	var out *ticket.SavedView
	err := s.db.view(ctx, func(tx *Tx) error {
		v := tx.Bucket(bucketSavedViews).Get(u64(id))
		if v == nil {
			return notFound("visningen")
		}
		var r savedViewRecord
		if err := decode(v, &r); err != nil {
			return fmt.Errorf("saved view %d: %w", id, err)
		}
		out = r.view()
		return nil
	})
	return out, err
}

// CreateSavedView stores v; a name the owner already sees (own or shared) is refused.
func (s *SavedViewService) CreateSavedView(ctx context.Context, v *ticket.SavedView) error {
	if err := v.Validate(); err != nil {
		return err
	}
	actor := ticket.ActorFromContext(ctx).Name
	return s.db.update(ctx, func(tx *Tx) error {
		seen, err := tx.savedViews(v.OwnerID)
		if err != nil {
			return err
		}
		for _, o := range seen {
			if strings.EqualFold(o.Name, v.Name) && (v.Shared() || o.OwnerID == v.OwnerID || o.Shared()) {
				return ticket.FieldError("navn", "Det finnes alt en visning som heter «%s».", o.Name)
			}
		}
		id, err := tx.Bucket(bucketSavedViews).NextSequence()
		if err != nil {
			return fmt.Errorf("next saved view id: %w", err)
		}
		v.ID, v.CreatedAt, v.CreatedBy = id, tx.now, actor
		buf, err := encode(savedViewRecord{ID: v.ID, Name: v.Name, OwnerID: v.OwnerID, Query: v.Query, CreatedBy: v.CreatedBy, CreatedAt: v.CreatedAt})
		if err != nil {
			return err
		}
		if err := tx.Bucket(bucketSavedViews).Put(u64(id), buf); err != nil {
			return fmt.Errorf("put saved view %d: %w", id, err)
		}
		return nil
	})
}

// DeleteSavedView removes a view.
func (s *SavedViewService) DeleteSavedView(ctx context.Context, id uint64) error {
	return s.db.update(ctx, func(tx *Tx) error {
		if tx.Bucket(bucketSavedViews).Get(u64(id)) == nil {
			return notFound("visningen")
		}
		if err := tx.Bucket(bucketSavedViews).Delete(u64(id)); err != nil {
			return fmt.Errorf("delete saved view %d: %w", id, err)
		}
		return nil
	})
}
