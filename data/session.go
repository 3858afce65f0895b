package data

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

// SessionService implements ticket.SessionService: logged-in browsers survive a restart.
type SessionService struct {
	db *DB
}

var _ ticket.SessionService = (*SessionService)(nil)

// NewSessionService returns the sessions of db.
func NewSessionService(db *DB) *SessionService { return &SessionService{db: db} }

type sessionRecord struct {
	UserID    uint64    `json:"u"`
	CreatedAt time.Time `json:"at"`
	ExpiresAt time.Time `json:"exp"`
	LastSeen  time.Time `json:"seen"`
	IDToken   string    `json:"idt,omitempty"`
	// The provider session of an SSO session; records written before it came have neither,
	// which is what a password session has, so they need no migration.
	Issuer      string `json:"iss,omitempty"`
	ProviderSID string `json:"sid,omitempty"`
}

// CreateSession stores s under its id (the hash of the cookie secret).
func (s *SessionService) CreateSession(ctx context.Context, sess *ticket.Session) error {
	return s.db.update(ctx, func(tx *Tx) error {
		sess.CreatedAt, sess.LastSeen = tx.now, tx.now
		return tx.putSession(sess)
	})
}

func (tx *Tx) putSession(sess *ticket.Session) error {
	buf, err := encode(sessionRecord{UserID: sess.UserID, CreatedAt: sess.CreatedAt, ExpiresAt: sess.ExpiresAt, LastSeen: sess.LastSeen,
		IDToken: sess.IDToken, Issuer: sess.Issuer, ProviderSID: sess.ProviderSID})
	if err != nil {
		return err
	}
	return tx.Bucket(bucketSessions).Put([]byte(sess.ID), buf)
}

// FindSession returns the session, or ENOTFOUND when it is unknown or expired.
func (s *SessionService) FindSession(ctx context.Context, id string) (*ticket.Session, error) {
	var sess *ticket.Session
	err := s.db.view(ctx, func(tx *Tx) (err error) {
		sess, err = tx.findSession(id)
		return err
	})
	return sess, err
}

func (tx *Tx) findSession(id string) (*ticket.Session, error) {
	v := tx.Bucket(bucketSessions).Get([]byte(id))
	if v == nil {
		return nil, notFound("økten")
	}
	var r sessionRecord
	if err := decode(v, &r); err != nil {
		return nil, fmt.Errorf("session: %w", err)
	}
	if !tx.now.Before(r.ExpiresAt) {
		return nil, notFound("økten")
	}
	return &ticket.Session{ID: id, UserID: r.UserID, CreatedAt: r.CreatedAt, ExpiresAt: r.ExpiresAt, LastSeen: r.LastSeen,
		IDToken: r.IDToken, Issuer: r.Issuer, ProviderSID: r.ProviderSID}, nil
}

// TouchSession moves the expiry of an active session (sliding expiry).
func (s *SessionService) TouchSession(ctx context.Context, id string, seen, expires time.Time) error {
	return s.db.update(ctx, func(tx *Tx) error {
		sess, err := tx.findSession(id)
		if err != nil {
			return err
		}
		sess.LastSeen, sess.ExpiresAt = seen, expires
		return tx.putSession(sess)
	})
}

// DeleteSession logs a browser out.
func (s *SessionService) DeleteSession(ctx context.Context, id string) error {
	return s.db.update(ctx, func(tx *Tx) error {
		return tx.Bucket(bucketSessions).Delete([]byte(id))
	})
}

// DeleteExpiredSessions removes sessions that expired before now.
func (s *SessionService) DeleteExpiredSessions(ctx context.Context, now time.Time) (int, error) {
	return s.deleteWhere(ctx, func(r *sessionRecord) bool { return !now.Before(r.ExpiresAt) })
}

// DeleteUserSessions removes every session of a user, so a reset password or a disabled
// account takes effect in every browser at once.
func (s *SessionService) DeleteUserSessions(ctx context.Context, userID uint64) (int, error) {
	return s.deleteWhere(ctx, func(r *sessionRecord) bool { return r.UserID == userID })
}

// DeleteProviderSessions ends the sessions begun in the provider session sid of issuer: its
// front-channel logout. The sessions are found in a read transaction first, so a request for a
// session that is not here (most of them: one per app the person used at the provider) writes
// nothing. A scan rather than an index: the bucket holds one record per signed-in browser of
// the staff, and expired ones are swept.
func (s *SessionService) DeleteProviderSessions(ctx context.Context, issuer, sid string) (int, error) {
	if issuer == "" || sid == "" {
		return 0, nil
	}
	ofProvider := func(r *sessionRecord) bool { return r.Issuer == issuer && r.ProviderSID == sid }
	// Only a record with the sid as encode writes it is decoded: with a thousand sessions and
	// their ID tokens a miss takes 1.5 ms instead of 13 ms (BenchmarkDeleteProviderSessionsMiss).
	quoted, err := json.Marshal(sid)
	if err != nil {
		return 0, fmt.Errorf("front-channel logout: %w", err)
	}
	needle := append([]byte(`"sid":`), quoted...)
	var found bool
	err = s.db.view(ctx, func(tx *Tx) error {
		return tx.Bucket(bucketSessions).ForEach(func(_, v []byte) error {
			var r sessionRecord
			if !found && bytes.Contains(v, needle) && decode(v, &r) == nil && ofProvider(&r) {
				found = true
			}
			return nil
		})
	})
	if err != nil || !found {
		return 0, err
	}
	var n int
	err = s.db.update(ctx, func(tx *Tx) (err error) {
		n, err = tx.deleteSessionsWhere(ofProvider)
		return err
	})
	return n, err
}

// deleteWhere removes the sessions gone reports true for, and those that cannot be read.
func (s *SessionService) deleteWhere(ctx context.Context, gone func(*sessionRecord) bool) (int, error) {
	var n int
	err := s.db.update(ctx, func(tx *Tx) (err error) {
		n, err = tx.deleteSessionsWhere(gone)
		return err
	})
	return n, err
}

// deleteSessionsWhere is deleteWhere in the caller's transaction (a password reset ends the
// sessions in the same transaction as it sets the password).
func (tx *Tx) deleteSessionsWhere(gone func(*sessionRecord) bool) (int, error) {
	var doomed [][]byte
	err := tx.Bucket(bucketSessions).ForEach(func(k, v []byte) error {
		var r sessionRecord
		if err := decode(v, &r); err != nil || gone(&r) {
			doomed = append(doomed, copyBytes(k))
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	for _, k := range doomed { // delete after iterating, never during
		if err := tx.Bucket(bucketSessions).Delete(k); err != nil {
			return 0, err
		}
	}
	return len(doomed), nil
}
