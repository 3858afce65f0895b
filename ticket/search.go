package ticket

import "context"

// SimilarTicket is an answered ticket like another, with the answer an agent may reuse.
type SimilarTicket struct {
	Ticket *Ticket
	// Answer is the text of the last reply sent on the ticket.
	Answer string
	// Score is how alike the questions are (higher is closer); only the order is meaningful.
	Score float64
}

// SimilarFinder finds answered tickets like a given one. data.TicketService implements it from
// its full-text index.
type SimilarFinder interface {
	// SimilarTickets returns up to limit resolved or closed tickets with a reply sent whose
	// question is closest to ticket id's subject and first message, best first.
	SimilarTickets(ctx context.Context, id uint64, limit int) ([]SimilarTicket, error)
}

// StatusCount is the number of tickets in one status at one agency (from the counters).
type StatusCount struct {
	Status Status
	Agency string
	N      int
}
