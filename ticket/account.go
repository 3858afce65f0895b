package ticket

import (
	"context"
	"time"
)

// Sign-in beyond a local password (issue 11): accounts from the organisation's OpenID provider,
// two-factor codes (TOTP) with recovery codes for local accounts, and links that set a
// forgotten password. The secrets themselves never leave the store in a User: the web layer
// asks for them when it checks a code.

// SSOIdentity is who the OpenID provider says signed in, with the role their groups give.
type SSOIdentity struct {
	// Subject is "issuer sub": stable for the person at this provider, unlike the address.
	Subject string
	Email   string
	Name    string
	Role    Role
}

// TwoFactor is a user's TOTP setting. The secrets are base32 as authenticator apps take them.
type TwoFactor struct {
	UserID uint64
	// Secret is the confirmed secret ("" while two-factor is off).
	Secret    string
	EnabledAt time.Time
	// Pending is a secret shown for enrolment and not yet confirmed with a code.
	Pending   string
	PendingAt time.Time
	// LastStep is the last 30-second step a code was accepted for: a code is good once.
	LastStep int64
	// RecoveryLeft is how many unused recovery codes there are.
	RecoveryLeft int
}

// PasswordReset is a link that sets a forgotten password. Only the hash of its token is stored.
type PasswordReset struct {
	TokenHash string
	UserID    uint64
	CreatedAt time.Time
	ExpiresAt time.Time
}

// PasswordResetValidity is how long a «Glemt passord?» link works.
const PasswordResetValidity = 30 * time.Minute

// RecoveryCodeCount is how many one-time recovery codes a user gets with two-factor.
const RecoveryCodeCount = 10

// AccountService keeps what sign-in needs beyond the user record.
type AccountService interface {
	// SignInSSO finds the user of id (by subject, else by address, linking a local account of
	// that address), or creates one, and sets name, role and the time of sign-in, in one
	// transaction with its audit line. A disabled user gets EFORBIDDEN.
	SignInSSO(ctx context.Context, id SSOIdentity) (*User, error)

	// FindTwoFactor returns the user's TOTP setting (a zero TwoFactor when there is none).
	FindTwoFactor(ctx context.Context, userID uint64) (*TwoFactor, error)
	// BeginTwoFactor keeps secret as the pending one, to be confirmed by EnableTwoFactor.
	BeginTwoFactor(ctx context.Context, userID uint64, secret string) error
	// EnableTwoFactor makes the pending secret the user's, with the step of the code that
	// confirmed it and the hashes of new recovery codes.
	EnableTwoFactor(ctx context.Context, userID uint64, step int64, recoveryHashes []string) error
	// UseTOTPStep records that a code of step was accepted; ECONFLICT when that step or a
	// later one was used already (a code seen over a shoulder is worth nothing).
	UseTOTPStep(ctx context.Context, userID uint64, step int64) error
	// UseRecoveryCode spends the recovery code with hash and returns how many are left;
	// EUNAUTHORIZED when it is not one of the user's unused codes.
	UseRecoveryCode(ctx context.Context, userID uint64, hash string) (left int, err error)
	// ReplaceRecoveryCodes gives the user new recovery codes; the old ones stop working.
	ReplaceRecoveryCodes(ctx context.Context, userID uint64, hashes []string) error
	// ResetTwoFactor turns two-factor off for the user (by the user, or by an admin who
	// helps one who lost the phone); detail goes to the audit trail.
	ResetTwoFactor(ctx context.Context, userID uint64, detail string) error

	// RequireTwoFactor reports whether every local account must use two-factor.
	RequireTwoFactor(ctx context.Context) (bool, error)
	// SetRequireTwoFactor changes that setting, with an audit line.
	SetRequireTwoFactor(ctx context.Context, on bool) error

	// CreatePasswordReset stores a reset link for a local user and queues the mail that
	// carries it, in one transaction: a link exists only if its mail is on its way.
	CreatePasswordReset(ctx context.Context, r *PasswordReset, mail *OutboundMail) error
	// FindPasswordReset returns the unexpired reset of tokenHash, or ENOTFOUND.
	FindPasswordReset(ctx context.Context, tokenHash string) (*PasswordReset, error)
	// UsePasswordReset sets the new password hash, deletes every reset link and every session
	// of the user and records it, in one transaction. The link must still be valid.
	UsePasswordReset(ctx context.Context, tokenHash, passwordHash string) (*User, error)
	// CountRecentPasswordResets returns how many reset links the user got since since.
	CountRecentPasswordResets(ctx context.Context, userID uint64, since time.Time) (int, error)
}
