package data

import (
	"bytes"
	"context"
	"fmt"

	"github.com/ks-no/digihjelpen/ticket"
)

// AccountService implements ticket.AccountService: sign-in with the organisation's account,
// two-factor codes and password reset links.
type AccountService struct {
	db *DB
}

var _ ticket.AccountService = (*AccountService)(nil)

// NewAccountService returns the sign-in data of db.
func NewAccountService(db *DB) *AccountService { return &AccountService{db: db} }

var (
	idxUserSSO           = []byte("idx_user_sso")    // "issuer sub" -> user id
	bucketTwoFactor      = []byte("two_factor")      // user id -> two-factor record
	bucketPasswordResets = []byte("password_resets") // sha256 of the link's token -> reset record
)

func init() { registerBuckets(idxUserSSO, bucketTwoFactor, bucketPasswordResets) }

// SignInSSO finds, links or creates the user the provider vouches for and brings name, role
// and address up to date: the provider is the authority on who may do what.
func (s *AccountService) SignInSSO(ctx context.Context, id ticket.SSOIdentity) (*ticket.User, error) {
	email, err := ticket.NormalizeEmail(id.Email)
	if err != nil || id.Subject == "" || !id.Role.Valid() {
		return nil, ticket.Errorf(ticket.EINVALID, "Innloggingen manglet e-postadresse eller identitet.")
	}
	id.Email = email
	var u *ticket.User
	err = s.db.update(ctx, func(tx *Tx) (err error) {
		u, err = tx.signInSSO(id)
		return err
	})
	return u, err
}

func (tx *Tx) signInSSO(id ticket.SSOIdentity) (*ticket.User, error) {
	if v := tx.Bucket(idxUserSSO).Get([]byte(id.Subject)); v != nil {
		u, err := tx.findUser(btou64(v))
		if err != nil {
			return nil, err
		}
		return u, tx.syncSSOUser(u, id, "")
	}
	if v := tx.Bucket(idxUserEmail).Get([]byte(id.Email)); v != nil {
		u, err := tx.findUser(btou64(v))
		if err != nil {
			return nil, err
		}
		if u.IsSSO() { // the address belongs to another person at the provider
			return nil, ticket.Errorf(ticket.ECONFLICT, "E-postadressen %s er allerede knyttet til en annen KS-konto. Kontakt en administrator.", id.Email)
		}
		// A local account of the same address becomes this person's: no password, no
		// two-factor of ours any more, the provider's sign-in instead.
		u.SSOSubject, u.PasswordHash, u.TwoFactor = id.Subject, "", false
		if err := tx.Bucket(bucketTwoFactor).Delete(u64(u.ID)); err != nil {
			return nil, err
		}
		if err := tx.Bucket(idxUserSSO).Put([]byte(id.Subject), u64(u.ID)); err != nil {
			return nil, fmt.Errorf("index sso subject: %w", err)
		}
		return u, tx.syncSSOUser(u, id, "koblet til KS-konto;")
	}
	u := &ticket.User{Email: id.Email, Name: id.Name, Role: id.Role, SSOSubject: id.Subject}
	if u.Name == "" {
		u.Name = id.Email
	}
	if err := u.Validate(); err != nil {
		return nil, err
	}
	n, err := tx.Bucket(bucketUsers).NextSequence()
	if err != nil {
		return nil, fmt.Errorf("next user id: %w", err)
	}
	u.ID, u.CreatedAt, u.LastLoginAt = n, tx.now, tx.now
	if err := tx.putUser(u); err != nil {
		return nil, err
	}
	if err := tx.Bucket(idxUserEmail).Put([]byte(u.Email), u64(u.ID)); err != nil {
		return nil, fmt.Errorf("index user email: %w", err)
	}
	if err := tx.Bucket(idxUserSSO).Put([]byte(id.Subject), u64(u.ID)); err != nil {
		return nil, fmt.Errorf("index sso subject: %w", err)
	}
	return u, tx.addEvent(0, ticket.EventUser, "sso", "", u.Email, "opprettet med KS-konto som "+string(u.Role))
}

// syncSSOUser stores what the provider said about u at this sign-in, and what changed.
func (tx *Tx) syncSSOUser(u *ticket.User, id ticket.SSOIdentity, detail string) error {
	if u.Disabled {
		return ticket.Errorf(ticket.EFORBIDDEN, "Brukeren din er deaktivert i Digihjelpen kontaktpunkt. Kontakt en administrator.")
	}
	if id.Name != "" && id.Name != u.Name {
		u.Name, detail = id.Name, detail+" navn"
	}
	if id.Role != u.Role {
		u.Role, detail = id.Role, detail+" rolle="+string(id.Role)
	}
	if id.Email != u.Email && tx.Bucket(idxUserEmail).Get([]byte(id.Email)) == nil {
		if err := tx.Bucket(idxUserEmail).Delete([]byte(u.Email)); err != nil {
			return err
		}
		if err := tx.Bucket(idxUserEmail).Put([]byte(id.Email), u64(u.ID)); err != nil {
			return fmt.Errorf("index user email: %w", err)
		}
		u.Email, detail = id.Email, detail+" e-post"
	}
	u.LastLoginAt = tx.now
	if err := tx.putUser(u); err != nil {
		return err
	}
	if detail == "" {
		return nil
	}
	return tx.addEvent(0, ticket.EventUser, "sso", "", u.Email, "endret fra KS-konto:"+detail)
}

// RequireTwoFactor reports the admins' setting.
func (s *AccountService) RequireTwoFactor(ctx context.Context) (bool, error) {
	var on bool
	err := s.db.view(ctx, func(tx *Tx) error {
		on = bytes.Equal(tx.Bucket(bucketMeta).Get(keyRequireTwoFactor), []byte{1})
		return nil
	})
	return on, err
}

var keyRequireTwoFactor = []byte("setting/require_two_factor")

// SetRequireTwoFactor stores the setting and who changed it.
func (s *AccountService) SetRequireTwoFactor(ctx context.Context, on bool) error {
	actor := ticket.ActorFromContext(ctx).Name
	return s.db.update(ctx, func(tx *Tx) error {
		v, detail := []byte{0}, "tofaktor for lokale kontoer: valgfritt"
		if on {
			v, detail = []byte{1}, "tofaktor for lokale kontoer: påkrevd"
		}
		if err := tx.Bucket(bucketMeta).Put(keyRequireTwoFactor, v); err != nil {
			return err
		}
		return tx.addEvent(0, ticket.EventUser, actor, "", "", detail)
	})
}
