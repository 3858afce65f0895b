package data

import (
	"context"
	"fmt"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

// UserService implements ticket.UserService.
type UserService struct {
	db *DB
}

var _ ticket.UserService = (*UserService)(nil)

// NewUserService returns the staff accounts of db.
func NewUserService(db *DB) *UserService { return &UserService{db: db} }

type userRecord struct {
	ID           uint64    `json:"id"`
	Email        string    `json:"e"`
	Name         string    `json:"n"`
	Role         string    `json:"r"`
	PasswordHash string    `json:"pw"`
	Disabled     bool      `json:"off,omitempty"`
	CreatedAt    time.Time `json:"at"`
	LastLoginAt  time.Time `json:"login,omitzero"`
	SSOSubject   string    `json:"sso,omitempty"`
	TwoFactor    bool      `json:"2fa,omitempty"`
	Signature    string    `json:"sig,omitempty"`
}

func (r *userRecord) user() *ticket.User {
	return &ticket.User{ID: r.ID, Email: r.Email, Name: r.Name, Role: ticket.Role(r.Role), PasswordHash: r.PasswordHash,
		Disabled: r.Disabled, CreatedAt: r.CreatedAt, LastLoginAt: r.LastLoginAt, SSOSubject: r.SSOSubject, TwoFactor: r.TwoFactor, Signature: r.Signature}
}

func toUserRecord(u *ticket.User) *userRecord {
	return &userRecord{ID: u.ID, Email: u.Email, Name: u.Name, Role: string(u.Role), PasswordHash: u.PasswordHash,
		Disabled: u.Disabled, CreatedAt: u.CreatedAt, LastLoginAt: u.LastLoginAt, SSOSubject: u.SSOSubject, TwoFactor: u.TwoFactor, Signature: u.Signature}
}

// FindUserByID returns the user with id.
func (s *UserService) FindUserByID(ctx context.Context, id uint64) (*ticket.User, error) {
	var u *ticket.User
	err := s.db.view(ctx, func(tx *Tx) (err error) {
		u, err = tx.findUser(id)
		return err
	})
	return u, err
}

// FindUserByEmail returns the user with the address (case-insensitive).
func (s *UserService) FindUserByEmail(ctx context.Context, email string) (*ticket.User, error) {
	e, err := ticket.NormalizeEmail(email)
	if err != nil {
		return nil, notFound("brukeren")
	}
	var u *ticket.User
	err = s.db.view(ctx, func(tx *Tx) (err error) {
		id := tx.Bucket(idxUserEmail).Get([]byte(e))
		if id == nil {
			return notFound("brukeren")
		}
		u, err = tx.findUser(btou64(id))
		return err
	})
	return u, err
}

func (tx *Tx) findUser(id uint64) (*ticket.User, error) {
	v := tx.Bucket(bucketUsers).Get(u64(id))
	if v == nil {
		return nil, notFound("brukeren")
	}
	var r userRecord
	if err := decode(v, &r); err != nil {
		return nil, fmt.Errorf("user %d: %w", id, err)
	}
	return r.user(), nil
}

// FindUsers returns every user in the order they were created.
func (s *UserService) FindUsers(ctx context.Context) ([]*ticket.User, error) {
	var list []*ticket.User
	err := s.db.view(ctx, func(tx *Tx) (err error) {
		list, err = tx.findUsers()
		return err
	})
	return list, err
}

// findUsers reads every user.
func (tx *Tx) findUsers() ([]*ticket.User, error) {
	var list []*ticket.User
	err := tx.Bucket(bucketUsers).ForEach(func(k, v []byte) error {
		var r userRecord
		if err := decode(v, &r); err != nil {
			return fmt.Errorf("user %d: %w", btou64(k), err)
		}
		list = append(list, r.user())
		return nil
	})
	return list, err
}

// CountUsers returns how many users there are.
func (s *UserService) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := s.db.view(ctx, func(tx *Tx) error {
		n = tx.Bucket(bucketUsers).Stats().KeyN
		return nil
	})
	return n, err
}

// CreateUser stores u; the email must be free.
func (s *UserService) CreateUser(ctx context.Context, u *ticket.User) error {
	if err := u.Validate(); err != nil {
		return err
	}
	if u.PasswordHash == "" {
		return ticket.FieldError("password", "Brukeren må ha et passord.")
	}
	actor := ticket.ActorFromContext(ctx).Name
	return s.db.update(ctx, func(tx *Tx) error {
		if tx.Bucket(idxUserEmail).Get([]byte(u.Email)) != nil {
			return ticket.FieldError("email", "Det finnes allerede en bruker med e-postadressen %s.", u.Email)
		}
		id, err := tx.Bucket(bucketUsers).NextSequence()
		if err != nil {
			return fmt.Errorf("next user id: %w", err)
		}
		u.ID, u.CreatedAt = id, tx.now
		if err := tx.putUser(u); err != nil {
			return err
		}
		if err := tx.Bucket(idxUserEmail).Put([]byte(u.Email), u64(id)); err != nil {
			return fmt.Errorf("index user email: %w", err)
		}
		return tx.addEvent(0, ticket.EventUser, actor, "", u.Email, "opprettet som "+string(u.Role))
	})
}

// UpdateUser changes a user and records what changed (never the password itself).
func (s *UserService) UpdateUser(ctx context.Context, id uint64, upd ticket.UserUpdate) (*ticket.User, error) {
	actor := ticket.ActorFromContext(ctx).Name
	var u *ticket.User
	err := s.db.update(ctx, func(tx *Tx) (err error) {
		if u, err = tx.findUser(id); err != nil {
			return err
		}
		detail, wasAdmin := "", u.IsAdmin()
		if upd.Name != nil {
			u.Name, detail = *upd.Name, detail+" navn"
		}
		if upd.Role != nil {
			u.Role, detail = *upd.Role, detail+" rolle="+string(*upd.Role)
		}
		if upd.PasswordHash != nil {
			if u.IsSSO() {
				return ticket.Errorf(ticket.EINVALID, "%s logger inn med KS-konto og har ikke passord her.", u.Email)
			}
			u.PasswordHash, detail = *upd.PasswordHash, detail+" passord"
		}
		if upd.Disabled != nil {
			u.Disabled, detail = *upd.Disabled, detail+fmt.Sprintf(" deaktivert=%v", *upd.Disabled)
		}
		if upd.LastLoginAt != nil {
			u.LastLoginAt = *upd.LastLoginAt
		}
		if upd.Signature != nil {
			u.Signature, detail = *upd.Signature, detail+" signatur"
		}
		if err := u.Validate(); err != nil {
			return err
		}
		if wasAdmin && !u.IsAdmin() {
			if err := tx.keepAnAdmin(u.ID); err != nil {
				return err
			}
		}
		if err := tx.putUser(u); err != nil {
			return err
		}
		if detail == "" {
			return nil
		}
		return tx.addEvent(0, ticket.EventUser, actor, "", u.Email, "endret:"+detail)
	})
	return u, err
}

func (tx *Tx) putUser(u *ticket.User) error {
	buf, err := encode(toUserRecord(u))
	if err != nil {
		return err
	}
	if err := tx.Bucket(bucketUsers).Put(u64(u.ID), buf); err != nil {
		return fmt.Errorf("put user %d: %w", u.ID, err)
	}
	return nil
}

// keepAnAdmin refuses a change that would leave no active administrator, checked in the same
// transaction as the change so two admins demoting each other at once cannot both succeed.
func (tx *Tx) keepAnAdmin(changedID uint64) error {
	found := false
	err := tx.Bucket(bucketUsers).ForEach(func(k, v []byte) error {
		var r userRecord
		if err := decode(v, &r); err != nil {
			return fmt.Errorf("user %d: %w", btou64(k), err)
		}
		if r.ID != changedID && r.user().IsAdmin() {
			found = true
		}
		return nil
	})
	if err != nil {
		return err
	}
	if !found {
		return ticket.FieldError("role", "Det må finnes minst én aktiv administrator. Gi en annen bruker rollen administrator først.")
	}
	return nil
}
