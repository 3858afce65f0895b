package ticket

import (
	"context"
	"time"
)

// Marker says what changed on a ticket since a user last opened it, for the inbox.
type Marker string

// The markers.
const (
	MarkerNone  Marker = ""
	MarkerNew   Marker = "ny"   // a ticket the user has not opened since it came in («Ulest»: «Ny» is a status)
	MarkerReply Marker = "svar" // someone outside wrote since the user last opened it
)

// Label is the marker as the inbox shows it.
func (m Marker) Label() string {
	switch m {
	case MarkerNew:
		return "Ulest"
	case MarkerReply:
		return "Nytt svar"
	}
	return ""
}

// MarkerFor is the marker of t for a user who last opened it at seen (zero: never) and whose
// markers count from since (when markers began for them: nothing before it is new to them).
func (t *Ticket) MarkerFor(seen, since time.Time) Marker {
	from := since
	if seen.After(from) {
		from = seen
	}
	switch {
	case seen.IsZero() && t.CreatedAt.After(from):
		return MarkerNew
	case t.LastInboundAt.After(from):
		return MarkerReply
	}
	return MarkerNone
}

// Seen is when one user last opened each of some tickets.
type Seen struct {
	// Since is when markers began on this database; a user's markers count from the later of
	// it and the user's creation.
	Since time.Time
	// At is the last time the user opened each ticket (missing: never).
	At map[uint64]time.Time
}

// SeenService remembers which tickets each user has opened, and when.
type SeenService interface {
	// MarkSeen records that the user opened the ticket now.
	MarkSeen(ctx context.Context, userID uint64, t *Ticket) error
	// FindSeen returns when the user last opened each of ids.
	FindSeen(ctx context.Context, userID uint64, ids []uint64) (Seen, error)
}
