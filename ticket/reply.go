package ticket

import (
	"slices"
	"strings"
)

// The rules of a staff reply, in one place for the JSON API, the forms of the ticket page and
// storage: what a reply may do to the status, who can get one, and when a change made from an
// older page is refused.

// ReplyStatuses are what a reply may set: waiting on the requester (the usual), resolved, or
// still open at KS.
var ReplyStatuses = []Status{StatusWaiting, StatusResolved, StatusOpen}

// StatusAfterReply is the status a reply to a ticket in status current sets: chosen, which must
// be one of ReplyStatuses; without a choice, waiting on the requester while the ticket is new
// or open, else nil (the status stays).
func StatusAfterReply(current Status, chosen *Status) (*Status, error) {
	if chosen != nil {
		if !slices.Contains(ReplyStatuses, *chosen) {
			return nil, FieldError("status", "Et svar kan sette saken til «venter», «løst» eller «åpen», ikke «%s».", *chosen)
		}
		return chosen, nil
	}
	if current == StatusNew || current == StatusOpen {
		st := StatusWaiting
		return &st, nil
	}
	return nil, nil
}

// DefaultReplyStatus is the choice the reply form starts with: waiting on the requester, except
// that a resolved ticket stays resolved and a reply to a closed one opens it again.
func DefaultReplyStatus(s Status) Status {
	switch s {
	case StatusResolved:
		return StatusResolved
	case StatusClosed:
		return StatusOpen
	}
	return StatusWaiting
}

// ReplyStatusLabel is a reply status as the reply form offers it.
func ReplyStatusLabel(s Status) string {
	switch s {
	case StatusWaiting:
		return "Venter på innsender"
	case StatusResolved:
		return "Løst"
	}
	return "Fortsatt åpen"
}

// CanReply reports whether staff can write to the requester of t: it takes their address.
func (t *Ticket) CanReply() bool { return strings.TrimSpace(t.Requester.Email) != "" }

// ChangedSince reports whether t has moved on from version, the one a page or form was made
// from (nil: the change is not guarded). Storage refuses such a change with ECONFLICT.
func (t *Ticket) ChangedSince(version *uint64) bool { return version != nil && *version != t.Version }

// CheckStatusChange returns why t may not move to status to, or nil: a merged ticket lives on
// in the other one and is never reopened, and the move must be one CheckTransition allows.
func (t *Ticket) CheckStatusChange(to Status) error {
	if t.Merged() {
		return Errorf(EINVALID, "Saken er slått sammen inn i en annen sak og kan ikke åpnes igjen. Arbeid videre i den saken.")
	}
	return CheckTransition(t.Status, to)
}

// RequesterCanAdd reports whether the requester may still add to t, by mail or on the status
// page: a closed ticket is done (their next mail opens a new ticket, linked to it), and an
// anonymised one, or one without an address, has nobody left to answer.
func (t *Ticket) RequesterCanAdd() bool {
	return t.Status != StatusClosed && t.AnonymisedAt.IsZero() && t.Requester.Email != ""
}
