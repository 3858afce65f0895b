package data_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/ticket"
)

// mergeEnv is two tickets about the same question: the target came by mail from Kari, the
// source a little later from her other address, with an attachment, a reply from us and a
// referral to NAV that is still open.
type mergeEnv struct {
	*intakeEnv
	ctx            context.Context
	target, source *ticket.Ticket
}

func newMergeEnv(t *testing.T) *mergeEnv {
	e := &mergeEnv{intakeEnv: newIntakeEnv(t)}
	e.ctx = ticket.NewContextWithActor(context.Background(), ticket.Actor{Name: "ola@ks.no", Role: ticket.RoleAgent})
	e.target = e.ticket(e.ingest(mail("kari@hamar.kommune.no", "Kurs i BankID", "<t1@hamar>")).TicketID)
	e.clock.Add(time.Hour)
	m := mail("kari.nordmann@gmail.com", "Kurs i BankID (igjen)", "<s1@gmail>")
	m.Message.Attachments = []ticket.Attachment{{Name: "skjerm.png", Type: "image/png", Data: []byte("\x89PNG bilde")}}
	m.Message.HTML, m.Message.Text = "<p>Skjermbildet viser feilmeldingen.</p>", "Skjermbildet viser feilmeldingen."
	e.source = e.ticket(e.ingest(m).TicketID)
	out := &ticket.Message{Direction: ticket.DirectionOut, From: "kontakt@digihjelpen.test", To: []string{"henvisning@nav.no"}, Text: "Henvist", MessageID: "<ref-s@digihjelpen.test>"}
	if _, err := e.tickets.AppendMessage(e.ctx, e.source.ID, out, ticket.AppendOptions{Referral: &ticket.Referral{Agency: "nav"}}); err != nil {
		t.Fatal(err)
	}
	e.source = e.ticket(e.source.ID)
	e.clock.Add(time.Hour)
	return e
}

func (e *mergeEnv) merge(src *ticket.Ticket, into ticket.Ref) (*ticket.Ticket, error) {
	got, err := e.tickets.MergeTickets(e.ctx, ticket.MergeRequest{SourceID: src.ID, Into: into, IfVersion: &src.Version})
	mustVerify(e.t, e.db)
	return got, err
}

func TestMergeTickets(t *testing.T) {
	e := newMergeEnv(t)
	srcMsgs, _ := e.tickets.FindMessages(e.ctx, e.source.ID)
	got, err := e.merge(e.source, e.target.Ref)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != e.target.ID || got.MessageCount != 1+len(srcMsgs) {
		t.Fatalf("target got id %d with %d messages, want %d with %d", got.ID, got.MessageCount, e.target.ID, 1+len(srcMsgs))
	}
	msgs, err := e.tickets.FindMessages(e.ctx, e.target.ID)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range srcMsgs {
		m := msgs[1+i]
		if m.Seq != 2+i || m.TicketID != e.target.ID || m.Text != want.Text || m.HTML != want.HTML || m.MessageID != want.MessageID ||
			m.Direction != want.Direction || m.Author != want.Author || !m.CreatedAt.Equal(want.CreatedAt) || len(m.Attachments) != len(want.Attachments) {
			t.Errorf("copied message %d got %+v, want a copy of %+v", i, m, want)
		}
	}
	if a, err := e.tickets.FindAttachment(e.ctx, e.target.ID, 2, 0); err != nil || string(a.Data) != "\x89PNG bilde" {
		t.Errorf("attachment on the target: %q %v", a.Data, err)
	}
	if raw, err := e.tickets.FindRawMessage(e.ctx, e.target.ID, 2); err != nil || len(raw) == 0 {
		t.Errorf("raw source on the target: %v", err)
	}
	if tk, seq, err := e.tickets.FindTicketByMessageID(e.ctx, "<s1@gmail>"); err != nil || tk.ID != e.target.ID || seq != 2 {
		t.Errorf("Message-ID index got %v seq %d %v, want the target, seq 2", tk, seq, err)
	}
	if !got.IsParticipant("kari.nordmann@gmail.com") || !got.IsParticipant("henvisning@nav.no") {
		t.Errorf("target participants %v lack the source's requester or referral address", got.Participants)
	}
	if len(got.Referrals) != 1 || got.Referrals[0].Agency != "nav" || got.Referrals[0].Status != ticket.ReferralSent {
		t.Errorf("target referrals %+v, want the open NAV referral", got.Referrals)
	}
	if !slices.Equal(got.MergedFrom, []uint64{e.source.ID}) {
		t.Errorf("target MergedFrom %v, want [%d]", got.MergedFrom, e.source.ID)
	}
	src := e.ticket(e.source.ID)
	if src.Status != ticket.StatusClosed || src.MergedInto != e.target.ID || len(src.Referrals) != 0 || src.ResolvedAt.IsZero() {
		t.Errorf("source got status %s merged into %d referrals %v", src.Status, src.MergedInto, src.Referrals)
	}
	if own, _ := e.tickets.FindMessages(e.ctx, e.source.ID); len(own) != len(srcMsgs) {
		t.Errorf("source keeps %d messages, want %d", len(own), len(srcMsgs))
	}
	events := data.NewEventService(e.db)
	srcEv, _ := events.FindEvents(e.ctx, e.source.ID)
	if last := srcEv[len(srcEv)-1]; last.Kind != ticket.EventMergedInto || last.To != e.target.Ref.String() || last.Actor != "ola@ks.no" {
		t.Errorf("source's last event %+v, want merged_into %s", last, e.target.Ref)
	}
	dstEv, _ := events.FindEvents(e.ctx, e.target.ID)
	if last := dstEv[len(dstEv)-1]; last.Kind != ticket.EventMergedFrom || last.From != e.source.Ref.String() {
		t.Errorf("target's last event %+v, want merged_from %s", last, e.source.Ref)
	}
	// statistics: two questions came in; the merged one was closed (resolved) and its open
	// referral is still one referral, now counted with the target
	r, err := data.NewStatsService(e.db).WeeklyReport(e.ctx, ticket.WeekOf(e.clock.Now()))
	if err != nil {
		t.Fatal(err)
	}
	if r.New != 2 || r.Resolved != 1 || r.Referred != 1 || r.OpenAtEnd != 1 {
		t.Errorf("week report got new %d resolved %d referred %d open %d, want 2 1 1 1", r.New, r.Resolved, r.Referred, r.OpenAtEnd)
	}
	// the search index follows both tickets
	if _, err := e.db.IndexSearch(e.ctx, 100); err != nil {
		t.Fatal(err)
	}
	mustVerify(t, e.db)
	found, _, err := e.tickets.FindTickets(e.ctx, ticket.TicketFilter{Query: "feilmeldingen", Status: ptr(ticket.StatusNew)})
	if err != nil || len(found) != 1 || found[0].ID != e.target.ID {
		t.Errorf("search for the source's subject among new tickets: %v %v, want the target", found, err)
	}
}

func TestMergeMovesOverdueTag(t *testing.T) {
	e := newMergeEnv(t)
	e.clock.Add(10 * 24 * time.Hour)
	if marked, err := e.tickets.MarkOverdueReferrals(e.ctx, 7*24*time.Hour); err != nil || len(marked) != 1 {
		t.Fatalf("reminder marked %v %v", marked, err)
	}
	if _, err := e.merge(e.ticket(e.source.ID), e.target.Ref); err != nil {
		t.Fatal(err)
	}
	if got := e.ticket(e.target.ID); !got.HasTag(ticket.TagReferralOverdue) {
		t.Errorf("target tags %v, want %s with the overdue referral", got.Tags, ticket.TagReferralOverdue)
	}
	if got := e.ticket(e.source.ID); got.HasTag(ticket.TagReferralOverdue) {
		t.Errorf("source tags %v, want no %s once its referral moved", got.Tags, ticket.TagReferralOverdue)
	}
}

func TestMergeRefusals(t *testing.T) {
	e := newMergeEnv(t)
	other := e.ticket(e.ingest(mail("per@oslo.kommune.no", "Noe annet", "<o1@oslo>")).TicketID)
	gone := e.ticket(e.ingest(mail("per@oslo.kommune.no", "Slettes", "<g1@oslo>")).TicketID)
	admin := ticket.NewContextWithActor(context.Background(), ticket.Actor{Name: "admin@ks.no", Role: ticket.RoleAdmin})
	if err := e.tickets.DeleteTicket(admin, gone.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.merge(other, e.target.Ref); err != nil { // other is merged away: neither side may be merged again
		t.Fatal(err)
	}
	other = e.ticket(other.ID)
	stale := *e.source
	stale.Version--
	for _, tt := range []struct {
		name string
		src  *ticket.Ticket
		into ticket.Ref
		code string
	}{
		{"SameTicket", e.source, e.source.Ref, ticket.EINVALID},
		{"TargetNotFound", e.source, ticket.Ref{Year: 2026, Number: 999}, ticket.EINVALID},
		{"TargetDeleted", e.source, gone.Ref, ticket.EINVALID},
		{"SourceMerged", other, e.source.Ref, ticket.EINVALID},
		{"TargetMerged", e.source, other.Ref, ticket.EINVALID},
		{"Changed", &stale, e.target.Ref, ticket.ECONFLICT},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.merge(tt.src, tt.into)
			if ticket.ErrorCode(err) != tt.code {
				t.Fatalf("got %v, want %s", err, tt.code)
			}
			var fe *ticket.Error
			if tt.code == ticket.EINVALID && (!errors.As(err, &fe) || fe.Field != ticket.MergeField || fe.Message == "") {
				t.Errorf("got %#v, want a message on field %s", err, ticket.MergeField)
			}
			if tk := e.ticket(e.source.ID); tk.Merged() || tk.Version != e.source.Version {
				t.Errorf("source changed by a refused merge: %+v", tk)
			}
			// the confirmation page asks the same question and gets the same answer
			if _, ferr := e.tickets.FindMergeTarget(context.Background(), tt.src.ID, tt.into); tt.code == ticket.EINVALID && (ferr == nil || ferr.Error() != err.Error()) {
				t.Errorf("FindMergeTarget: %v, MergeTickets: %v", ferr, err)
			}
		})
	}
	if _, err := e.merge(e.source, gone.Ref); ticket.ErrorMessage(err) != "Saken "+gone.Ref.String()+" er slettet, så ingenting kan slås sammen inn i den." {
		t.Errorf("deleted target: got %q", ticket.ErrorMessage(err))
	}
	if dst, err := e.tickets.FindMergeTarget(context.Background(), e.source.ID, e.target.Ref); err != nil || dst.ID != e.target.ID {
		t.Errorf("FindMergeTarget of an allowed merge: %v %v", dst, err)
	}
}

func TestMergeThreadsLaterMailIntoTarget(t *testing.T) {
	e := newMergeEnv(t)
	if _, err := e.merge(e.source, e.target.Ref); err != nil {
		t.Fatal(err)
	}
	// the target was answered and resolved; Kari answers the source's old mail from her other address
	resolved := ticket.StatusResolved
	if _, err := e.tickets.UpdateTicket(e.ctx, e.target.ID, ticket.TicketUpdate{Status: &resolved}); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		m    *ticket.InboundMail
	}{
		{"InReplyToMergedMessage", reply(mail("kari.nordmann@gmail.com", "SV: Kurs i BankID", "<s2@gmail>"), "<s1@gmail>")},
		{"InReplyToSourceAcknowledgement", reply(mail("kari.nordmann@gmail.com", "SV: Kvittering", "<s3@gmail>"), "<ack-2@digihjelpen.test>")},
		{"SourceReferenceInSubject", mail("kari.nordmann@gmail.com", "SV: ["+e.source.Ref.String()+"] Kurs", "<s4@gmail>")},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res := e.ingest(tt.m)
			if res.Outcome != ticket.IntakeAppended || res.TicketID != e.target.ID {
				t.Fatalf("got %+v, want appended to the target %d", res, e.target.ID)
			}
		})
	}
	// the reply reopened the target (a reopen); the source stays closed, and staff cannot reopen it
	if got := e.ticket(e.target.ID); got.Status != ticket.StatusOpen || got.ReopenCount != 1 {
		t.Errorf("target got %s reopened %d, want åpen, 1", got.Status, got.ReopenCount)
	}
	if got := e.ticket(e.source.ID); got.Status != ticket.StatusClosed || got.ReopenCount != 0 {
		t.Errorf("source got %s reopened %d, want lukket, 0", got.Status, got.ReopenCount)
	}
	open := ticket.StatusOpen
	if _, err := e.tickets.UpdateTicket(e.ctx, e.source.ID, ticket.TicketUpdate{Status: &open}); ticket.ErrorCode(err) != ticket.EINVALID {
		t.Errorf("reopening the merged source: got %v, want refused", err)
	}
	// NAV answers the referral that moved with the source: it is answered on the target
	res := e.ingest(reply(mail("saksbehandler@nav.no", "SV: Henvisning", "<nav1@nav>"), "<ref-s@digihjelpen.test>"))
	if got := e.ticket(e.target.ID); res.TicketID != e.target.ID || got.Referrals[0].Status != ticket.ReferralAnswered {
		t.Errorf("referral answer got %+v, referrals %+v", res, got.Referrals)
	}
	// staff close the target and reopen it: allowed there, as on any ticket; once it is closed
	// again, a reply to the source's mail opens a new ticket linked to the target
	for _, st := range []ticket.Status{ticket.StatusClosed, ticket.StatusOpen, ticket.StatusClosed} {
		if _, err := e.tickets.UpdateTicket(e.ctx, e.target.ID, ticket.TicketUpdate{Status: &st}); err != nil {
			t.Fatalf("target to %s: %v", st, err)
		}
	}
	if res := e.ingest(reply(mail("kari.nordmann@gmail.com", "SV", "<s6@gmail>"), "<s1@gmail>")); res.Outcome != ticket.IntakeCreated || e.ticket(res.TicketID).LinkedTo != e.target.ID {
		t.Errorf("reply after the target was closed: got %+v, want a new ticket linked to the target", res)
	}
	// a bounce of the source's acknowledgement, sent before the merge, marks that mail returned
	outbox := data.NewOutboxService(e.db)
	acks, err := outbox.FindOutbox(e.ctx, ticket.OutboxFilter{TicketID: &e.source.ID})
	if err != nil || len(acks) != 1 {
		t.Fatalf("outbox of the source: %v %v", acks, err)
	}
	if err := outbox.MarkMailSent(e.ctx, acks[0].ID); err != nil {
		t.Fatal(err)
	}
	bounce := mail("mailer-daemon@gmail.com", "Undeliverable", "<bounce1@gmail>")
	bounce.Message.Auto, bounce.AutoReason, bounce.BouncedIDs = ticket.AutoBounce, "550 no such user", []string{acks[0].MessageID}
	if res := e.ingest(bounce); res.TicketID != e.target.ID {
		t.Errorf("bounce got %+v, want on the target", res)
	}
	if got, _ := outbox.FindOutbox(e.ctx, ticket.OutboxFilter{TicketID: &e.source.ID}); len(got) != 1 || got[0].ReturnedAt.IsZero() {
		t.Errorf("the source's acknowledgement after the bounce: %+v, want returned", got)
	}
	mustVerify(t, e.db)
}

func TestMergeThenDeleteKeepsIndexes(t *testing.T) {
	admin := ticket.NewContextWithActor(context.Background(), ticket.Actor{Name: "admin@ks.no", Role: ticket.RoleAdmin})
	t.Run("DeleteTarget", func(t *testing.T) {
		e := newMergeEnv(t)
		if _, err := e.merge(e.source, e.target.Ref); err != nil {
			t.Fatal(err)
		}
		if err := e.tickets.DeleteTicket(admin, e.target.ID); err != nil {
			t.Fatal(err)
		}
		mustVerify(t, e.db)
		if got := e.ticket(e.source.ID); got.Merged() || got.Status != ticket.StatusClosed {
			t.Errorf("source after its target was deleted: merged into %d, %s", got.MergedInto, got.Status)
		}
		if tk, _, err := e.tickets.FindTicketByMessageID(e.ctx, "<s1@gmail>"); err != nil || tk.ID != e.source.ID {
			t.Errorf("Message-ID index got %v %v, want the source again", tk, err)
		}
		res := e.ingest(reply(mail("kari.nordmann@gmail.com", "SV", "<s5@gmail>"), "<s1@gmail>"))
		if res.Outcome != ticket.IntakeCreated || e.ticket(res.TicketID).LinkedTo != e.source.ID {
			t.Errorf("reply after the target was deleted: got %+v, want a new ticket linked to the source", res)
		}
	})
	t.Run("DeleteSource", func(t *testing.T) {
		e := newMergeEnv(t)
		if _, err := e.merge(e.source, e.target.Ref); err != nil {
			t.Fatal(err)
		}
		if err := e.tickets.DeleteTicket(admin, e.source.ID); err != nil {
			t.Fatal(err)
		}
		mustVerify(t, e.db)
		if got := e.ticket(e.target.ID); len(got.MergedFrom) != 0 || got.MessageCount != 3 {
			t.Errorf("target after its source was deleted: from %v, %d messages", got.MergedFrom, got.MessageCount)
		}
		if a, err := e.tickets.FindAttachment(e.ctx, e.target.ID, 2, 0); err != nil || len(a.Data) == 0 {
			t.Errorf("the shared attachment went with the source: %v", err)
		}
	})
}
