package data

import (
	"context"
	"fmt"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

// TokenService implements ticket.TokenService.
type TokenService struct {
	db *DB
}

var _ ticket.TokenService = (*TokenService)(nil)

// NewTokenService returns the API tokens of db.
func NewTokenService(db *DB) *TokenService { return &TokenService{db: db} }

type tokenRecord struct {
	Name      string    `json:"n"`
	Role      string    `json:"r"`
	CreatedBy string    `json:"by,omitempty"`
	CreatedAt time.Time `json:"at"`
	LastUsed  time.Time `json:"used,omitzero"`
}

func (r *tokenRecord) token(id string) *ticket.Token {
	return &ticket.Token{ID: id, Name: r.Name, Role: ticket.Role(r.Role), CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt, LastUsed: r.LastUsed}
}

// CreateToken stores a token under its id (the hash of the secret).
func (s *TokenService) CreateToken(ctx context.Context, t *ticket.Token) error {
	if t.Name == "" {
		return ticket.FieldError("name", "Gi nøkkelen et navn.")
	}
	if !t.Role.Valid() {
		return ticket.FieldError("role", ticket.RoleChoice)
	}
	actor := ticket.ActorFromContext(ctx).Name
	return s.db.update(ctx, func(tx *Tx) error {
		t.CreatedAt, t.CreatedBy = tx.now, actor
		buf, err := encode(tokenRecord{Name: t.Name, Role: string(t.Role), CreatedBy: actor, CreatedAt: tx.now})
		if err != nil {
			return err
		}
		if err := tx.Bucket(bucketTokens).Put([]byte(t.ID), buf); err != nil {
			return fmt.Errorf("put token: %w", err)
		}
		return tx.addEvent(0, ticket.EventToken, actor, "", t.Name, "opprettet")
	})
}

// FindToken returns the token with id.
func (s *TokenService) FindToken(ctx context.Context, id string) (*ticket.Token, error) {
	var t *ticket.Token
	err := s.db.view(ctx, func(tx *Tx) error {
		v := tx.Bucket(bucketTokens).Get([]byte(id))
		if v == nil {
			return notFound("API-nøkkelen")
		}
		var r tokenRecord
		if err := decode(v, &r); err != nil {
			return fmt.Errorf("token: %w", err)
		}
		t = r.token(id)
		return nil
	})
	return t, err
}

// FindTokens returns every token (without secrets, which are never stored).
func (s *TokenService) FindTokens(ctx context.Context) ([]*ticket.Token, error) {
	var list []*ticket.Token
	err := s.db.view(ctx, func(tx *Tx) error {
		return tx.Bucket(bucketTokens).ForEach(func(k, v []byte) error {
			var r tokenRecord
			if err := decode(v, &r); err != nil {
				return fmt.Errorf("token: %w", err)
			}
			list = append(list, r.token(string(k)))
			return nil
		})
	})
	return list, err
}

// DeleteToken revokes a token.
func (s *TokenService) DeleteToken(ctx context.Context, id string) error {
	actor := ticket.ActorFromContext(ctx).Name
	return s.db.update(ctx, func(tx *Tx) error {
		v := tx.Bucket(bucketTokens).Get([]byte(id))
		if v == nil {
			return notFound("API-nøkkelen")
		}
		var r tokenRecord
		if err := decode(v, &r); err != nil {
			return err
		}
		if err := tx.Bucket(bucketTokens).Delete([]byte(id)); err != nil {
			return err
		}
		return tx.addEvent(0, ticket.EventToken, actor, "", r.Name, "slettet")
	})
}
