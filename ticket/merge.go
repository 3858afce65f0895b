package ticket

import "context"

// Merging two tickets: staff merge a ticket (the source) into another (the target) when the
// same question came twice. Every message of the source is copied onto the end of the target's
// thread, so later mail to any of it threads into the target; the source is closed and points
// at the target (Ticket.MergedInto). See docs/INBOX.md, «Slå sammen saker».
const (
	EventMergedInto EventKind = "merged_into" // on the source: To is the target's reference
	EventMergedFrom EventKind = "merged_from" // on the target: From is the source's reference
)

// MergeField is the form field a refused merge names, so the ticket page shows the message
// beside the box where the other reference is typed.
const MergeField = "referanse"

// MergeRequest is one merge: the ticket merged away and the reference of the one it joins.
type MergeRequest struct {
	SourceID uint64
	Into     Ref
	// IfVersion, when set, makes the merge fail with ECONFLICT if the source changed since.
	IfVersion *uint64
}

// TicketMerger merges tickets. data.TicketService implements it as part of TicketService.
type TicketMerger interface {
	// MergeTickets merges the source into the target in one transaction, with the actor of
	// ctx, and returns the target as it is after the merge. It refuses (EINVALID, on
	// MergeField) the same ticket twice, a target that does not exist or was deleted, a source
	// or target that was itself merged away, and an anonymised ticket.
	MergeTickets(ctx context.Context, req MergeRequest) (*Ticket, error)
	// FindMergeTarget returns the ticket with reference into that the source may be merged
	// into, or the refusal MergeTickets would give, so a confirmation page asks what the merge
	// itself will check.
	FindMergeTarget(ctx context.Context, sourceID uint64, into Ref) (*Ticket, error)
}

// CheckMerge says why src may not be merged into dst (nil: it may). Storage checks it again
// inside the merge's transaction; the ticket page checks it before asking for a confirmation.
func CheckMerge(src, dst *Ticket) error {
	switch {
	case src.Merged():
		return FieldError(MergeField, "Saken %s er allerede slått sammen inn i en annen sak.", src.Ref)
	case !src.AnonymisedAt.IsZero():
		return FieldError(MergeField, "Personopplysningene i %s er fjernet, så den kan ikke slås sammen.", src.Ref)
	case src.ID == dst.ID || src.Ref == dst.Ref:
		return FieldError(MergeField, "En sak kan ikke slås sammen med seg selv. Skriv referansen til den andre saken.")
	case dst.Merged():
		return FieldError(MergeField, "Saken %s er selv slått sammen inn i en annen sak. Slå sammen med den i stedet.", dst.Ref)
	case !dst.AnonymisedAt.IsZero():
		return FieldError(MergeField, "Personopplysningene i %s er fjernet, så ingenting kan slås sammen inn i den.", dst.Ref)
	}
	return nil
}

// Merged reports whether the ticket was merged into another and lives on there.
func (t *Ticket) Merged() bool { return t.MergedInto != 0 }
