package ticket

// Status is where a ticket stands. The values are the Norwegian words staff see and the API uses.
type Status string

// The statuses, in the order a ticket usually passes through them.
const (
	StatusNew      Status = "ny"      // arrived, nobody has looked at it
	StatusOpen     Status = "åpen"    // being worked on by KS
	StatusWaiting  Status = "venter"  // waiting on the requester
	StatusReferred Status = "henvist" // referred, waiting on an agency
	StatusResolved Status = "løst"    // answered; the requester may still reply
	StatusClosed   Status = "lukket"  // done; a new mail opens a new ticket
)

// Statuses lists every status in workflow order (for pickers and statistics).
var Statuses = []Status{StatusNew, StatusOpen, StatusWaiting, StatusReferred, StatusResolved, StatusClosed}

// transitions holds the allowed moves. A ticket may always stay where it is.
// Closed tickets can be reopened by staff (as in RT and Zammad); a requester's mail to a closed
// ticket opens a new, linked ticket instead (decided in intake, not here).
var transitions = map[Status][]Status{
	StatusNew:      {StatusOpen, StatusWaiting, StatusReferred, StatusResolved, StatusClosed},
	StatusOpen:     {StatusWaiting, StatusReferred, StatusResolved, StatusClosed},
	StatusWaiting:  {StatusOpen, StatusReferred, StatusResolved, StatusClosed},
	StatusReferred: {StatusOpen, StatusWaiting, StatusResolved, StatusClosed},
	StatusResolved: {StatusOpen, StatusClosed},
	StatusClosed:   {StatusOpen},
}

// Valid reports whether s is one of the known statuses.
func (s Status) Valid() bool {
	_, ok := transitions[s]
	return ok
}

// Label is the status as a heading in the inbox ("Ny", "Åpen" ...).
func (s Status) Label() string {
	switch s {
	case StatusNew:
		return "Ny"
	case StatusOpen:
		return "Åpen"
	case StatusWaiting:
		return "Venter på innsender"
	case StatusReferred:
		return "Henvist"
	case StatusResolved:
		return "Løst"
	case StatusClosed:
		return "Lukket"
	}
	return string(s)
}

// Active reports whether the ticket still needs work from someone (it counts in the backlog).
func (s Status) Active() bool {
	return s != StatusResolved && s != StatusClosed
}

// CanTransition reports whether a ticket in status from may move to status to.
func CanTransition(from, to Status) bool {
	if from == to {
		return from.Valid()
	}
	for _, s := range transitions[from] {
		if s == to {
			return true
		}
	}
	return false
}

// CheckTransition returns an EINVALID error when the move is not allowed.
func CheckTransition(from, to Status) error {
	if !to.Valid() {
		return FieldError("status", "Ukjent status %q.", to)
	}
	if !CanTransition(from, to) {
		return FieldError("status", "En sak med status «%s» kan ikke settes til «%s».", from, to)
	}
	return nil
}

// ReopenOnReply returns the status a ticket gets when the requester writes again, and whether
// the reply reopens it. A requester's reply reopens a waiting or resolved ticket.
func ReopenOnReply(s Status) (Status, bool) {
	switch s {
	case StatusWaiting, StatusResolved:
		return StatusOpen, true
	}
	return s, false
}
