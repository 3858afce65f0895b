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
	// Staff compares the candidate rules, and the routing model, with the agency staff chose
	// on the tickets they decided (Ticket.RoutingLabel).
	Staff StaffComparison
}

// StaffComparison is how the candidate rules and the routing model agree with staff's final
// choice on the decided tickets of a replay.
type StaffComparison struct {
	Decided    int // tickets with a RoutingLabel among those scanned
	RulesRight int // the candidate rules chose staff's agency
	// Model is true when the routing model took part (learning on, model ready); ModelRight
	// and BothRight then count the model alone, and the rules with the model where no rule
	// chose (routing.learn = "route" at its threshold).
	Model                 bool
	ModelRight, BothRight int
	// Disagreements lists the decided tickets where the rules or the model chose another
	// agency than staff, newest first, at most MaxChanges of them; DisagreeCount counts them
	// all.
	Disagreements []StaffDisagreement
	DisagreeCount int
}

// StaffDisagreement is one decided ticket where the rules or the model disagree with staff.
type StaffDisagreement struct {
	TicketID  uint64
	Ref       Ref
	Subject   string
	CreatedAt time.Time
	Staff     string // the agency staff chose
	Source    LabelSource
	Rules     string // the candidate rules' agency and rule
	Rule      string
	// Model and Confidence are the model's suggestion ("" when it had none or took no part).
	Model      string
	Confidence float64
}

// RuleTrial is a candidate rule set tried on one mail that is not stored (a pasted .eml),
// beside what the active rules decide.
type RuleTrial struct {
	From, Subject string
	Active        Decision
	Candidate     Decision
}
