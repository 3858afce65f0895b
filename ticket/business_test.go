package ticket_test

import (
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

func osloAt(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, ticket.Oslo)
}

func TestAddBusinessHours(t *testing.T) {
	tests := []struct {
		name        string
		start, want time.Time
	}{
		{"within the day", osloAt(2026, 11, 23, 9, 0), osloAt(2026, 11, 24, 9, 0)},
		{"before opening", osloAt(2026, 11, 23, 6, 30), osloAt(2026, 11, 23, 16, 0)},
		{"friday evening to monday", osloAt(2026, 11, 27, 20, 0), osloAt(2026, 11, 30, 16, 0)},
		{"saturday", osloAt(2026, 11, 28, 12, 0), osloAt(2026, 11, 30, 16, 0)},
		{"friday afternoon over the weekend", osloAt(2026, 11, 27, 15, 0), osloAt(2026, 11, 30, 15, 0)},
		{"over easter 2026", osloAt(2026, 4, 1, 12, 0), osloAt(2026, 4, 7, 12, 0)}, // 2–6 April are holidays
		{"over christmas", osloAt(2026, 12, 24, 10, 0), osloAt(2026, 12, 28, 10, 0)},
		{"17 May 2027 is a Monday", osloAt(2027, 5, 14, 12, 0), osloAt(2027, 5, 18, 12, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ticket.AddBusinessHours(tt.start, 8*time.Hour); !got.Equal(tt.want) {
				t.Errorf("got %v, want %v", got.In(ticket.Oslo), tt.want)
			}
		})
	}
}

func TestHolidays(t *testing.T) {
	for _, d := range []time.Time{osloAt(2026, 4, 2, 12, 0), osloAt(2026, 4, 3, 12, 0), osloAt(2026, 4, 6, 12, 0),
		osloAt(2026, 5, 14, 12, 0), osloAt(2026, 5, 25, 12, 0), osloAt(2027, 3, 29, 12, 0)} {
		if !ticket.IsHoliday(d) {
			t.Errorf("%v: got no holiday, want holiday", d)
		}
	}
	if ticket.IsHoliday(osloAt(2026, 4, 7, 12, 0)) {
		t.Error("7 April 2026: got holiday")
	}
}

func TestDueAt(t *testing.T) {
	created := osloAt(2026, 11, 23, 9, 0)
	remind := osloAt(2026, 11, 23, 12, 0)
	tests := []struct {
		name   string
		change func(*ticket.Ticket)
		want   time.Time
	}{
		{"new and unanswered", func(*ticket.Ticket) {}, osloAt(2026, 11, 24, 9, 0)},
		{"answered", func(t *ticket.Ticket) { t.FirstResponseAt = created.Add(time.Hour) }, time.Time{}},
		{"waiting on the requester", func(t *ticket.Ticket) { t.Status = ticket.StatusWaiting }, time.Time{}},
		{"resolved", func(t *ticket.Ticket) { t.Status = ticket.StatusResolved }, time.Time{}},
		{"open referral with reminder", func(t *ticket.Ticket) {
			t.Status, t.FirstResponseAt = ticket.StatusReferred, created
			t.Referrals = []ticket.Referral{{Agency: "nav", Status: ticket.ReferralSent, RemindAt: remind}}
		}, remind},
		{"referral marked overdue by the reminder job", func(t *ticket.Ticket) {
			t.Status, t.FirstResponseAt = ticket.StatusReferred, created
			t.Referrals = []ticket.Referral{{Agency: "nav", Status: ticket.ReferralSent, RemindedAt: remind}}
		}, remind},
		{"answered referral", func(t *ticket.Ticket) {
			t.Status, t.FirstResponseAt = ticket.StatusReferred, created
			t.Referrals = []ticket.Referral{{Agency: "nav", Status: ticket.ReferralAnswered, RemindAt: remind}}
		}, time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tk := validTicket()
			tk.CreatedAt = created
			tt.change(tk)
			if got := tk.DueAt(); !got.Equal(tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
			if !tt.want.IsZero() && (tk.Overdue(tt.want.Add(-time.Second)) || !tk.Overdue(tt.want) || tk.OverdueReason(tt.want) == "") {
				t.Errorf("overdue around %v is wrong", tt.want)
			}
		})
	}
}
