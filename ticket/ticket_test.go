package ticket_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

func validTicket() *ticket.Ticket {
	return &ticket.Ticket{
		Subject: "Hvor finner jeg kursmateriell?", Status: ticket.StatusNew, Agency: "ks",
		Priority: ticket.PriorityNormal, Channel: ticket.ChannelEmail,
		Requester: ticket.Requester{Name: "Kari Nordmann", Email: "kari@bibliotek.oslo.kommune.no"},
	}
}

func TestTicketValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*ticket.Ticket)
		field  string
	}{
		{"OK", func(*ticket.Ticket) {}, ""},
		{"ErrSubjectRequired", func(t *ticket.Ticket) { t.Subject = "  " }, "subject"},
		{"ErrSubjectTooLong", func(t *ticket.Ticket) { t.Subject = strings.Repeat("æ", ticket.MaxSubjectLen+1) }, "subject"},
		{"ErrStatus", func(t *ticket.Ticket) { t.Status = "ferdig" }, "status"},
		{"ErrChannel", func(t *ticket.Ticket) { t.Channel = "fax" }, "channel"},
		{"ErrPriority", func(t *ticket.Ticket) { t.Priority = "" }, "priority"},
		{"ErrAgency", func(t *ticket.Ticket) { t.Agency = "" }, "agency"},
		{"ErrEmail", func(t *ticket.Ticket) { t.Requester.Email = "kari@" }, "email"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tk := validTicket()
			tt.change(tk)
			err := tk.Validate()
			if tt.field == "" {
				if err != nil {
					t.Fatalf("got %v, want nil", err)
				}
				return
			}
			fe, ok := err.(ticket.FieldErrors)
			if !ok || fe.ByField(tt.field) == "" {
				t.Fatalf("got %v, want an error on field %q", err, tt.field)
			}
			if ticket.ErrorCode(err) != ticket.EINVALID {
				t.Fatalf("code = %s, want %s", ticket.ErrorCode(err), ticket.EINVALID)
			}
		})
	}
}

func TestIsParticipant(t *testing.T) {
	tk := validTicket()
	tk.Participants = []string{"veileder@nav.no"}
	for addr, want := range map[string]bool{
		"KARI@bibliotek.oslo.kommune.no": true, "veileder@nav.no": true,
		"ukjent@example.org": false, "": false,
	} {
		if got := tk.IsParticipant(addr); got != want {
			t.Errorf("IsParticipant(%q) = %v, want %v", addr, got, want)
		}
	}
}

func TestCursorRoundTrip(t *testing.T) {
	tk := validTicket()
	tk.ID = 77
	tk.UpdatedAt = time.Date(2026, 11, 23, 10, 0, 0, 5, time.UTC)
	tk.CreatedAt = time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC)
	for _, order := range []ticket.SortOrder{ticket.SortUpdatedDesc, ticket.SortCreatedAsc} {
		at, id, err := ticket.ParseCursor(tk.Cursor(order))
		want := tk.UpdatedAt
		if order == ticket.SortCreatedAsc {
			want = tk.CreatedAt
		}
		if err != nil || id != 77 || !at.Equal(want) {
			t.Errorf("%s: got %v %d %v, want %v 77", order, at, id, err, want)
		}
	}
	if _, _, err := ticket.ParseCursor("!!"); ticket.ErrorCode(err) != ticket.EINVALID {
		t.Errorf("bad cursor: got %v, want EINVALID", err)
	}
}

func TestErrorMessage(t *testing.T) {
	if got := ticket.ErrorMessage(ticket.Errorf(ticket.ENOTFOUND, "Fant ikke saken.")); got != "Fant ikke saken." {
		t.Errorf("got %q", got)
	}
	internal := ticket.ErrorMessage(errString("open /var/db: permission denied"))
	if strings.Contains(internal, "/var/db") {
		t.Errorf("internal details leaked: %q", internal)
	}
}

type errString string

func (e errString) Error() string { return string(e) }

func TestDecisionApply(t *testing.T) {
	tk := validTicket()
	tk.Tags = []string{"skjema"}
	ticket.Decision{
		Agency: "skatteetaten", Priority: ticket.PriorityHigh, Tags: []string{"skattekort", "skjema"},
		Routing:      ticket.Routing{Rule: "skatt", Reason: "«skattekort» i emnet"},
		Municipality: ticket.Municipality{Number: "0301", Name: "Oslo"}, County: ticket.County{Number: "03", Name: "Oslo"},
	}.Apply(tk)
	if tk.Agency != "skatteetaten" || tk.Priority != ticket.PriorityHigh || len(tk.Tags) != 2 || tk.Routing.Rule != "skatt" || tk.Requester.County.Name != "Oslo" {
		t.Fatalf("got %+v", tk)
	}
	kept := validTicket()
	kept.Requester.Municipality = ticket.Municipality{Number: "3405", Name: "Lillehammer"}
	ticket.Decision{Municipality: ticket.Municipality{Number: "0301", Name: "Oslo"}}.Apply(kept)
	if kept.Requester.Municipality.Number != "3405" || kept.Agency != "ks" {
		t.Fatalf("form municipality or agency overwritten: %+v", kept)
	}
}

func TestFieldErrorsOf(t *testing.T) {
	one := ticket.FieldError("epost", "Skriv e-postadressen.")
	tests := []struct {
		name string
		err  error
		want int
	}{
		{"nil", nil, 0},
		{"one field error", one, 1},
		{"wrapped", fmt.Errorf("save: %w", one), 1},
		{"several", ticket.FieldErrors{one, ticket.FieldError("navn", "Skriv navnet.")}, 2},
		{"invalid without field", ticket.Errorf(ticket.EINVALID, "Ugyldig uke."), 1},
		{"not found is not the form's", ticket.Errorf(ticket.ENOTFOUND, "Fant ikke saken."), 0},
		{"internal", errString("disk full"), 0},
	}
	for _, tt := range tests {
		if got := ticket.FieldErrorsOf(tt.err); len(got) != tt.want {
			t.Errorf("%s: got %v, want %d errors", tt.name, got, tt.want)
		}
	}
}
