package ticket_test

import (
	"testing"

	"github.com/ks-no/digihjelpen/ticket"
)

func TestCanTransition(t *testing.T) {
	tests := []struct {
		name     string
		from, to ticket.Status
		want     bool
	}{
		{"new to open", ticket.StatusNew, ticket.StatusOpen, true},
		{"new to referred", ticket.StatusNew, ticket.StatusReferred, true},
		{"open to waiting", ticket.StatusOpen, ticket.StatusWaiting, true},
		{"waiting to open", ticket.StatusWaiting, ticket.StatusOpen, true},
		{"referred to resolved", ticket.StatusReferred, ticket.StatusResolved, true},
		{"resolved to open", ticket.StatusResolved, ticket.StatusOpen, true},
		{"resolved to closed", ticket.StatusResolved, ticket.StatusClosed, true},
		{"closed to open (staff reopen)", ticket.StatusClosed, ticket.StatusOpen, true},
		{"same status", ticket.StatusOpen, ticket.StatusOpen, true},
		{"back to new", ticket.StatusOpen, ticket.StatusNew, false},
		{"resolved to waiting", ticket.StatusResolved, ticket.StatusWaiting, false},
		{"closed to resolved", ticket.StatusClosed, ticket.StatusResolved, false},
		{"unknown from", ticket.Status("x"), ticket.StatusOpen, false},
		{"unknown to", ticket.StatusOpen, ticket.Status("x"), false},
		{"unknown same", ticket.Status("x"), ticket.Status("x"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ticket.CanTransition(tt.from, tt.to); got != tt.want {
				t.Fatalf("CanTransition(%s, %s) = %v, want %v", tt.from, tt.to, got, tt.want)
			}
			err := ticket.CheckTransition(tt.from, tt.to)
			if (err == nil) != tt.want {
				t.Fatalf("CheckTransition(%s, %s) = %v, want ok=%v", tt.from, tt.to, err, tt.want)
			}
			if err != nil && ticket.ErrorCode(err) != ticket.EINVALID {
				t.Fatalf("code = %s, want %s", ticket.ErrorCode(err), ticket.EINVALID)
			}
		})
	}
}

func TestReopenOnReply(t *testing.T) {
	for _, s := range ticket.Statuses {
		got, reopened := ticket.ReopenOnReply(s)
		wantReopen := s == ticket.StatusWaiting || s == ticket.StatusResolved
		if reopened != wantReopen {
			t.Errorf("ReopenOnReply(%s) reopened = %v, want %v", s, reopened, wantReopen)
		}
		if reopened && got != ticket.StatusOpen {
			t.Errorf("ReopenOnReply(%s) = %s, want %s", s, got, ticket.StatusOpen)
		}
		if !reopened && got != s {
			t.Errorf("ReopenOnReply(%s) = %s, want unchanged", s, got)
		}
	}
}

func TestStatusActive(t *testing.T) {
	active := map[ticket.Status]bool{
		ticket.StatusNew: true, ticket.StatusOpen: true, ticket.StatusWaiting: true,
		ticket.StatusReferred: true, ticket.StatusResolved: false, ticket.StatusClosed: false,
	}
	for s, want := range active {
		if got := s.Active(); got != want {
			t.Errorf("%s.Active() = %v, want %v", s, got, want)
		}
	}
}
