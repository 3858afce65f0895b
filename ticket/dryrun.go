package ticket

import "time"

// RuleChange is what a candidate rule set would do differently to one stored ticket.
type RuleChange struct {
	TicketID  uint64
	Ref       Ref
	Subject   string
	CreatedAt time.Time
	// Manual is true when staff chose the ticket's agency by hand; rules never override that,
	// but the administrator should see that the new rules disagree with staff.
	Manual       bool
	FromAgency   string
	ToAgency     string
	FromRule     string
	ToRule       string
	Reason       string // why the candidate rules decide as they do
	FromPriority Priority
	ToPriority   Priority // "" when the candidate rules leave the priority alone
	TagsAdded    []string
	ToAssignee   string // set when the candidate rules would assign someone else
}

// AgencyChange counts the tickets that would move from one agency to another.
type AgencyChange struct {
	From, To string
	Count    int
}

// AgencyCount is how many tickets an agency has now and would have with the candidate rules.
type AgencyCount struct {
	Agency        string
	Before, After int
}

// RuleReplay is the result of trying a rule set on stored tickets: nothing is saved.
type RuleReplay struct {
	Since    time.Time // tickets created from then on; zero for all
	Scanned  int
	Changed  int // tickets where anything would change
	Moved    int // tickets that would get another agency
	TagsOnly int // tickets that would only get more tags (not listed in Changes)
	Moves    []AgencyChange
	Counts   []AgencyCount
	// Changes lists the tickets whose agency, priority or assignee would change, newest
	// first, at most MaxChanges of them.
	Changes    []RuleChange
	MaxChanges int
}

// RuleTrial is a candidate rule set tried on one mail that is not stored (a pasted .eml),
// beside what the active rules decide.
type RuleTrial struct {
	From, Subject string
	Active        Decision
	Candidate     Decision
}
