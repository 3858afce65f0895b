package ticket

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// «Fikk du svar du kunne bruke?» (issue 16): the requester's answer about a resolved ticket,
// given on the status page (the resolving mail links there), one per ticket.

// EventFeedback records the requester's answer on the ticket; To is "ja" or "nei", Detail the
// comment.
const EventFeedback EventKind = "feedback"

// MaxFeedbackComment bounds the optional comment, in characters.
const MaxFeedbackComment = 2000

// FeedbackQuestion is the question as the status page and the mail ask it.
const FeedbackQuestion = "Fikk du svar du kunne bruke?"

// Feedback is the requester's answer about a ticket. A second answer replaces the first.
type Feedback struct {
	TicketID uint64
	Useful   bool
	Comment  string
	// Agency is the ticket's agency when the answer came, so reports count it there.
	Agency string
	At     time.Time
}

// Validate checks the comment; its field is the status page's, kommentar.
func (f *Feedback) Validate() error {
	f.Comment = strings.TrimSpace(f.Comment)
	if utf8.RuneCountInString(f.Comment) > MaxFeedbackComment {
		return FieldErrors{FieldError("kommentar", "Kommentaren kan være høyst %d tegn.", MaxFeedbackComment)}
	}
	return nil
}

// CanGiveFeedback reports whether the requester may answer the question: the ticket is
// resolved or closed, and not anonymised.
func CanGiveFeedback(t *Ticket) bool {
	return (t.Status == StatusResolved || t.Status == StatusClosed) && t.AnonymisedAt.IsZero()
}

// FeedbackCount is how many answered yes and no.
type FeedbackCount struct {
	Useful, NotUseful int
}

// FeedbackService stores the requester's answers. data.FeedbackService implements it.
type FeedbackService interface {
	// SaveFeedback stores f (replacing an earlier answer of the ticket) with an EventFeedback on
	// the ticket, in one transaction; EINVALID when the ticket cannot take an answer.
	SaveFeedback(ctx context.Context, f *Feedback) error
	// FindFeedback returns the answer of a ticket, or ENOTFOUND.
	FindFeedback(ctx context.Context, ticketID uint64) (*Feedback, error)
	// FeedbackCounts counts the answers given in [from, to) by agency.
	FeedbackCounts(ctx context.Context, from, to time.Time) (map[string]FeedbackCount, error)
}
