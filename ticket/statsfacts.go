package ticket

import (
	"slices"
	"time"
)

// StatsTicket is what the statistics know of one ticket: its current attributes and the moments
// that count (docs/STATISTICS.md). Storage keeps one per ticket, changed in the same transaction
// as the ticket and its events, and indexes its Facts by time.
type StatsTicket struct {
	ID              uint64
	CreatedAt       time.Time
	FirstResponseAt time.Time
	Agency          string
	Channel         Channel
	Municipality    string // number; "" when unknown
	County          string // number; "" when unknown
	// Category is the topic chosen in the form ("" for mail), Tags the ticket's tags, and
	// ArticleLinked whether a reply to the requester linked an article of the handbook: what
	// the reports count by topic and tag, and «hull i håndboken».
	Category      string
	Tags          []string
	ArticleLinked bool
	Referrals     []StatsReferral
	// Transitions are the moments the ticket left the active statuses or came back, oldest
	// first. They come from the status events: the ticket itself keeps only the last one.
	Transitions []Transition
}

// StatsReferral is a referral as the statistics see it.
type StatsReferral struct {
	Agency     string
	SentAt     time.Time
	AnsweredAt time.Time
}

// Transition is a moment a ticket left the active statuses (Resolved) or came back to them.
type Transition struct {
	At       time.Time
	Resolved bool
}

// SetTicket takes the attributes of t, keeping the transitions.
func (s *StatsTicket) SetTicket(t *Ticket) {
	s.ID, s.CreatedAt, s.FirstResponseAt = t.ID, t.CreatedAt, t.FirstResponseAt
	s.Agency, s.Channel = t.Agency, t.Channel
	s.Municipality, s.County = t.Requester.Municipality.Number, t.Requester.County.Number
	s.Category, s.Tags, s.ArticleLinked = t.Category, slices.Clone(t.Tags), len(t.Articles) > 0
	s.Referrals = s.Referrals[:0]
	for _, r := range t.Referrals {
		s.Referrals = append(s.Referrals, StatsReferral{Agency: r.Agency, SentAt: r.SentAt, AnsweredAt: r.AnsweredAt})
	}
}

// Equal reports whether s and o count the same: most writes of a ticket (a note, an assignee, a
// tag) change nothing the statistics see, and storage then writes nothing.
func (s *StatsTicket) Equal(o *StatsTicket) bool {
	if s.ID != o.ID || !s.CreatedAt.Equal(o.CreatedAt) || !s.FirstResponseAt.Equal(o.FirstResponseAt) || s.Agency != o.Agency ||
		s.Channel != o.Channel || s.Municipality != o.Municipality || s.County != o.County ||
		s.Category != o.Category || !slices.Equal(s.Tags, o.Tags) || s.ArticleLinked != o.ArticleLinked ||
		len(s.Referrals) != len(o.Referrals) || len(s.Transitions) != len(o.Transitions) {
		return false
	}
	for i, r := range s.Referrals {
		x := o.Referrals[i]
		if r.Agency != x.Agency || !r.SentAt.Equal(x.SentAt) || !r.AnsweredAt.Equal(x.AnsweredAt) {
			return false
		}
	}
	for i, tr := range s.Transitions {
		if tr.Resolved != o.Transitions[i].Resolved || !tr.At.Equal(o.Transitions[i].At) {
			return false
		}
	}
	return true
}

// Active reports whether the ticket is in an active status after its last transition.
func (s *StatsTicket) Active() bool {
	return len(s.Transitions) == 0 || !s.Transitions[len(s.Transitions)-1].Resolved
}

// TransitionOf returns the transition an event records, if it records one: a status change
// (EventStatus or EventReopened, from and to being statuses) that leaves or re-enters the active
// statuses. løst → lukket, or åpen → venter, is no transition.
func TransitionOf(kind EventKind, from, to string, at time.Time) (Transition, bool) {
	if kind != EventStatus && kind != EventReopened {
		return Transition{}, false
	}
	f, t := Status(from), Status(to)
	if !f.Valid() || !t.Valid() || f.Active() == t.Active() {
		return Transition{}, false
	}
	return Transition{At: at, Resolved: !t.Active()}, true
}

// Reconcile adds the transition the history lacks when the ticket's status disagrees with it,
// which only happens with history loaded from elsewhere without status events: a ticket stored
// as closed is then resolved at its ResolvedAt (or last update), one stored as open reopened at
// its last update.
func (s *StatsTicket) Reconcile(t *Ticket) {
	if s.Active() == t.Status.Active() {
		return
	}
	at := t.UpdatedAt
	if !t.Status.Active() && !t.ResolvedAt.IsZero() {
		at = t.ResolvedAt
	}
	if n := len(s.Transitions); n > 0 && at.Before(s.Transitions[n-1].At) {
		at = s.Transitions[n-1].At
	}
	if at.Before(t.CreatedAt) {
		at = t.CreatedAt
	}
	s.Transitions = append(s.Transitions, Transition{At: at, Resolved: !t.Status.Active()})
}

// FactKind says what a fact counts.
type FactKind uint8

// The fact kinds. The numbers are stored in keys: add, never renumber.
const (
	FactCreated       FactKind = 1
	FactFirstResponse FactKind = 2
	FactResolved      FactKind = 3
	FactReopened      FactKind = 4
	FactReferred      FactKind = 5
	FactAnswered      FactKind = 6
)

// FactKinds lists every kind, in key order.
var FactKinds = []FactKind{FactCreated, FactFirstResponse, FactResolved, FactReopened, FactReferred, FactAnswered}

// Fact is one moment of a ticket that the weekly report counts, with what the report needs to
// count it without reading the ticket.
type Fact struct {
	Kind     FactKind
	At       time.Time
	TicketID uint64
	// Seq tells apart facts of one kind and ticket: the transition or referral index.
	Seq int
	// Agency is the ticket's agency, or for FactReferred and FactAnswered the agency referred to.
	Agency       string
	Channel      Channel
	Municipality string
	County       string
	// Category, Tags and ArticleLinked are the ticket's (StatsTicket), on every kind of fact.
	Category      string
	Tags          []string
	ArticleLinked bool
	// Start is where the measured time starts: creation for FactFirstResponse and FactResolved,
	// the referral's sending for FactAnswered.
	Start time.Time
	// Answered is when the agency answered a FactReferred (zero: not yet).
	Answered time.Time
	// Responded is true for a FactResolved when a first response came before it.
	Responded bool
	// Wall and Business are the time from Start to At (Measure), kept with the fact so that
	// the trend of a year reads numbers instead of measuring hundreds of thousands of spans.
	Wall, Business time.Duration
}

// Facts returns every fact of the ticket (docs/STATISTICS.md).
func (s *StatsTicket) Facts() []Fact {
	base := Fact{TicketID: s.ID, Agency: s.Agency, Channel: s.Channel, Municipality: s.Municipality, County: s.County,
		Category: s.Category, Tags: s.Tags, ArticleLinked: s.ArticleLinked}
	facts := make([]Fact, 0, 2+len(s.Transitions)+2*len(s.Referrals))
	add := func(kind FactKind, at time.Time, seq int, f func(*Fact)) {
		x := base
		x.Kind, x.At, x.Seq = kind, at, seq
		if f != nil {
			f(&x)
		}
		facts = append(facts, x)
	}
	add(FactCreated, s.CreatedAt, 0, nil)
	if !s.FirstResponseAt.IsZero() {
		add(FactFirstResponse, s.FirstResponseAt, 0, func(f *Fact) { f.Start = s.CreatedAt })
	}
	for i, tr := range s.Transitions {
		if !tr.Resolved {
			add(FactReopened, tr.At, i, nil)
			continue
		}
		add(FactResolved, tr.At, i, func(f *Fact) {
			f.Start = s.CreatedAt
			f.Responded = !s.FirstResponseAt.IsZero() && !s.FirstResponseAt.After(tr.At)
		})
	}
	for i, r := range s.Referrals {
		add(FactReferred, r.SentAt, i, func(f *Fact) { f.Agency, f.Answered = r.Agency, r.AnsweredAt })
		if !r.AnsweredAt.IsZero() {
			add(FactAnswered, r.AnsweredAt, i, func(f *Fact) { f.Agency, f.Start = r.Agency, r.SentAt })
		}
	}
	measureFacts(facts)
	return facts
}

// measureFacts fills Wall and Business of the facts that measure a time.
func measureFacts(facts []Fact) {
	for i := range facts {
		if f := &facts[i]; f.Kind == FactFirstResponse || f.Kind == FactResolved || f.Kind == FactAnswered {
			f.Wall, f.Business = Measure(f.Start, f.At)
		}
	}
}

// Replay sets the transitions from the ticket's events, oldest first, and reconciles them with
// t's status. An event that would move the ticket to where it already is (a reopen whose
// resolution the history lacks) is skipped, so the ticket is never counted open twice.
func (s *StatsTicket) Replay(events []*Event, t *Ticket) {
	s.Transitions = s.Transitions[:0]
	for _, e := range events {
		if tr, ok := TransitionOf(e.Kind, e.From, e.To, e.At); ok && tr.Resolved == s.Active() {
			s.Transitions = append(s.Transitions, tr)
		}
	}
	s.Reconcile(t)
}
