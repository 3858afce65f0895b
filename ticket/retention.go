package ticket

import (
	"context"
	"time"
)

// RetentionRun is what one run of the anonymiser did, kept so admins can see it.
type RetentionRun struct {
	At         time.Time // when the run finished
	Cutoff     time.Time // tickets closed and untouched before this were anonymised
	Anonymised int       // tickets anonymised in this run
	Total      int       // tickets anonymised since the start
}

// RetentionService removes personal data from tickets that have been closed long enough.
// Anonymising keeps what the statistics need (agency, municipality, county, channel,
// category, status and times) and an EventAnonymised in the audit trail; it removes the
// requester's name and address, the addresses of every message, the text and attachments of
// inbound messages and the raw mail.
type RetentionService interface {
	// AnonymiseClosedBefore anonymises closed tickets not changed since cutoff.
	AnonymiseClosedBefore(ctx context.Context, cutoff time.Time) (RetentionRun, error)
	// LastRetentionRun returns the last run (zero when it never ran).
	LastRetentionRun(ctx context.Context) (RetentionRun, error)
}

// AnonymisedText replaces the text of an inbound message when its ticket is anonymised.
const AnonymisedText = "Innholdet er slettet etter reglene for oppbevaring av personopplysninger."
