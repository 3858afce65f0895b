package ticket

import (
	"encoding/base64"
	"encoding/binary"
	"time"
)

// Cursor returns the opaque position after t in a list sorted by order, for TicketFilter.Cursor.
// It holds the sort time and the id, so a page continues correctly even when new tickets arrive.
func (t *Ticket) Cursor(order SortOrder) string {
	at := t.UpdatedAt
	switch order {
	case SortCreatedAsc, SortCreatedDesc:
		at = t.CreatedAt
	case SortDueAsc:
		at = t.DueAt()
	}
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], uint64(at.UnixNano()))
	binary.BigEndian.PutUint64(b[8:], t.ID)
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// ParseCursor returns the sort time and id a cursor was made from.
func ParseCursor(s string) (time.Time, uint64, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) != 16 {
		return time.Time{}, 0, Errorf(EINVALID, "Ugyldig sidemarkør.")
	}
	at := time.Unix(0, int64(binary.BigEndian.Uint64(b[:8])))
	return at, binary.BigEndian.Uint64(b[8:]), nil
}
