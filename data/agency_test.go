package data_test

import (
	"context"
	"testing"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/ticket"
)

// TestAgencyVersions: the configured agencies until an administrator saves one; every save a
// version with who and when, in the audit trail; the latest in force at once, for the pages
// and for intake, which knows an agency's answer by the domain of its address.
func TestAgencyVersions(t *testing.T) {
	db, _ := mustOpenDB(t)
	ctx := ticket.NewContextWithActor(context.Background(), ticket.Actor{Name: "admin@ks.no"})
	defaults := ticket.Agencies{{Key: "ks", Name: "KS"}, {Key: "nav", Name: "NAV", Description: "Saker hos NAV"}}
	s := data.NewAgencyService(db, defaults)
	as, err := s.FindAgencies(ctx)
	if err != nil || len(as) != 2 || as[1].Email != "" {
		t.Fatalf("before any edit: %v %v", as, err)
	}
	errs := []struct {
		name  string
		a     ticket.Agency
		code  string
		field string
	}{
		{"ErrUnknown", ticket.Agency{Key: "skatt", Name: "Skatt"}, ticket.ENOTFOUND, ""},
		{"ErrNoName", ticket.Agency{Key: "nav", Name: " "}, ticket.EINVALID, "navn"},
		{"ErrNotAnAddress", ticket.Agency{Key: "nav", Name: "NAV", Email: "henvisning at nav"}, ticket.EINVALID, "epost"},
		{"ErrTwoAddresses", ticket.Agency{Key: "nav", Name: "NAV", Email: "a@nav.no, b@nav.no"}, ticket.EINVALID, "epost"},
		{"ErrNothingChanged", ticket.Agency{Key: "nav", Name: "NAV", Description: "Saker hos NAV"}, ticket.EINVALID, ""},
	}
	for _, tt := range errs {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.SaveAgency(ctx, tt.a)
			if ticket.ErrorCode(err) != tt.code {
				t.Fatalf("got %v, want %s", err, tt.code)
			}
			if tt.field != "" && ticket.FieldErrorsOf(err).ByField(tt.field) == "" {
				t.Errorf("no error on %s: %v", tt.field, err)
			}
		})
	}
	v1, err := s.SaveAgency(ctx, ticket.Agency{Key: "nav", Name: "NAV", Email: "Henvisning@NAV.no", Description: "Saker hos NAV"})
	if err != nil || v1.Version != 1 || v1.Email != "henvisning@nav.no" || v1.By != "admin@ks.no" {
		t.Fatalf("first save %+v %v", v1, err)
	}
	if _, err := s.SaveAgency(ctx, ticket.Agency{Key: "nav", Name: "Arbeids- og velferdsetaten", Email: "digihjelp@nav.no"}); err != nil {
		t.Fatal(err)
	}
	as, _ = s.FindAgencies(ctx)
	if as[1].Name != "Arbeids- og velferdsetaten" || as[1].Email != "digihjelp@nav.no" || as[0].Name != "KS" {
		t.Errorf("in force: %+v", as)
	}
	versions, err := s.FindAgencyVersions(ctx, "nav")
	if err != nil || len(versions) != 2 || versions[0].Version != 2 || versions[1].Email != "henvisning@nav.no" {
		t.Fatalf("versions %+v %v", versions, err)
	}
	if v, _ := s.FindAgencyVersions(ctx, "ks"); len(v) != 0 {
		t.Errorf("ks has versions: %v", v)
	}
	events, _ := data.NewEventService(db).FindEvents(ctx, 0)
	last := events[len(events)-1]
	if last.Kind != ticket.EventAgencyEdit || last.From != "nav" || last.To != "versjon 2" || last.Actor != "admin@ks.no" {
		t.Errorf("audit event %+v", last)
	}

	// intake: an answer from the new address's domain answers the referral
	tickets, intake := data.NewTicketService(db), data.NewIntakeService(db)
	intake.Agencies = defaults
	tk := mustCreate(t, tickets, "Dagpenger", "kari@hamar.kommune.no", "nav")
	ref := &ticket.Message{Direction: ticket.DirectionOut, To: []string{"digihjelp@nav.no"}, Text: "Henvist", MessageID: "<ref@ks.no>"}
	if _, err := tickets.AppendMessage(ctx, tk.ID, ref, ticket.AppendOptions{Referral: &ticket.Referral{Agency: "nav"}}); err != nil {
		t.Fatal(err)
	}
	in := mail("saksbehandler@nav.no", "SV: "+ticket.SubjectWithRef(tk.Ref, "Dagpenger"), "<svar@nav.no>")
	if _, err := intake.Ingest(ctx, in, ticket.IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	got, _ := tickets.FindTicketByID(ctx, tk.ID)
	if got.Referrals[0].Status != ticket.ReferralAnswered {
		t.Errorf("referral %+v, want answered by mail from the edited address's domain", got.Referrals[0])
	}
}

// TestReplyEffects: a reply may assign the ticket in its own transaction; a referral is
// recorded as a referral (with the address it went to), not as a reply; its notice to the
// requester is in the history.
func TestReplyEffects(t *testing.T) {
	db, _ := mustOpenDB(t)
	ctx := context.Background()
	s := data.NewTicketService(db)
	tk := mustCreate(t, s, "Kurs", "kari@hamar.kommune.no", "ks")
	m := &ticket.Message{Direction: ticket.DirectionOut, To: []string{"kari@hamar.kommune.no"}, Cc: []string{"per@hamar.kommune.no"}, Text: "Svar"}
	got, err := s.AppendMessage(ctx, tk.ID, m, ticket.AppendOptions{Assignee: ptr("Agent@ks.no"), Participants: m.Cc})
	if err != nil || got.Assignee != "agent@ks.no" || !got.IsParticipant("per@hamar.kommune.no") {
		t.Fatalf("after the reply %+v %v", got, err)
	}
	ref := &ticket.Message{Direction: ticket.DirectionOut, To: []string{"henvisning@nav.no"}, Text: "Henvist til NAV", MessageID: "<r@ks.no>"}
	notice := &ticket.OutboundMail{Kind: ticket.MailNotice, To: []string{"kari@hamar.kommune.no"}, MessageID: "<n@ks.no>", Text: "Sendt videre"}
	out := &ticket.OutboundMail{Kind: ticket.MailReferral, To: ref.To, MessageID: ref.MessageID, Text: "Henvisning"}
	if _, err := s.AppendMessage(ctx, tk.ID, ref, ticket.AppendOptions{Out: []*ticket.OutboundMail{out, notice}, Referral: &ticket.Referral{Agency: "nav", Note: "dagpenger"}}); err != nil {
		t.Fatal(err)
	}
	events, _ := data.NewEventService(db).FindEvents(ctx, tk.ID)
	kinds := map[ticket.EventKind][]*ticket.Event{}
	for _, e := range events {
		kinds[e.Kind] = append(kinds[e.Kind], e)
	}
	if n := len(kinds[ticket.EventReplied]); n != 1 {
		t.Errorf("%d reply events, want 1: the referral is no reply", n)
	}
	if r := kinds[ticket.EventReferred]; len(r) != 1 || r[0].From != "henvisning@nav.no" || r[0].To != "nav" || r[0].Detail != "dagpenger" {
		t.Errorf("referral events %+v", r)
	}
	if n := kinds[ticket.EventNotice]; len(n) != 1 || n[0].To != "kari@hamar.kommune.no" {
		t.Errorf("notice events %+v", n)
	}
	if a := kinds[ticket.EventAssigned]; len(a) != 1 || a[0].To != "agent@ks.no" {
		t.Errorf("assign events %+v", a)
	}
	mustVerify(t, db)
}
