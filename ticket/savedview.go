package ticket

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// SavedView is an inbox view saved under a name: its filters and sort order, as the inbox's
// query string (never a search text or an address: those are not in inbox URLs). A view is
// the owner's own, or shared with everyone on staff.
type SavedView struct {
	ID   uint64
	Name string
	// OwnerID is the user whose view it is; 0 for a view shared with the team.
	OwnerID uint64
	// Query is the inbox query string the view opens ("vis=aktive&etat=nav&tildelt=meg").
	Query     string
	CreatedBy string
	CreatedAt time.Time
}

// Shared reports whether everyone sees the view.
func (v *SavedView) Shared() bool { return v.OwnerID == 0 }

// MaxViewNameLen bounds a view's name.
const MaxViewNameLen = 60

// Validate checks a view's name.
func (v *SavedView) Validate() error {
	v.Name = strings.TrimSpace(v.Name)
	switch {
	case v.Name == "":
		return FieldError("navn", "Gi visningen et navn.")
	case utf8.RuneCountInString(v.Name) > MaxViewNameLen:
		return FieldError("navn", "Navnet kan være høyst %d tegn.", MaxViewNameLen)
	}
	return nil
}

// SavedViewService keeps the saved views.
type SavedViewService interface {
	// FindSavedViews returns the user's own views and the shared ones, by name.
	FindSavedViews(ctx context.Context, userID uint64) ([]*SavedView, error)
	FindSavedView(ctx context.Context, id uint64) (*SavedView, error)
	// CreateSavedView stores v, setting ID and CreatedAt; a name the user already sees is
	// refused (EINVALID on "navn").
	CreateSavedView(ctx context.Context, v *SavedView) error
	DeleteSavedView(ctx context.Context, id uint64) error
}

// SearchService keeps search texts under an opaque id, so a search has a URL of its own
// (/innboks?sok=<id>) that can be bookmarked and shared while the text, which may name a
// person, stays out of addresses, browser history and logs.
type SearchService interface {
	// SaveSearch returns the id of text (the same id for the same text).
	SaveSearch(ctx context.Context, text string) (string, error)
	// FindSearch returns the text of id; ENOTFOUND when it is unknown or expired.
	FindSearch(ctx context.Context, id string) (string, error)
}

// SearchKeptFor is how long a saved search text is kept after its last use.
const SearchKeptFor = 90 * 24 * time.Hour
