package ticket

import "context"

// Bulk work: one change to many tickets, chosen in the inbox and confirmed once. Each ticket
// carries the version the inbox showed; a ticket changed since is left out and named, as one
// ticket's change would be refused.

// BulkItem is one chosen ticket with the version the user saw.
type BulkItem struct {
	TicketID uint64
	Version  uint64
}

// BulkChange is what happens to every chosen ticket: the fields of Update (its IfVersion is
// ignored: each item has its own), and tags added to those each ticket has.
type BulkChange struct {
	Update  TicketUpdate
	AddTags []string
}

// BulkRefusal is a ticket left out, and why.
type BulkRefusal struct {
	Ticket *Ticket
	// Changed says the ticket was changed by someone else since the list was shown.
	Changed bool
	Reason  string
}

// BulkResult says what a bulk change did.
type BulkResult struct {
	Changed   []*Ticket
	Unchanged []*Ticket // already as asked: nothing to write
	Refused   []BulkRefusal
}

// BulkUpdater changes many tickets in one transaction, one history entry per ticket and
// field, leaving out (never failing on) a ticket changed meanwhile or one the change does not
// fit (a status move its status does not allow).
type BulkUpdater interface {
	UpdateTickets(ctx context.Context, items []BulkItem, change BulkChange) (BulkResult, error)
}
