package ticket

import (
	"context"
	"strings"
	"time"
)

// Role says what a staff member may do.
type Role string

// The roles. Admins can do everything agents can, and manage users, tokens, rules and backups.
// Readers (KS management, the steering group) see the statistics and nothing with personal
// data: no tickets, no names.
const (
	RoleAdmin  Role = "admin"
	RoleAgent  Role = "agent"
	RoleReader Role = "leser"
)

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return r.rank() > 0 }

// User is a staff member who logs in to the web inbox.
type User struct {
	ID           uint64
	Email        string
	Name         string
	Role         Role
	PasswordHash string
	Disabled     bool
	CreatedAt    time.Time
	LastLoginAt  time.Time
	// SSOSubject links the user to the OpenID provider ("issuer sub"); such a user signs in
	// there only, has no password here and gets the role from the groups at every sign-in.
	SSOSubject string
	// TwoFactor is on once the user has confirmed a TOTP app (local accounts only).
	TwoFactor bool
	// Signature ends the user's replies (set on their own page, /konto); "" for none.
	Signature string
}

// IsSSO reports whether the user signs in with the organisation's account (OpenID Connect).
func (u *User) IsSSO() bool { return u != nil && u.SSOSubject != "" }

// IsAdmin reports whether the user has the admin role.
func (u *User) IsAdmin() bool { return u != nil && u.Role == RoleAdmin && !u.Disabled }

// MaxSignatureLen bounds a signature: a few lines, not a letter.
const MaxSignatureLen = 1000

// MinPasswordLen is the shortest password we accept.
const MinPasswordLen = 12

// Validate checks a user before it is stored.
func (u *User) Validate() error {
	var errs FieldErrors
	if e, err := NormalizeEmail(u.Email); err != nil {
		errs = append(errs, FieldError("email", "Skriv en gyldig e-postadresse."))
	} else {
		u.Email = e
	}
	if strings.TrimSpace(u.Name) == "" {
		errs = append(errs, FieldError("name", "Skriv navnet."))
	}
	if !u.Role.Valid() {
		errs = append(errs, FieldError("role", RoleChoice))
	}
	if len([]rune(u.Signature)) > MaxSignatureLen {
		errs = append(errs, FieldError("signatur", "Signaturen kan være høyst %d tegn.", MaxSignatureLen))
	}
	return errs.Err()
}

// UserUpdate changes a user. Nil fields are left as they are.
type UserUpdate struct {
	Name         *string
	Role         *Role
	PasswordHash *string
	Disabled     *bool
	LastLoginAt  *time.Time
	Signature    *string
}

// UserService stores staff accounts.
type UserService interface {
	FindUserByID(ctx context.Context, id uint64) (*User, error)
	FindUserByEmail(ctx context.Context, email string) (*User, error)
	FindUsers(ctx context.Context) ([]*User, error)
	// CreateUser returns ECONFLICT when the email is taken.
	CreateUser(ctx context.Context, u *User) error
	UpdateUser(ctx context.Context, id uint64, upd UserUpdate) (*User, error)
	CountUsers(ctx context.Context) (int, error)
}

// Session is a logged-in browser. The cookie holds a random secret; only its hash is stored.
type Session struct {
	ID        string // hex SHA-256 of the cookie secret
	UserID    uint64
	CreatedAt time.Time
	ExpiresAt time.Time
	LastSeen  time.Time
	// IDToken is the OpenID provider's ID token of a session begun there, sent back as
	// id_token_hint when the user logs out ("" for password sessions).
	IDToken string
	// Issuer and ProviderSID name the provider's own session a session begun there belongs to
	// (the ID token's iss and sid claims), so that signing out at the provider ends it here
	// too (front-channel logout); both are "" for password sessions, and ProviderSID is "" when
	// the provider sent no sid.
	Issuer      string
	ProviderSID string
}

// SessionService stores sessions.
type SessionService interface {
	CreateSession(ctx context.Context, s *Session) error
	FindSession(ctx context.Context, id string) (*Session, error)
	TouchSession(ctx context.Context, id string, seen, expires time.Time) error
	DeleteSession(ctx context.Context, id string) error
	// DeleteExpiredSessions removes sessions that expired before now and returns how many.
	DeleteExpiredSessions(ctx context.Context, now time.Time) (int, error)
	// DeleteUserSessions logs a user out everywhere (password reset, disabled account).
	DeleteUserSessions(ctx context.Context, userID uint64) (int, error)
	// DeleteProviderSessions ends every session that belongs to the provider session sid of
	// issuer (front-channel logout) and returns how many; an empty issuer or sid ends none.
	DeleteProviderSessions(ctx context.Context, issuer, sid string) (int, error)
}

// Token is an API bearer token. Only the hash of the secret is stored; it is shown once.
type Token struct {
	ID        string // hex SHA-256 of the secret
	Name      string
	Role      Role
	CreatedBy string
	CreatedAt time.Time
	LastUsed  time.Time
}

// TokenService stores API tokens.
type TokenService interface {
	CreateToken(ctx context.Context, t *Token) error
	FindToken(ctx context.Context, id string) (*Token, error)
	FindTokens(ctx context.Context) ([]*Token, error)
	DeleteToken(ctx context.Context, id string) error
}

type actorKey struct{}

// Actor is who acts in a request: a user, a token or the system. Events record it.
type Actor struct {
	Name string // user email, "token:<name>", "system", or an outside address
	Role Role   // "" for the system and outsiders
}

// NewContextWithActor returns ctx carrying a.
func NewContextWithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFromContext returns the actor in ctx, or the system actor.
func ActorFromContext(ctx context.Context) Actor {
	if a, ok := ctx.Value(actorKey{}).(Actor); ok && a.Name != "" {
		return a
	}
	return Actor{Name: "system"}
}
