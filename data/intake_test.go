package data_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/ticket"
)

// mail is an inbound mail as the parser hands it over.
func mail(from, subject, mid string) *ticket.InboundMail {
	return &ticket.InboundMail{Message: &ticket.Message{
		Direction: ticket.DirectionIn, From: from, FromName: "Kari Nordmann", To: []string{"kontakt@digihjelpen.test"},
		Subject: subject, Text: "Hei! Hvordan får vi tak i kursmateriell?", MessageID: mid,
		Raw: []byte("From: " + from + "\r\nSubject: " + subject + "\r\nMessage-ID: " + mid + "\r\n\r\nHei!\r\n"),
	}, Source: "test"}
}

func reply(m *ticket.InboundMail, to ...string) *ticket.InboundMail {
	m.Message.InReplyTo = to[len(to)-1]
	m.Message.References = to
	return m
}

type intakeEnv struct {
	t       *testing.T
	db      *data.DB
	clock   *testClock
	tickets *data.TicketService
	intake  *data.IntakeService
	acks    int
}

func newIntakeEnv(t *testing.T) *intakeEnv {
	db, clock := mustOpenDB(t)
	e := &intakeEnv{t: t, db: db, clock: clock, tickets: data.NewTicketService(db), intake: data.NewIntakeService(db)}
	e.intake.OwnAddresses = []string{"kontakt@digihjelpen.test"}
	e.intake.Agencies = ticket.Agencies{{Key: "ks", Name: "KS"}, {Key: "nav", Name: "NAV", Email: "henvisning@nav.no"}}
	e.intake.Acknowledge = func(tk *ticket.Ticket, first *ticket.Message) ([]*ticket.OutboundMail, error) {
		e.acks++
		return []*ticket.OutboundMail{{Kind: ticket.MailAck, To: []string{tk.Requester.Email}, Subject: ticket.SubjectWithRef(tk.Ref, tk.Subject),
			Text: "Takk", MessageID: fmt.Sprintf("<ack-%d@digihjelpen.test>", tk.ID), InReplyTo: first.MessageID, AutoReply: true}}, nil
	}
	return e
}

// outbox lists every mail storage holds for sending, newest first.
func (e *intakeEnv) outbox() []*ticket.OutboundMail {
	e.t.Helper()
	list, err := data.NewOutboxService(e.db).FindOutbox(context.Background(), ticket.OutboxFilter{Limit: ticket.MaxLimit})
	if err != nil {
		e.t.Fatal(err)
	}
	return list
}

func (e *intakeEnv) ingest(m *ticket.InboundMail, opts ...ticket.IngestOptions) ticket.IntakeResult {
	e.t.Helper()
	var o ticket.IngestOptions
	if len(opts) > 0 {
		o = opts[0]
	}
	res, err := e.intake.Ingest(context.Background(), m, o)
	if err != nil {
		e.t.Fatal(err)
	}
	mustVerify(e.t, e.db)
	return res
}

func (e *intakeEnv) ticket(id uint64) *ticket.Ticket {
	e.t.Helper()
	tk, err := e.tickets.FindTicketByID(context.Background(), id)
	if err != nil {
		e.t.Fatal(err)
	}
	return tk
}

func TestIngestCreatesAndAcknowledges(t *testing.T) {
	e := newIntakeEnv(t)
	m := mail("Kari@Hamar.Kommune.no", "Kurs i BankID", "<q1@hamar.kommune.no>")
	m.Message.Cc = []string{"per@hamar.kommune.no", "kontakt@digihjelpen.test"}
	res := e.ingest(m)
	if res.Outcome != ticket.IntakeCreated || !res.Acknowledged || e.acks != 1 {
		t.Fatalf("got %+v (acks %d), want created and acknowledged", res, e.acks)
	}
	if out := e.outbox(); len(out) != 1 || out[0].Kind != ticket.MailAck || out[0].State != ticket.OutboxQueued ||
		out[0].TicketID != res.TicketID || out[0].MessageID != "<ack-1@digihjelpen.test>" {
		t.Fatalf("outbox %+v, want the acknowledgement queued", out)
	}
	tk := e.ticket(res.TicketID)
	if tk.Requester.Email != "kari@hamar.kommune.no" || tk.Agency != ticket.AgencyKS || tk.Status != ticket.StatusNew || tk.Channel != ticket.ChannelEmail {
		t.Errorf("got %+v", tk)
	}
	if len(tk.Participants) != 1 || tk.Participants[0] != "per@hamar.kommune.no" {
		t.Errorf("participants got %v, want [per@hamar.kommune.no]", tk.Participants)
	}
	// the acknowledgement is indexed: a reply to it threads into the ticket
	res2 := e.ingest(reply(mail("kari@hamar.kommune.no", "SV: Kurs", "<q2@hamar>"), "<ack-1@digihjelpen.test>"))
	if res2.Outcome != ticket.IntakeAppended || res2.TicketID != tk.ID || e.acks != 1 {
		t.Errorf("reply to ack: got %+v, want appended to %d without a new ack", res2, tk.ID)
	}
	if out := e.outbox(); len(out) != 1 {
		t.Errorf("outbox holds %d mails after the reply, want the one acknowledgement", len(out))
	}
}

func TestIngestDuplicate(t *testing.T) {
	e := newIntakeEnv(t)
	e.ingest(mail("kari@hamar.kommune.no", "Kurs", "<same@x>"))
	for _, mid := range []string{"<same@x>", " same@x ", "<<same@x>>"} {
		if res := e.ingest(mail("kari@hamar.kommune.no", "Kurs", mid)); res.Outcome != ticket.IntakeDuplicate {
			t.Errorf("%q: got %v, want duplicate", mid, res.Outcome)
		}
	}
	n, _ := e.db.Stats(context.Background())
	if n.Tickets != 1 {
		t.Errorf("tickets got %d, want 1", n.Tickets)
	}
}

func TestIngestThreading(t *testing.T) {
	e := newIntakeEnv(t)
	first := e.ingest(mail("kari@hamar.kommune.no", "Kurs", "<a@hamar>"))
	tk := e.ticket(first.TicketID)
	ref := tk.Ref.String()
	tests := []struct {
		name     string
		mail     *ticket.InboundMail
		outcome  ticket.IntakeOutcome
		sameTkt  bool
		linkedTo bool
	}{
		{"InReplyTo", reply(mail("kari@hamar.kommune.no", "SV: Kurs", "<b@hamar>"), "<a@hamar>"), ticket.IntakeAppended, true, false},
		{"ReferencesOnly", func() *ticket.InboundMail {
			m := mail("ola@x.no", "Re", "<c@x>")
			m.Message.References = []string{"<unknown@y>", "<a@hamar>"}
			return m
		}(), ticket.IntakeAppended, true, false},
		{"SubjectRefFromRequester", mail("KARI@hamar.kommune.no", "Ang. ["+ref+"] kurs", "<d@hamar>"), ticket.IntakeAppended, true, false},
		{"SubjectRefFromParticipant", mail("ola@x.no", "SV: "+ref, "<e@x>"), ticket.IntakeAppended, true, false},
		{"SubjectRefFromStranger", mail("ukjent@annen.no", "Om "+ref, "<f@annen>"), ticket.IntakeCreated, false, true},
		{"SubjectRefUnknown", mail("ukjent@annen.no", "Om DH-2020-0099", "<g@annen>"), ticket.IntakeCreated, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := e.ingest(tt.mail)
			if res.Outcome != tt.outcome {
				t.Fatalf("got %v, want %v", res.Outcome, tt.outcome)
			}
			if got := res.TicketID == tk.ID; got != tt.sameTkt {
				t.Errorf("same ticket got %v, want %v", got, tt.sameTkt)
			}
			if got := e.ticket(res.TicketID).LinkedTo == tk.ID; got != tt.linkedTo {
				t.Errorf("linked got %v, want %v", got, tt.linkedTo)
			}
		})
	}
}

func TestIngestReopenAndClosed(t *testing.T) {
	e := newIntakeEnv(t)
	ctx := context.Background()
	tk := e.ticket(e.ingest(mail("kari@hamar.kommune.no", "Kurs", "<a@h>")).TicketID)
	if _, err := e.tickets.UpdateTicket(ctx, tk.ID, ticket.TicketUpdate{Status: ptr(ticket.StatusResolved)}); err != nil {
		t.Fatal(err)
	}
	e.ingest(reply(mail("kari@hamar.kommune.no", "SV: Kurs", "<b@h>"), "<a@h>"))
	if got := e.ticket(tk.ID); got.Status != ticket.StatusOpen || got.ReopenCount != 1 {
		t.Fatalf("after the requester's reply got %s (reopens %d), want åpen (1)", got.Status, got.ReopenCount)
	}
	if _, err := e.tickets.UpdateTicket(ctx, tk.ID, ticket.TicketUpdate{Status: ptr(ticket.StatusClosed)}); err != nil {
		t.Fatal(err)
	}
	res := e.ingest(reply(mail("kari@hamar.kommune.no", "SV: Kurs", "<c@h>"), "<a@h>"))
	if res.Outcome != ticket.IntakeCreated || res.TicketID == tk.ID {
		t.Fatalf("mail to a closed ticket got %+v, want a new ticket", res)
	}
	if got := e.ticket(res.TicketID); got.LinkedTo != tk.ID {
		t.Errorf("new ticket linked to %d, want %d", got.LinkedTo, tk.ID)
	}
	if got := e.ticket(tk.ID); got.Status != ticket.StatusClosed || got.MessageCount != 2 {
		t.Errorf("closed ticket got %s with %d messages, want lukket with 2", got.Status, got.MessageCount)
	}
	// an out-of-office reply to the closed ticket is shown there and changes nothing
	ooo := reply(mail("kari@hamar.kommune.no", "Fraværsmelding", "<ooo@h>"), "<a@h>")
	ooo.Message.Auto = ticket.AutoReply
	if res := e.ingest(ooo); res.Outcome != ticket.IntakeAppended || res.TicketID != tk.ID {
		t.Errorf("auto-reply to closed got %+v, want appended to %d", res, tk.ID)
	}
	if got := e.ticket(tk.ID); got.Status != ticket.StatusClosed {
		t.Errorf("status got %s, want lukket", got.Status)
	}
}

func TestIngestReferralAnswered(t *testing.T) {
	e := newIntakeEnv(t)
	ctx := context.Background()
	for _, tt := range []struct{ name, from, irt string }{
		{"ByMessageID", "saksbehandler@example.org", "<ref-%d@digihjelpen.test>"},
		{"ByDomain", "ola.nordmann@nav.no", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res := e.ingest(mail("kari@hamar.kommune.no", "Dagpenger", "<"+tt.name+"@h>"))
			tk := e.ticket(res.TicketID)
			refMid := fmt.Sprintf("<ref-%d@digihjelpen.test>", tk.ID)
			out := &ticket.Message{Direction: ticket.DirectionOut, From: "kontakt@digihjelpen.test", To: []string{"henvisning@nav.no"}, Text: "Henvist", MessageID: refMid}
			if _, err := e.tickets.AppendMessage(ctx, tk.ID, out, ticket.AppendOptions{Referral: &ticket.Referral{Agency: "nav"}}); err != nil {
				t.Fatal(err)
			}
			m := mail(tt.from, "SV: ["+tk.Ref.String()+"] Dagpenger", "<svar-"+tt.name+"@nav>")
			if tt.irt != "" {
				m = reply(m, refMid)
			}
			if res := e.ingest(m); res.TicketID != tk.ID || res.Outcome != ticket.IntakeAppended {
				t.Fatalf("got %+v, want appended to %d", res, tk.ID)
			}
			got := e.ticket(tk.ID)
			if got.Referrals[0].Status != ticket.ReferralAnswered || got.Referrals[0].AnsweredAt.IsZero() {
				t.Errorf("referral got %+v, want besvart", got.Referrals[0])
			}
		})
	}
}

func TestIngestAutomaticMail(t *testing.T) {
	e := newIntakeEnv(t)
	tk := e.ticket(e.ingest(mail("kari@hamar.kommune.no", "Kurs", "<a@h>")).TicketID)
	acks := e.acks
	auto := func(kind, from, mid string, bounced ...string) *ticket.InboundMail {
		m := mail(from, "Automatisk svar", mid)
		m.Message.Auto, m.AutoReason, m.BouncedIDs = kind, "test", bounced
		return m
	}
	tests := []struct {
		name    string
		mail    *ticket.InboundMail
		outcome ticket.IntakeOutcome
		reason  ticket.QuarantineReason
	}{
		{"AutoReplyThreaded", reply(auto(ticket.AutoReply, "kari@hamar.kommune.no", "<o1@h>"), "<ack-1@digihjelpen.test>"), ticket.IntakeAppended, ""},
		{"AutoReplyAlone", auto(ticket.AutoReply, "ola@x.no", "<o2@x>"), ticket.IntakeQuarantined, ticket.QuarantineAuto},
		{"BulkAlone", auto(ticket.AutoBulk, "nyhetsbrev@x.no", "<o3@x>"), ticket.IntakeQuarantined, ticket.QuarantineAuto},
		{"BounceOfAck", auto(ticket.AutoBounce, "mailer-daemon@x.no", "<o4@x>", "<ack-1@digihjelpen.test>"), ticket.IntakeAppended, ""},
		{"BounceUnknown", auto(ticket.AutoBounce, "mailer-daemon@x.no", "<o5@x>", "<ukjent@y>"), ticket.IntakeQuarantined, ticket.QuarantineBounce},
		{"Own", auto(ticket.AutoOwn, "kontakt@digihjelpen.test", "<o6@x>"), ticket.IntakeQuarantined, ticket.QuarantineOwn},
		{"NoSender", mail("", "Hei", "<o7@x>"), ticket.IntakeQuarantined, ticket.QuarantineSender},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := e.ingest(tt.mail)
			if res.Outcome != tt.outcome || res.Reason != tt.reason {
				t.Fatalf("got %v/%v, want %v/%v", res.Outcome, res.Reason, tt.outcome, tt.reason)
			}
			if tt.outcome == ticket.IntakeAppended && res.TicketID != tk.ID {
				t.Errorf("appended to %d, want %d", res.TicketID, tk.ID)
			}
		})
	}
	if e.acks != acks {
		t.Errorf("acks got %d, want %d: automatic mail is never acknowledged", e.acks, acks)
	}
	if out := e.outbox(); len(out) != 1 || out[0].Kind != ticket.MailAck || out[0].TicketID != tk.ID {
		t.Errorf("outbox %+v, want only the first ticket's acknowledgement", out)
	}
	msgs, _ := e.tickets.FindMessages(context.Background(), tk.ID)
	last := msgs[len(msgs)-1]
	if last.Direction != ticket.DirectionSystem || last.Auto != ticket.AutoBounce {
		t.Errorf("bounce stored as %s/%q, want system/bounce", last.Direction, last.Auto)
	}
	events, _ := data.NewEventService(e.db).FindEvents(context.Background(), tk.ID)
	if events[len(events)-1].Kind != ticket.EventMailFailed {
		t.Errorf("last event got %s, want %s", events[len(events)-1].Kind, ticket.EventMailFailed)
	}
	if got := e.ticket(tk.ID); got.Status != ticket.StatusNew {
		t.Errorf("status got %s, want ny: automatic mail changes nothing", got.Status)
	}
}

func TestIngestNoAckAndForce(t *testing.T) {
	e := newIntakeEnv(t)
	m := mail("kari@hamar.kommune.no", "Kurs", "<a@h>")
	m.NoAck = true
	if res := e.ingest(m); res.Outcome != ticket.IntakeCreated || res.Acknowledged || e.acks != 0 {
		t.Errorf("NoAck got %+v (acks %d), want created without ack", res, e.acks)
	}
	auto := mail("ola@x.no", "Autosvar", "<b@x>")
	auto.Message.Auto = ticket.AutoReply
	q := e.ingest(auto)
	if q.Outcome != ticket.IntakeQuarantined {
		t.Fatalf("got %v, want quarantined", q.Outcome)
	}
	res := e.ingest(auto, ticket.IngestOptions{Force: true, QuarantineID: q.QuarantineID})
	if res.Outcome != ticket.IntakeCreated || res.Acknowledged {
		t.Fatalf("forced got %+v, want created without ack", res)
	}
	if _, err := e.intake.FindQuarantined(context.Background(), q.QuarantineID); ticket.ErrorCode(err) != ticket.ENOTFOUND {
		t.Errorf("quarantine entry after force: got %v, want not found", err)
	}
	if out := e.outbox(); len(out) != 0 || e.acks != 0 {
		t.Errorf("outbox holds %d mails (acks %d), want none", len(out), e.acks)
	}
}

func TestIngestSenderLimit(t *testing.T) {
	e := newIntakeEnv(t)
	e.intake.SenderLimit = 3
	for i := range 5 {
		res := e.ingest(mail("robot@x.no", "Ordre", fmt.Sprintf("<r%d@x>", i)))
		want := ticket.IntakeCreated
		if i >= 3 {
			want = ticket.IntakeQuarantined
		}
		if res.Outcome != want {
			t.Fatalf("mail %d got %v, want %v", i, res.Outcome, want)
		}
		if i >= 3 && res.Reason != ticket.QuarantineLoop {
			t.Errorf("reason got %v, want loop", res.Reason)
		}
	}
	if res := e.ingest(mail("annen@x.no", "Ordre", "<other@x>")); res.Outcome != ticket.IntakeCreated {
		t.Errorf("another sender got %v, want created", res.Outcome)
	}
	e.clock.Add(61 * 60e9) // an hour and a minute later the window is empty again
	if res := e.ingest(mail("robot@x.no", "Ordre", "<later@x>")); res.Outcome != ticket.IntakeCreated {
		t.Errorf("after the window got %v, want created", res.Outcome)
	}
}

func TestIngestCheckpoint(t *testing.T) {
	e := newIntakeEnv(t)
	ctx := context.Background()
	cp := func(v, uid uint32) ticket.IngestOptions {
		return ticket.IngestOptions{Checkpoint: &ticket.Checkpoint{Mailbox: "INBOX", UIDValidity: v, UID: uid}}
	}
	e.ingest(mail("kari@hamar.kommune.no", "1", "<1@h>"), cp(7, 10))
	e.ingest(mail("kari@hamar.kommune.no", "1", "<1@h>"), cp(7, 4)) // a duplicate still moves it, never back
	got, err := e.intake.Checkpoint(ctx, "INBOX")
	if err != nil || got.UIDValidity != 7 || got.UID != 10 {
		t.Fatalf("got %+v %v, want 7/10", got, err)
	}
	e.ingest(mail("kari@hamar.kommune.no", "2", "<2@h>"), cp(9, 1)) // a new UIDVALIDITY replaces it
	if got, _ := e.intake.Checkpoint(ctx, "INBOX"); got.UIDValidity != 9 || got.UID != 1 {
		t.Errorf("got %+v, want 9/1", got)
	}
	if got, _ := e.intake.Checkpoint(ctx, "Annen"); got.UID != 0 {
		t.Errorf("unknown mailbox got %+v, want zero", got)
	}
}

func TestIngestBatchFallsBackPerMail(t *testing.T) {
	e := newIntakeEnv(t)
	ctx := context.Background()
	bad := mail("kari@hamar.kommune.no", "Uten tekst", "<bad@h>")
	bad.Message.Text = "" // cannot be stored: no text, no attachments
	var items []ticket.IngestItem
	for i, m := range []*ticket.InboundMail{
		mail("a@x.no", "1", "<1@x>"), mail("b@x.no", "2", "<2@x>"), bad, reply(mail("a@x.no", "Re 1", "<3@x>"), "<1@x>"),
	} {
		m.Message.Attachments = []ticket.Attachment{{Name: "a.txt", Type: "text/plain", Data: []byte("vedlegg")}}
		if i == 2 {
			m.Message.Attachments = nil
		}
		items = append(items, ticket.IngestItem{Mail: m, Options: ticket.IngestOptions{Checkpoint: &ticket.Checkpoint{Mailbox: "INBOX", UIDValidity: 1, UID: uint32(i + 1)}}})
	}
	res, err := e.intake.IngestBatch(ctx, items)
	if err != nil {
		t.Fatal(err)
	}
	mustVerify(t, e.db)
	want := []ticket.IntakeOutcome{ticket.IntakeCreated, ticket.IntakeCreated, ticket.IntakeQuarantined, ticket.IntakeAppended}
	for i, r := range res {
		if r.Outcome != want[i] {
			t.Errorf("mail %d got %v, want %v", i, r.Outcome, want[i])
		}
	}
	if res[2].Reason != ticket.QuarantineUnstorable || res[3].TicketID != res[0].TicketID {
		t.Errorf("got %+v", res)
	}
	q, _ := e.intake.FindQuarantined(ctx, res[2].QuarantineID)
	if !strings.Contains(q.Detail, "Skriv en tekst") {
		t.Errorf("detail got %q", q.Detail)
	}
	a, err := e.tickets.FindAttachment(ctx, res[0].TicketID, 1, 0)
	if err != nil || string(a.Data) != "vedlegg" {
		t.Errorf("attachment after the rolled-back batch: got %q %v, want its bytes", a.Data, err)
	}
	if cp, _ := e.intake.Checkpoint(ctx, "INBOX"); cp.UID != 4 {
		t.Errorf("checkpoint got %d, want 4", cp.UID)
	}
	if _, err := e.intake.IngestBatch(ctx, []ticket.IngestItem{{Mail: &ticket.InboundMail{}}}); err != nil {
		t.Errorf("a mail without message: got %v, want quarantine", err)
	}
}

func TestIngestProblemAndRetry(t *testing.T) {
	e := newIntakeEnv(t)
	ctx := context.Background()
	m := mail("kari@hamar.kommune.no", "Hei", "<p@h>")
	m.Problem, m.ProblemDetail = ticket.QuarantineUnreadable, "Ødelagt MIME."
	q := e.ingest(m)
	if q.Outcome != ticket.IntakeQuarantined || q.Reason != ticket.QuarantineUnreadable {
		t.Fatalf("got %+v", q)
	}
	if again := e.ingest(m); again.Outcome != ticket.IntakeDuplicate {
		t.Errorf("the same mail again got %v, want duplicate (it is in quarantine)", again.Outcome)
	}
	retry := e.ingest(m, ticket.IngestOptions{QuarantineID: q.QuarantineID})
	if retry.Outcome != ticket.IntakeQuarantined || retry.QuarantineID != q.QuarantineID {
		t.Fatalf("failed retry got %+v, want the same entry", retry)
	}
	got, _ := e.intake.FindQuarantined(ctx, q.QuarantineID)
	if got.Attempts != 1 || got.LastTry.IsZero() {
		t.Errorf("got %+v, want one attempt", got)
	}
	m.Problem = ""
	if ok := e.ingest(m, ticket.IngestOptions{QuarantineID: q.QuarantineID}); ok.Outcome != ticket.IntakeCreated {
		t.Fatalf("retry got %+v, want created", ok)
	}
	list, total, _ := e.intake.FindQuarantine(ctx, ticket.QuarantineFilter{})
	if total != 0 || len(list) != 0 {
		t.Errorf("quarantine got %d entries, want 0", total)
	}
}

func TestQuarantineListViewDiscard(t *testing.T) {
	e := newIntakeEnv(t)
	ctx := ticket.NewContextWithActor(context.Background(), ticket.Actor{Name: "agent@ks.no", Role: ticket.RoleAgent})
	var ids []uint64
	for i := range 5 {
		m := mail(fmt.Sprintf("robot%d@x.no", i), "Autosvar", fmt.Sprintf("<q%d@x>", i))
		m.Message.Auto = ticket.AutoReply
		if i == 4 {
			m.Message.Auto = ticket.AutoBounce
		}
		ids = append(ids, e.ingest(m).QuarantineID)
	}
	list, total, err := e.intake.FindQuarantine(ctx, ticket.QuarantineFilter{Reason: ticket.QuarantineAuto, Limit: 2})
	if err != nil || total != 4 || len(list) != 2 || list[0].ID != ids[3] {
		t.Fatalf("got %d/%d first %v (%v), want 2 of 4, newest first", len(list), total, list[0].ID, err)
	}
	next, _, _ := e.intake.FindQuarantine(ctx, ticket.QuarantineFilter{Reason: ticket.QuarantineAuto, Limit: 2, Before: list[1].ID})
	if len(next) != 2 || next[0].ID != ids[1] {
		t.Errorf("page 2 got %v, want from %d", next, ids[1])
	}
	if _, _, err := e.intake.FindQuarantine(ctx, ticket.QuarantineFilter{Reason: "tull"}); ticket.ErrorCode(err) != ticket.EINVALID {
		t.Errorf("unknown reason: got %v, want invalid", err)
	}
	raw, err := e.intake.FindQuarantinedRaw(ctx, ids[0])
	if err != nil || !strings.Contains(string(raw), "robot0@x.no") {
		t.Fatalf("raw got %q %v", raw, err)
	}
	if err := e.intake.DiscardQuarantined(ctx, ids[0]); err != nil {
		t.Fatal(err)
	}
	mustVerify(t, e.db)
	m := mail("robot0@x.no", "Autosvar", "<q0@x>")
	if res := e.ingest(m, ticket.IngestOptions{Force: true}); res.Outcome != ticket.IntakeDuplicate {
		t.Errorf("discarded mail again got %v, want duplicate (tombstone)", res.Outcome)
	}
	events, _ := data.NewEventService(e.db).FindEvents(ctx, 0)
	var kinds []string
	for _, ev := range events {
		kinds = append(kinds, string(ev.Kind)+":"+ev.Actor)
	}
	if got := strings.Join(kinds, " "); got != "viewed:agent@ks.no deleted:agent@ks.no" {
		t.Errorf("events got %q", got)
	}
	if err := e.intake.DiscardQuarantined(ctx, ids[0]); ticket.ErrorCode(err) != ticket.ENOTFOUND {
		t.Errorf("discard twice: got %v, want not found", err)
	}
}

func TestIngestContextCancelled(t *testing.T) {
	e := newIntakeEnv(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := e.intake.Ingest(ctx, mail("kari@hamar.kommune.no", "Hei", "<c@h>"), ticket.IngestOptions{})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled (nothing stored, nothing quarantined)", err)
	}
}

// TestIngestToAnonymisedTicket: a ticket whose personal data is gone takes no more mail from
// the requester, even when staff have reopened it (the status page refuses them the same way,
// Ticket.RequesterCanAdd): their mail opens a new ticket linked to it, so nothing personal
// enters the anonymised one again.
func TestIngestToAnonymisedTicket(t *testing.T) {
	e := newIntakeEnv(t)
	ctx := context.Background()
	tk := e.ticket(e.ingest(mail("kari@hamar.kommune.no", "Kurs", "<a@h>")).TicketID)
	if _, err := e.tickets.UpdateTicket(ctx, tk.ID, ticket.TicketUpdate{Status: ptr(ticket.StatusClosed)}); err != nil {
		t.Fatal(err)
	}
	e.clock.Add(48 * time.Hour)
	if run, err := data.NewRetentionService(e.db).AnonymiseClosedBefore(ctx, e.clock.Now().Add(-24*time.Hour)); err != nil || run.Anonymised != 1 {
		t.Fatalf("anonymise: %+v %v", run, err)
	}
	if _, err := e.tickets.UpdateTicket(ctx, tk.ID, ticket.TicketUpdate{Status: ptr(ticket.StatusOpen)}); err != nil {
		t.Fatal(err)
	}
	res := e.ingest(reply(mail("kari@hamar.kommune.no", "SV: Kurs", "<b@h>"), "<a@h>"))
	if res.Outcome != ticket.IntakeCreated || res.TicketID == tk.ID || e.ticket(res.TicketID).LinkedTo != tk.ID {
		t.Fatalf("mail to the anonymised ticket got %+v, want a new ticket linked to %d", res, tk.ID)
	}
	if got := e.ticket(tk.ID); got.MessageCount != 1 || got.Requester.Email != "" {
		t.Errorf("anonymised ticket got %d messages, requester %q; want 1 and none", got.MessageCount, got.Requester.Email)
	}
	mustVerify(t, e.db)
}
