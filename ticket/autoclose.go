package ticket

import (
	"context"
	"fmt"
	"time"
)

// Resolved tickets are closed by the system once the requester has been quiet for a while
// (tickets.close_resolved_after, 14 days unless configured): a reply from them reopens a
// resolved ticket, so one still resolved after that time has had no word from them. A closed
// ticket is done; the requester's next mail opens a new ticket linked to it, and retention
// counts its time from the close.

// DefaultCloseResolvedAfter is how long a resolved ticket waits before it is closed.
const DefaultCloseResolvedAfter = 14 * 24 * time.Hour

// AutoCloseReason is the detail of the status event the system writes when it closes a ticket.
func AutoCloseReason(after time.Duration) string {
	return fmt.Sprintf("automatisk etter %s uten svar fra innsenderen", durationWords(after))
}

// durationWords writes a duration as Norwegians say it: "14 dager", "1 dag", "36 timer".
func durationWords(d time.Duration) string {
	switch days := d / (24 * time.Hour); {
	case d%(24*time.Hour) == 0 && days == 1:
		return "1 dag"
	case d%(24*time.Hour) == 0:
		return fmt.Sprintf("%d dager", days)
	case d >= time.Hour && d%time.Hour == 0:
		return fmt.Sprintf("%d timer", d/time.Hour)
	}
	return d.String()
}

// TicketCloser closes resolved tickets whose time is up.
type TicketCloser interface {
	// CloseResolvedBefore closes every ticket resolved before cutoff and still resolved, as
	// the system (actor "system"), with reason in the history, and returns how many it closed.
	CloseResolvedBefore(ctx context.Context, cutoff time.Time, reason string) (int, error)
}
