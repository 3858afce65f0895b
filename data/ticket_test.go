package data_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/ticket"
)

func TestCreateTicket(t *testing.T) {
	ctx := context.Background()
	t.Run("OK", func(t *testing.T) {
		db, _ := mustOpenDB(t)
		s := data.NewTicketService(db)
		tk, m := newTicket("Spørsmål om skattekort", "Kari@Lillehammer.Kommune.no", "skatteetaten")
		m.MessageID = "<abc@lillehammer.kommune.no>"
		m.Raw = []byte("From: kari@lillehammer.kommune.no\r\n\r\nHei")
		m.Attachments = []ticket.Attachment{{Name: "skjema.pdf", Type: "application/pdf", Data: []byte("%PDF-1.4 æøå")}}
		if err := s.CreateTicket(ctx, tk, m, ticket.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
		if tk.ID != 1 || tk.Ref.String() != "DH-2026-0001" || tk.StatusToken == "" || tk.MessageCount != 1 {
			t.Fatalf("got id=%d ref=%s token=%q count=%d", tk.ID, tk.Ref, tk.StatusToken, tk.MessageCount)
		}
		got, err := s.FindTicketByRef(ctx, tk.Ref)
		if err != nil {
			t.Fatal(err)
		}
		if got.Subject != "Spørsmål om skattekort" || got.Requester.Email != "kari@lillehammer.kommune.no" || got.Version != 1 {
			t.Fatalf("got %+v", got)
		}
		if byToken, err := s.FindTicketByToken(ctx, tk.StatusToken); err != nil || byToken.ID != tk.ID {
			t.Fatalf("by token: %v %v", byToken, err)
		}
		msgs, err := s.FindMessages(ctx, tk.ID)
		if err != nil || len(msgs) != 1 || !msgs[0].HasRaw || msgs[0].Attachments[0].Size != int64(len("%PDF-1.4 æøå")) {
			t.Fatalf("messages: %+v %v", msgs, err)
		}
		a, err := s.FindAttachment(ctx, tk.ID, 1, 0)
		if err != nil || string(a.Data) != "%PDF-1.4 æøå" || a.SHA256 == "" {
			t.Fatalf("attachment: %+v %v", a, err)
		}
		raw, err := s.FindRawMessage(ctx, tk.ID, 1)
		if err != nil || !strings.HasPrefix(string(raw), "From:") {
			t.Fatalf("raw: %q %v", raw, err)
		}
		events, _ := data.NewEventService(db).FindEvents(ctx, tk.ID)
		if len(events) != 1 || events[0].Kind != ticket.EventCreated {
			t.Fatalf("events: %+v", events)
		}
		mustVerify(t, db)
	})
	t.Run("ErrDuplicateMessageID", func(t *testing.T) {
		db, _ := mustOpenDB(t)
		s := data.NewTicketService(db)
		for i, want := range []string{"", ticket.ECONFLICT} {
			tk, m := newTicket("Hei", "a@b.no", "ks")
			m.MessageID = "<same@x>"
			if err := s.CreateTicket(ctx, tk, m, ticket.CreateOptions{}); ticket.ErrorCode(err) != want {
				t.Fatalf("create %d: got %v, want code %q", i, err, want)
			}
		}
		mustVerify(t, db)
	})
	t.Run("ErrSubjectRequired", func(t *testing.T) {
		db, _ := mustOpenDB(t)
		tk, m := newTicket(" ", "a@b.no", "ks")
		err := data.NewTicketService(db).CreateTicket(ctx, tk, m, ticket.CreateOptions{})
		if ticket.ErrorCode(err) != ticket.EINVALID || ticket.ErrorMessage(err) != "Skriv et emne." {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("ErrNoMessage", func(t *testing.T) {
		db, _ := mustOpenDB(t)
		tk, _ := newTicket("Hei", "a@b.no", "ks")
		if err := data.NewTicketService(db).CreateTicket(ctx, tk, nil, ticket.CreateOptions{}); ticket.ErrorCode(err) != ticket.EINVALID {
			t.Fatalf("got %v", err)
		}
	})
}

func TestRefsNumberPerYear(t *testing.T) {
	db, clock := mustOpenDB(t)
	s := data.NewTicketService(db)
	clock.now = time.Date(2026, 12, 31, 23, 30, 0, 0, ticket.Oslo)
	a := mustCreate(t, s, "Siste i 2026", "a@b.no", "ks")
	b := mustCreate(t, s, "Nest siste", "a@b.no", "ks")
	clock.Add(time.Hour) // 00:30 on 1 January in Oslo, still 2026 in UTC
	c := mustCreate(t, s, "Første i 2027", "a@b.no", "ks")
	for _, tt := range []struct {
		got  *ticket.Ticket
		want string
	}{{a, "DH-2026-0001"}, {b, "DH-2026-0002"}, {c, "DH-2027-0001"}} {
		if tt.got.Ref.String() != tt.want {
			t.Errorf("got %s, want %s", tt.got.Ref, tt.want)
		}
	}
}

func TestFindTicketNotFound(t *testing.T) {
	db, _ := mustOpenDB(t)
	s := data.NewTicketService(db)
	ctx := context.Background()
	if _, err := s.FindTicketByID(ctx, 99); ticket.ErrorCode(err) != ticket.ENOTFOUND {
		t.Errorf("by id: got %v", err)
	}
	if _, err := s.FindTicketByRef(ctx, ticket.Ref{Year: 2026, Number: 5}); ticket.ErrorCode(err) != ticket.ENOTFOUND {
		t.Errorf("by ref: got %v", err)
	}
	if _, err := s.FindTicketByToken(ctx, ""); ticket.ErrorCode(err) != ticket.ENOTFOUND {
		t.Errorf("by empty token: got %v", err)
	}
}

func TestUpdateTicket(t *testing.T) {
	ctx := ticket.NewContextWithActor(context.Background(), ticket.Actor{Name: "ola@ks.no", Role: ticket.RoleAgent})
	db, clock := mustOpenDB(t)
	s := data.NewTicketService(db)
	tk := mustCreate(t, s, "Hjelp med NAV", "per@bergen.kommune.no", "ks")

	tests := []struct {
		name    string
		upd     ticket.TicketUpdate
		code    string
		check   func(*ticket.Ticket) bool
		eventOf ticket.EventKind
	}{
		{"status to open", ticket.TicketUpdate{Status: ptr(ticket.StatusOpen)}, "", func(t *ticket.Ticket) bool { return t.Status == ticket.StatusOpen }, ticket.EventStatus},
		{"agency with routing", ticket.TicketUpdate{Agency: ptr("nav"), Routing: &ticket.Routing{Rule: "manuell", Reason: "omdirigert av saksbehandler"}}, "", func(t *ticket.Ticket) bool { return t.Agency == "nav" && t.Routing.Rule == "manuell" }, ticket.EventAgency},
		{"assign", ticket.TicketUpdate{Assignee: ptr("Ola@KS.no")}, "", func(t *ticket.Ticket) bool { return t.Assignee == "ola@ks.no" }, ticket.EventAssigned},
		{"tags", ticket.TicketUpdate{Tags: &[]string{"nav", "hast"}}, "", func(t *ticket.Ticket) bool { return t.HasTag("hast") }, ticket.EventTags},
		{"priority", ticket.TicketUpdate{Priority: ptr(ticket.PriorityHigh)}, "", func(t *ticket.Ticket) bool { return t.Priority == ticket.PriorityHigh }, ticket.EventPriority},
		{"resolve", ticket.TicketUpdate{Status: ptr(ticket.StatusResolved)}, "", func(t *ticket.Ticket) bool { return !t.ResolvedAt.IsZero() }, ticket.EventStatus},
		{"ErrTransition", ticket.TicketUpdate{Status: ptr(ticket.StatusWaiting)}, ticket.EINVALID, nil, ""},
		{"ErrVersion", ticket.TicketUpdate{Status: ptr(ticket.StatusClosed), IfVersion: ptr(uint64(1))}, ticket.ECONFLICT, nil, ""},
		{"ErrPriority", ticket.TicketUpdate{Priority: ptr(ticket.Priority("kritisk"))}, ticket.EINVALID, nil, ""},
		{"reopen", ticket.TicketUpdate{Status: ptr(ticket.StatusOpen)}, "", func(t *ticket.Ticket) bool { return t.ResolvedAt.IsZero() && t.ReopenCount == 1 }, ticket.EventStatus},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock.Add(time.Minute)
			before, _ := s.FindTicketByID(ctx, tk.ID)
			got, err := s.UpdateTicket(ctx, tk.ID, tt.upd)
			if ticket.ErrorCode(err) != tt.code {
				t.Fatalf("got %v, want code %q", err, tt.code)
			}
			mustVerify(t, db)
			if tt.code != "" {
				after, _ := s.FindTicketByID(ctx, tk.ID)
				if after.Version != before.Version {
					t.Fatalf("a refused update changed the ticket: version %d -> %d", before.Version, after.Version)
				}
				return
			}
			if !tt.check(got) || got.Version != before.Version+1 || !got.UpdatedAt.After(before.UpdatedAt) {
				t.Fatalf("got %+v", got)
			}
			events, _ := data.NewEventService(db).FindEvents(ctx, tk.ID)
			last := events[len(events)-1]
			if last.Kind != tt.eventOf || last.Actor != "ola@ks.no" {
				t.Fatalf("last event = %+v, want kind %s by ola@ks.no", last, tt.eventOf)
			}
		})
	}
}

func TestUpdateTicketNoChange(t *testing.T) {
	db, _ := mustOpenDB(t)
	s := data.NewTicketService(db)
	tk := mustCreate(t, s, "Hei", "a@b.no", "ks")
	got, err := s.UpdateTicket(context.Background(), tk.ID, ticket.TicketUpdate{Agency: ptr("ks")})
	if err != nil || got.Version != tk.Version {
		t.Fatalf("got %v %v, want unchanged", got, err)
	}
}

func TestCreateTicketAcknowledgement(t *testing.T) {
	ctx := context.Background()
	db, _ := mustOpenDB(t)
	s := data.NewTicketService(db)
	tk, m := newTicket("Hei", "kari@hamar.kommune.no", "ks")
	var seenRef string
	ack := func(t *ticket.Ticket, first *ticket.Message) ([]*ticket.OutboundMail, error) {
		seenRef = t.Ref.String()
		return []*ticket.OutboundMail{{Kind: ticket.MailAck, To: []string{t.Requester.Email}, Subject: "[" + t.Ref.String() + "] Mottatt",
			Text: "Lenke: /sak/" + t.StatusToken, MessageID: "<ack-1@digihjelpen.test>", AutoReply: true}}, nil
	}
	if err := s.CreateTicket(ctx, tk, m, ticket.CreateOptions{Acknowledge: ack}); err != nil {
		t.Fatal(err)
	}
	if seenRef != "DH-2026-0001" {
		t.Fatalf("acknowledger saw ref %q, want the assigned one", seenRef)
	}
	if got, _, err := s.FindTicketByMessageID(ctx, "<ack-1@digihjelpen.test>"); err != nil || got.ID != tk.ID {
		t.Fatalf("acknowledgement not indexed for threading: %v %v", got, err)
	}

	failing := func(*ticket.Ticket, *ticket.Message) ([]*ticket.OutboundMail, error) {
		return nil, errors.New("template broken")
	}
	tk2, m2 := newTicket("Hei igjen", "kari@hamar.kommune.no", "ks")
	if err := s.CreateTicket(ctx, tk2, m2, ticket.CreateOptions{Acknowledge: failing}); err == nil {
		t.Fatal("a failing acknowledgement did not abort the creation")
	}
	if _, n, _ := s.FindTickets(ctx, ticket.TicketFilter{}); n != 1 {
		t.Fatalf("%d tickets after an aborted creation, want 1", n)
	}
	mustVerify(t, db)
}
