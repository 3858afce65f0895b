package data

import (
	"context"
	"fmt"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

type passwordResetRecord struct {
	UserID    uint64    `json:"u"`
	CreatedAt time.Time `json:"at"`
	ExpiresAt time.Time `json:"exp"`
}

// CreatePasswordReset stores a link's hash; expired links of anyone are swept on the way, so
// the bucket holds at most the links of the last half hour.
func (s *AccountService) CreatePasswordReset(ctx context.Context, r *ticket.PasswordReset, mail *ticket.OutboundMail) error {
	return s.db.update(ctx, func(tx *Tx) error {
		if _, err := tx.localUser(r.UserID); err != nil {
			return err
		}
		if err := tx.sweepPasswordResets(); err != nil {
			return err
		}
		r.CreatedAt = tx.now
		buf, err := encode(passwordResetRecord{UserID: r.UserID, CreatedAt: r.CreatedAt, ExpiresAt: r.ExpiresAt})
		if err != nil {
			return err
		}
		if err := tx.Bucket(bucketPasswordResets).Put([]byte(r.TokenHash), buf); err != nil {
			return fmt.Errorf("put password reset: %w", err)
		}
		if err := tx.enqueueMails(nil, []*ticket.OutboundMail{mail}); err != nil {
			return err
		}
		u, err := tx.findUser(r.UserID)
		if err != nil {
			return err
		}
		return tx.addEvent(0, ticket.EventUser, ticket.ActorFromContext(ctx).Name, "", u.Email, "lenke for nytt passord sendt")
	})
}

func (tx *Tx) sweepPasswordResets() error {
	var doomed [][]byte
	err := tx.Bucket(bucketPasswordResets).ForEach(func(k, v []byte) error {
		var r passwordResetRecord
		if err := decode(v, &r); err != nil || !tx.now.Before(r.ExpiresAt) {
			doomed = append(doomed, copyBytes(k))
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range doomed {
		if err := tx.Bucket(bucketPasswordResets).Delete(k); err != nil {
			return err
		}
	}
	return nil
}

func (tx *Tx) findPasswordReset(tokenHash string) (*ticket.PasswordReset, error) {
	v := tx.Bucket(bucketPasswordResets).Get([]byte(tokenHash))
	if v == nil {
		return nil, notFound("lenken")
	}
	var r passwordResetRecord
	if err := decode(v, &r); err != nil {
		return nil, fmt.Errorf("password reset: %w", err)
	}
	if !tx.now.Before(r.ExpiresAt) {
		return nil, notFound("lenken")
	}
	return &ticket.PasswordReset{TokenHash: tokenHash, UserID: r.UserID, CreatedAt: r.CreatedAt, ExpiresAt: r.ExpiresAt}, nil
}

// FindPasswordReset returns the link if it still works.
func (s *AccountService) FindPasswordReset(ctx context.Context, tokenHash string) (*ticket.PasswordReset, error) {
	var r *ticket.PasswordReset
	err := s.db.view(ctx, func(tx *Tx) (err error) {
		r, err = tx.findPasswordReset(tokenHash)
		return err
	})
	return r, err
}

// UsePasswordReset sets the password and spends the link, every other link of the user, and
// every session: whoever knew the old password is out.
func (s *AccountService) UsePasswordReset(ctx context.Context, tokenHash, passwordHash string) (*ticket.User, error) {
	var u *ticket.User
	err := s.db.update(ctx, func(tx *Tx) error {
		r, err := tx.findPasswordReset(tokenHash)
		if err != nil {
			return err
		}
		if u, err = tx.localUser(r.UserID); err != nil {
			return err
		}
		if u.Disabled {
			return notFound("lenken")
		}
		u.PasswordHash = passwordHash
		if err := tx.putUser(u); err != nil {
			return err
		}
		var doomed [][]byte
		err = tx.Bucket(bucketPasswordResets).ForEach(func(k, v []byte) error {
			var rr passwordResetRecord
			if decode(v, &rr) != nil || rr.UserID == u.ID {
				doomed = append(doomed, copyBytes(k))
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, k := range doomed {
			if err := tx.Bucket(bucketPasswordResets).Delete(k); err != nil {
				return err
			}
		}
		if _, err := tx.deleteSessionsWhere(func(sr *sessionRecord) bool { return sr.UserID == u.ID }); err != nil {
			return err
		}
		return tx.addEvent(0, ticket.EventUser, u.Email, "", u.Email, "endret: passord (glemt passord-lenke)")
	})
	return u, err
}

// CountRecentPasswordResets counts the user's links created since since (unexpired ones).
func (s *AccountService) CountRecentPasswordResets(ctx context.Context, userID uint64, since time.Time) (int, error) {
	var n int
	err := s.db.view(ctx, func(tx *Tx) error {
		return tx.Bucket(bucketPasswordResets).ForEach(func(k, v []byte) error {
			var r passwordResetRecord
			if decode(v, &r) == nil && r.UserID == userID && !r.CreatedAt.Before(since) {
				n++
			}
			return nil
		})
	})
	return n, err
}
