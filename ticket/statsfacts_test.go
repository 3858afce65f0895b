package ticket_test

import (
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

func TestTransitionOf(t *testing.T) {
	at := oslo("2026-11-23 09:00")
	tests := []struct {
		name         string
		kind         ticket.EventKind
		from, to     string
		ok, resolved bool
	}{
		{"resolved", ticket.EventStatus, "åpen", "løst", true, true},
		{"closed without answer", ticket.EventStatus, "ny", "lukket", true, true},
		{"reopened by the requester", ticket.EventReopened, "løst", "åpen", true, false},
		{"reopened by staff", ticket.EventStatus, "lukket", "åpen", true, false},
		{"løst to lukket is no transition", ticket.EventStatus, "løst", "lukket", false, false},
		{"waiting is still active", ticket.EventStatus, "åpen", "venter", false, false},
		{"another kind", ticket.EventAgency, "åpen", "løst", false, false},
		{"not statuses", ticket.EventStatus, "ks", "nav", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr, ok := ticket.TransitionOf(tt.kind, tt.from, tt.to, at)
			if ok != tt.ok || (ok && (tr.Resolved != tt.resolved || !tr.At.Equal(at))) {
				t.Errorf("got %v %v, want ok %v resolved %v", tr, ok, tt.ok, tt.resolved)
			}
		})
	}
}

func TestStatsTicketReplay(t *testing.T) {
	created := oslo("2026-11-16 09:00")
	ev := func(kind ticket.EventKind, from, to, at string) *ticket.Event {
		return &ticket.Event{Kind: kind, From: from, To: to, At: oslo(at)}
	}
	tests := []struct {
		name   string
		status ticket.Status
		events []*ticket.Event
		want   []bool // Resolved of each transition
	}{
		{"open, never resolved", ticket.StatusOpen, []*ticket.Event{ev(ticket.EventStatus, "ny", "åpen", "2026-11-16 10:00")}, nil},
		{"resolved, reopened, resolved", ticket.StatusClosed, []*ticket.Event{
			ev(ticket.EventStatus, "åpen", "løst", "2026-11-17 10:00"), ev(ticket.EventReopened, "løst", "åpen", "2026-11-18 10:00"),
			ev(ticket.EventStatus, "åpen", "løst", "2026-11-19 10:00"), ev(ticket.EventStatus, "løst", "lukket", "2026-11-26 10:00")},
			[]bool{true, false, true}},
		{"closed without status events: resolved at ResolvedAt", ticket.StatusClosed, nil, []bool{true}},
		{"a reopen the history cannot explain is skipped", ticket.StatusOpen, []*ticket.Event{ev(ticket.EventStatus, "lukket", "åpen", "2026-11-18 10:00")}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tk := &ticket.Ticket{ID: 1, Status: tt.status, CreatedAt: created, UpdatedAt: oslo("2026-11-26 10:00"), ResolvedAt: oslo("2026-11-20 10:00")}
			var s ticket.StatsTicket
			s.SetTicket(tk)
			s.Replay(tt.events, tk)
			if len(s.Transitions) != len(tt.want) {
				t.Fatalf("got %v, want %v", s.Transitions, tt.want)
			}
			for i, w := range tt.want {
				if s.Transitions[i].Resolved != w {
					t.Errorf("transition %d: got %v, want resolved %v", i, s.Transitions[i], w)
				}
			}
			if s.Active() != tt.status.Active() {
				t.Errorf("active %v, status %s", s.Active(), tt.status)
			}
		})
	}
}

func TestStatsTicketFacts(t *testing.T) {
	s := ticket.StatsTicket{ID: 7, CreatedAt: oslo("2026-11-20 15:00"), FirstResponseAt: oslo("2026-11-23 09:00"),
		Agency: "ks", Channel: ticket.ChannelEmail, Municipality: "3405", County: "34",
		Referrals:   []ticket.StatsReferral{{Agency: "nav", SentAt: oslo("2026-11-23 09:00"), AnsweredAt: oslo("2026-11-24 10:00")}},
		Transitions: []ticket.Transition{{At: oslo("2026-11-20 15:30"), Resolved: true}, {At: oslo("2026-11-21 10:00")}, {At: oslo("2026-11-24 12:00"), Resolved: true}}}
	facts := s.Facts()
	want := []struct {
		kind      ticket.FactKind
		agency    string
		wall      time.Duration
		business  time.Duration
		responded bool
	}{
		{ticket.FactCreated, "ks", 0, 0, false},
		{ticket.FactFirstResponse, "ks", 66 * time.Hour, 2 * time.Hour, false},
		{ticket.FactResolved, "ks", 30 * time.Minute, 30 * time.Minute, false}, // before the first response
		{ticket.FactReopened, "ks", 0, 0, false},
		{ticket.FactResolved, "ks", 93 * time.Hour, 13 * time.Hour, true},
		{ticket.FactReferred, "nav", 0, 0, false},
		{ticket.FactAnswered, "nav", 25 * time.Hour, 9 * time.Hour, false},
	}
	if len(facts) != len(want) {
		t.Fatalf("got %d facts, want %d", len(facts), len(want))
	}
	for i, w := range want {
		f := facts[i]
		if f.Kind != w.kind || f.Agency != w.agency || f.Wall != w.wall || f.Business != w.business || f.Responded != w.responded || f.TicketID != 7 {
			t.Errorf("fact %d: got %+v, want %+v", i, f, w)
		}
	}
	if !facts[5].Answered.Equal(oslo("2026-11-24 10:00")) || facts[5].Municipality != "3405" {
		t.Errorf("referral fact %+v", facts[5])
	}
}
