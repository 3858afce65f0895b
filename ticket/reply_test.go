package ticket_test

import (
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

func TestStatusAfterReply(t *testing.T) {
	st := func(s ticket.Status) *ticket.Status { return &s }
	tests := []struct {
		name    string
		current ticket.Status
		chosen  *ticket.Status
		want    *ticket.Status
		err     string
	}{
		{"OKNewWaits", ticket.StatusNew, nil, st(ticket.StatusWaiting), ""},
		{"OKOpenWaits", ticket.StatusOpen, nil, st(ticket.StatusWaiting), ""},
		{"OKReferredStays", ticket.StatusReferred, nil, nil, ""},
		{"OKResolvedStays", ticket.StatusResolved, nil, nil, ""},
		{"OKChosenResolved", ticket.StatusOpen, st(ticket.StatusResolved), st(ticket.StatusResolved), ""},
		{"OKChosenOpen", ticket.StatusClosed, st(ticket.StatusOpen), st(ticket.StatusOpen), ""},
		{"ErrChosenClosed", ticket.StatusOpen, st(ticket.StatusClosed), nil, "Et svar kan sette saken til «venter», «løst» eller «åpen», ikke «lukket»."},
		{"ErrChosenReferred", ticket.StatusOpen, st(ticket.StatusReferred), nil, "Et svar kan sette saken til «venter», «løst» eller «åpen», ikke «henvist»."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ticket.StatusAfterReply(tt.current, tt.chosen)
			msg := ""
			if err != nil {
				msg = ticket.ErrorMessage(err)
				if fe := ticket.FieldErrorsOf(err); len(fe) != 1 || fe[0].Field != "status" {
					t.Errorf("got field errors %v, want one on status", fe)
				}
			}
			if msg != tt.err || (got == nil) != (tt.want == nil) || got != nil && *got != *tt.want {
				t.Errorf("got %v, %q; want %v, %q", got, msg, tt.want, tt.err)
			}
		})
	}
}

func TestDefaultReplyStatusIsAReplyStatus(t *testing.T) {
	for _, s := range ticket.Statuses {
		d := ticket.DefaultReplyStatus(s)
		if _, err := ticket.StatusAfterReply(s, &d); err != nil {
			t.Errorf("the form proposes %s for a %s ticket, which a reply may not set: %v", d, s, err)
		}
	}
}

func TestCheckStatusChange(t *testing.T) {
	tests := []struct {
		name string
		t    ticket.Ticket
		to   ticket.Status
		err  string
	}{
		{"OK", ticket.Ticket{Status: ticket.StatusOpen}, ticket.StatusResolved, ""},
		{"OKClosedReopens", ticket.Ticket{Status: ticket.StatusClosed}, ticket.StatusOpen, ""},
		{"ErrTransition", ticket.Ticket{Status: ticket.StatusResolved}, ticket.StatusWaiting, "En sak med status «løst» kan ikke settes til «venter»."},
		{"ErrMerged", ticket.Ticket{Status: ticket.StatusClosed, MergedInto: 7}, ticket.StatusOpen,
			"Saken er slått sammen inn i en annen sak og kan ikke åpnes igjen. Arbeid videre i den saken."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.t.CheckStatusChange(tt.to)
			msg := ""
			if err != nil {
				msg = ticket.ErrorMessage(err)
				if ticket.ErrorCode(err) != ticket.EINVALID {
					t.Errorf("code %q, want %q", ticket.ErrorCode(err), ticket.EINVALID)
				}
			}
			if msg != tt.err {
				t.Errorf("got %q, want %q", msg, tt.err)
			}
		})
	}
}

func TestChangedSince(t *testing.T) {
	tk := ticket.Ticket{Version: 4}
	v := func(n uint64) *uint64 { return &n }
	if tk.ChangedSince(nil) || tk.ChangedSince(v(4)) || !tk.ChangedSince(v(3)) {
		t.Errorf("got nil %v, same %v, older %v; want false, false, true", tk.ChangedSince(nil), tk.ChangedSince(v(4)), tk.ChangedSince(v(3)))
	}
}

func TestRequesterCanAdd(t *testing.T) {
	with := func(f func(*ticket.Ticket)) ticket.Ticket {
		tk := ticket.Ticket{Status: ticket.StatusResolved, Requester: ticket.Requester{Email: "kari@hamar.kommune.no"}}
		f(&tk)
		return tk
	}
	tests := []struct {
		name string
		t    ticket.Ticket
		want bool
	}{
		{"resolved", with(func(*ticket.Ticket) {}), true},
		{"waiting", with(func(t *ticket.Ticket) { t.Status = ticket.StatusWaiting }), true},
		{"closed", with(func(t *ticket.Ticket) { t.Status = ticket.StatusClosed }), false},
		{"anonymised", with(func(t *ticket.Ticket) { t.AnonymisedAt = time.Now() }), false},
		{"no address", with(func(t *ticket.Ticket) { t.Requester.Email = "" }), false},
	}
	for _, tt := range tests {
		if got := tt.t.RequesterCanAdd(); got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
}
