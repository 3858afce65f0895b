package data

import (
	"context"
	"crypto/subtle"
	"fmt"
	"slices"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

// twoFactorRecord is a user's TOTP secret and recovery codes. It lives apart from the user
// record, so the secret is read only where a code is checked, never with every page.
type twoFactorRecord struct {
	Secret    string    `json:"s,omitempty"`
	EnabledAt time.Time `json:"on,omitzero"`
	Pending   string    `json:"p,omitempty"`
	PendingAt time.Time `json:"pat,omitzero"`
	LastStep  int64     `json:"step,omitempty"`
	// Recovery holds the SHA-256 (hex) of each unused recovery code.
	Recovery []string `json:"rc,omitempty"`
}

func (tx *Tx) findTwoFactor(userID uint64) (*twoFactorRecord, error) {
	var r twoFactorRecord
	v := tx.Bucket(bucketTwoFactor).Get(u64(userID))
	if v == nil {
		return &r, nil
	}
	if err := decode(v, &r); err != nil {
		return nil, fmt.Errorf("two-factor of user %d: %w", userID, err)
	}
	return &r, nil
}

func (tx *Tx) putTwoFactor(userID uint64, r *twoFactorRecord) error {
	buf, err := encode(r)
	if err != nil {
		return err
	}
	return tx.Bucket(bucketTwoFactor).Put(u64(userID), buf)
}

// FindTwoFactor returns the user's setting; a user who never enrolled gets a zero one.
func (s *AccountService) FindTwoFactor(ctx context.Context, userID uint64) (*ticket.TwoFactor, error) {
	var tf *ticket.TwoFactor
	err := s.db.view(ctx, func(tx *Tx) error {
		r, err := tx.findTwoFactor(userID)
		if err != nil {
			return err
		}
		tf = &ticket.TwoFactor{UserID: userID, Secret: r.Secret, EnabledAt: r.EnabledAt, Pending: r.Pending,
			PendingAt: r.PendingAt, LastStep: r.LastStep, RecoveryLeft: len(r.Recovery)}
		return nil
	})
	return tf, err
}

// BeginTwoFactor keeps a new secret for enrolment; a secret already confirmed stays in force
// until the new one is confirmed.
func (s *AccountService) BeginTwoFactor(ctx context.Context, userID uint64, secret string) error {
	return s.db.update(ctx, func(tx *Tx) error {
		if _, err := tx.localUser(userID); err != nil {
			return err
		}
		r, err := tx.findTwoFactor(userID)
		if err != nil {
			return err
		}
		r.Pending, r.PendingAt = secret, tx.now
		return tx.putTwoFactor(userID, r)
	})
}

// localUser returns the user, refusing accounts of the OpenID provider: they have no
// password and no two-factor here.
func (tx *Tx) localUser(userID uint64) (*ticket.User, error) {
	u, err := tx.findUser(userID)
	if err != nil {
		return nil, err
	}
	if u.IsSSO() {
		return nil, ticket.Errorf(ticket.EINVALID, "%s logger inn med KS-konto; tofaktor styres der.", u.Email)
	}
	return u, nil
}

// EnableTwoFactor confirms the pending secret.
func (s *AccountService) EnableTwoFactor(ctx context.Context, userID uint64, step int64, recoveryHashes []string) error {
	return s.db.update(ctx, func(tx *Tx) error {
		u, err := tx.localUser(userID)
		if err != nil {
			return err
		}
		r, err := tx.findTwoFactor(userID)
		if err != nil {
			return err
		}
		if r.Pending == "" {
			return ticket.Errorf(ticket.EINVALID, "Start oppsettet av tofaktor på nytt.")
		}
		*r = twoFactorRecord{Secret: r.Pending, EnabledAt: tx.now, LastStep: step, Recovery: slices.Clone(recoveryHashes)}
		if err := tx.putTwoFactor(userID, r); err != nil {
			return err
		}
		u.TwoFactor = true
		if err := tx.putUser(u); err != nil {
			return err
		}
		return tx.addEvent(0, ticket.EventUser, ticket.ActorFromContext(ctx).Name, "", u.Email, "tofaktor slått på")
	})
}

// UseTOTPStep accepts a step once and only moving forward.
func (s *AccountService) UseTOTPStep(ctx context.Context, userID uint64, step int64) error {
	return s.db.update(ctx, func(tx *Tx) error {
		r, err := tx.findTwoFactor(userID)
		if err != nil {
			return err
		}
		if r.Secret == "" {
			return ticket.Errorf(ticket.EUNAUTHORIZED, "Tofaktor er ikke slått på.")
		}
		if step <= r.LastStep {
			return ticket.Errorf(ticket.ECONFLICT, "Koden er brukt allerede. Vent på neste kode i appen.")
		}
		r.LastStep = step
		return tx.putTwoFactor(userID, r)
	})
}

// UseRecoveryCode spends one recovery code.
func (s *AccountService) UseRecoveryCode(ctx context.Context, userID uint64, hash string) (int, error) {
	var left int
	err := s.db.update(ctx, func(tx *Tx) error {
		r, err := tx.findTwoFactor(userID)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(r.Recovery, func(h string) bool { return subtle.ConstantTimeCompare([]byte(h), []byte(hash)) == 1 })
		if r.Secret == "" || i < 0 {
			return ticket.Errorf(ticket.EUNAUTHORIZED, "Feil kode.")
		}
		r.Recovery = slices.Delete(r.Recovery, i, i+1)
		left = len(r.Recovery)
		if err := tx.putTwoFactor(userID, r); err != nil {
			return err
		}
		u, err := tx.findUser(userID)
		if err != nil {
			return err
		}
		return tx.addEvent(0, ticket.EventLogin, u.Email, "", "", fmt.Sprintf("gjenopprettingskode brukt, %d igjen", left))
	})
	return left, err
}

// ReplaceRecoveryCodes gives new recovery codes.
func (s *AccountService) ReplaceRecoveryCodes(ctx context.Context, userID uint64, hashes []string) error {
	return s.db.update(ctx, func(tx *Tx) error {
		u, err := tx.localUser(userID)
		if err != nil {
			return err
		}
		r, err := tx.findTwoFactor(userID)
		if err != nil {
			return err
		}
		if r.Secret == "" {
			return ticket.Errorf(ticket.EINVALID, "Slå på tofaktor først.")
		}
		r.Recovery = slices.Clone(hashes)
		if err := tx.putTwoFactor(userID, r); err != nil {
			return err
		}
		return tx.addEvent(0, ticket.EventUser, ticket.ActorFromContext(ctx).Name, "", u.Email, "nye gjenopprettingskoder")
	})
}

// ResetTwoFactor removes the user's secret and codes.
func (s *AccountService) ResetTwoFactor(ctx context.Context, userID uint64, detail string) error {
	return s.db.update(ctx, func(tx *Tx) error {
		u, err := tx.findUser(userID)
		if err != nil {
			return err
		}
		if err := tx.Bucket(bucketTwoFactor).Delete(u64(userID)); err != nil {
			return err
		}
		u.TwoFactor = false
		if err := tx.putUser(u); err != nil {
			return err
		}
		return tx.addEvent(0, ticket.EventUser, ticket.ActorFromContext(ctx).Name, "", u.Email, detail)
	})
}
