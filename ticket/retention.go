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
	// Overwritten is how many bytes of freed pages the run overwrote in the database file, so
	// what it removed is gone from the file too.
	Overwritten int64
}

// RetentionSetting is how long closed tickets keep personal data: set by an admin on /admin
// and kept in the database, or, until one does, [retention] anonymise_after from the
// configuration.
type RetentionSetting struct {
	After  time.Duration // 0: personal data is kept
	Stored bool          // an admin set it (else it is the configuration's)
	SetBy  string
	SetAt  time.Time
}

// Enabled reports whether the anonymiser runs.
func (s RetentionSetting) Enabled() bool { return s.After > 0 }

// Days is After in whole days.
func (s RetentionSetting) Days() int { return int(s.After / (24 * time.Hour)) }

// MaxRetention bounds the setting: ten years.
const MaxRetention = 10 * 365 * 24 * time.Hour

// ValidateRetention checks a setting an admin gives: off (0), or one day to ten years.
func ValidateRetention(after time.Duration) error {
	if after < 0 || (after > 0 && after < 24*time.Hour) || after > MaxRetention {
		return FieldError("dager", "Skriv et antall dager fra 1 til 3650, eller 0 for å slå anonymiseringen av.")
	}
	return nil
}

// RetentionPreview is what the next run would take with a setting: how many tickets, and the
// first of them in the order the run takes them (closed longest ago first).
type RetentionPreview struct {
	Cutoff  time.Time
	Count   int
	Tickets []*Ticket
}

// RetentionService removes personal data from tickets that have been closed long enough.
// Anonymising keeps what the statistics need (agency, municipality, county, channel,
// category, tags, status and times) and an EventAnonymised in the audit trail; it removes the
// requester's and participants' names and addresses (in the subject and in the texts we wrote
// too), the text of inbound messages, every file and every raw mail.
type RetentionService interface {
	// AnonymiseClosedBefore anonymises closed tickets not changed since cutoff.
	AnonymiseClosedBefore(ctx context.Context, cutoff time.Time) (RetentionRun, error)
	// LastRetentionRun returns the last run (zero when it never ran).
	LastRetentionRun(ctx context.Context) (RetentionRun, error)
	// RetentionSetting returns the setting in force.
	RetentionSetting(ctx context.Context) (RetentionSetting, error)
	// SetRetention stores a new setting (validated), with the actor of ctx, in the audit trail.
	SetRetention(ctx context.Context, after time.Duration) (RetentionSetting, error)
	// PreviewRetention says what a run with cutoff would take, listing at most limit tickets.
	PreviewRetention(ctx context.Context, cutoff time.Time, limit int) (RetentionPreview, error)
}

// AnonymisedText replaces the text of an inbound message when its ticket is anonymised.
const AnonymisedText = "Innholdet er slettet etter reglene for oppbevaring av personopplysninger."
