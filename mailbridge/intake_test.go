package mailbridge_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/mailbridge"
	"github.com/ks-no/digihjelpen/ticket"
)

// store is a real bbolt store for intake tests, with an acknowledgement that uses the ticket
// id in its Message-ID (<ack-N@digihjelpen.test>), as the fixtures expect.
type store struct {
	db      *data.DB
	tickets *data.TicketService
	intake  *data.IntakeService
	acks    int
}

func newStore(tb testing.TB) *store {
	tb.Helper()
	db := data.NewDB(filepath.Join(tb.TempDir(), "intake.db"))
	if err := db.Open(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	s := &store{db: db, tickets: data.NewTicketService(db), intake: data.NewIntakeService(db)}
	s.intake.OwnAddresses = own
	s.intake.Acknowledge = func(t *ticket.Ticket, first *ticket.Message) ([]*ticket.OutboundMail, error) {
		s.acks++
		return []*ticket.OutboundMail{{Kind: ticket.MailAck, To: []string{t.Requester.Email}, Subject: ticket.SubjectWithRef(t.Ref, t.Subject),
			Text: "Vi har mottatt henvendelsen din.", MessageID: fmt.Sprintf("<ack-%d@digihjelpen.test>", t.ID), AutoReply: true,
			Template: &ticket.AckUse{Name: ticket.DefaultAckTemplateName, Title: "Standard"}}}, nil // as Composer.Ack: its history event is written too
	}
	return s
}

func (s *store) mailbridge() *mailbridge.Intake {
	return &mailbridge.Intake{Store: s.intake, OwnAddresses: own, MaxMessageBytes: 1 << 20}
}

func readFixture(tb testing.TB, name string) []byte {
	tb.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return raw
}

func take(t *testing.T, in *mailbridge.Intake, raws ...[]byte) []ticket.IntakeResult {
	t.Helper()
	var batch []mailbridge.Incoming
	for _, r := range raws {
		batch = append(batch, mailbridge.Incoming{Raw: r, Source: "test"})
	}
	res, err := in.Take(context.Background(), batch)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestIntakeConversation runs a Norwegian conversation through parse and storage: a question,
// the requester's Outlook reply to the acknowledgement, an out-of-office, and a bounce of the
// acknowledgement to a colleague on copy.
func TestIntakeConversation(t *testing.T) {
	s := newStore(t)
	in := s.mailbridge()
	first := "From: Kari Nordmann <Kari.Nordmann@hamar.kommune.no>\r\nTo: kontakt@digihjelpen.test\r\nCc: per.berg@hamar.kommune.no\r\n" +
		"Subject: Kurs i BankID for seniorer\r\nMessage-ID: <q1@hamar.kommune.no>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHei! Har dere kursmateriell?\r\n"
	res := take(t, in, []byte(first))[0]
	if res.Outcome != ticket.IntakeCreated || res.Ref.Number != 1 {
		t.Fatalf("first mail: got %+v", res)
	}
	got := take(t, in, readFixture(t, "no/outlook-svar.eml"), readFixture(t, "no/fravaer.eml"), readFixture(t, "no/retur-av-kvittering.eml"))
	for i, r := range got {
		if r.Outcome != ticket.IntakeAppended || r.TicketID != res.TicketID {
			t.Errorf("mail %d: got %+v, want appended to ticket %d", i, r, res.TicketID)
		}
	}
	if s.acks != 1 {
		t.Errorf("acks got %d, want 1", s.acks)
	}
	msgs, err := s.tickets.FindMessages(context.Background(), res.TicketID)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, m := range msgs {
		kinds = append(kinds, string(m.Direction)+"/"+m.Auto)
	}
	if want := "in/ in/ in/auto-reply system/bounce"; strings.Join(kinds, " ") != want {
		t.Errorf("thread got %q, want %q", strings.Join(kinds, " "), want)
	}
	if msgs[1].QuoteStart == 0 || !strings.HasPrefix(msgs[1].Text, "Hei igjen!") || !msgs[1].HasRaw {
		t.Errorf("reply stored as %+v", msgs[1])
	}
	tk, _ := s.tickets.FindTicketByID(context.Background(), res.TicketID)
	if tk.Status != ticket.StatusNew || !tk.IsParticipant("per.berg@hamar.kommune.no") {
		t.Errorf("ticket got status %s, participants %v", tk.Status, tk.Participants)
	}
	if err := s.db.Verify(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// TestIntakeEveryFixture takes every fixture in: each becomes a ticket, joins one, or waits in
// quarantine; none is lost and none fails. Taken again, each is a duplicate.
func TestIntakeEveryFixture(t *testing.T) {
	s := newStore(t)
	in := s.mailbridge()
	var raws [][]byte
	filepath.WalkDir("testdata", func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".eml") {
			raws = append(raws, readFixture(t, strings.TrimPrefix(path, "testdata/")))
		}
		return err
	})
	counts := map[ticket.IntakeOutcome]int{}
	for _, r := range take(t, in, raws...) {
		counts[r.Outcome]++
	}
	t.Logf("outcomes of %d mails: %v", len(raws), counts)
	if counts[ticket.IntakeCreated] < 40 || counts[ticket.IntakeQuarantined] < 15 || counts[ticket.IntakeCreated]+counts[ticket.IntakeAppended]+counts[ticket.IntakeQuarantined]+counts[ticket.IntakeDuplicate] != len(raws) {
		t.Errorf("outcomes %v of %d mails", counts, len(raws))
	}
	// the outcomes are what storage holds: a ticket per created mail, a message per created or
	// appended one, an entry per quarantined one
	ctx := context.Background()
	tickets, total, err := s.tickets.FindTickets(ctx, ticket.TicketFilter{Limit: ticket.MaxLimit})
	if err != nil || total != counts[ticket.IntakeCreated] || len(tickets) != total {
		t.Errorf("stored %d tickets (%d listed), %v; want %d", total, len(tickets), err, counts[ticket.IntakeCreated])
	}
	messages := 0
	for _, tk := range tickets {
		messages += tk.MessageCount
	}
	if want := counts[ticket.IntakeCreated] + counts[ticket.IntakeAppended]; messages != want {
		t.Errorf("stored %d messages, want %d", messages, want)
	}
	if _, n, err := s.intake.FindQuarantine(ctx, ticket.QuarantineFilter{Limit: 1}); err != nil || n != counts[ticket.IntakeQuarantined] {
		t.Errorf("quarantine holds %d, %v; want %d", n, err, counts[ticket.IntakeQuarantined])
	}
	for i, r := range take(t, in, raws...) {
		if r.Outcome != ticket.IntakeDuplicate {
			t.Errorf("mail %d again: got %v, want duplicate", i, r.Outcome)
		}
	}
	if err := s.db.Verify(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestQuarantineFlows(t *testing.T) {
	s := newStore(t)
	in := s.mailbridge()
	in.MaxMessageBytes = 4096
	ctx := ticket.NewContextWithActor(context.Background(), ticket.Actor{Name: "agent@ks.no", Role: ticket.RoleAgent})
	garbage := []byte("\x00\x01 dette er ikke en e-post \xff\xfe")
	big := []byte("From: Stor Fil <stor@hamar.kommune.no>\r\nSubject: Stort vedlegg\r\nMessage-ID: <big@h>\r\n\r\n" + strings.Repeat("x", 5000))
	auto := readFixture(t, "no/fravaer.eml")
	res := take(t, in, garbage, big, auto)
	for i, want := range []ticket.QuarantineReason{ticket.QuarantineUnreadable, ticket.QuarantineTooLarge, ticket.QuarantineAuto} {
		if res[i].Outcome != ticket.IntakeQuarantined || res[i].Reason != want {
			t.Fatalf("mail %d: got %+v, want quarantined as %s", i, res[i], want)
		}
	}
	q, _ := in.FindQuarantined(ctx, res[1].QuarantineID)
	if !q.Truncated || q.Size != int64(len(big)) || q.From != "stor@hamar.kommune.no" || !strings.Contains(q.Detail, "over grensen") {
		t.Errorf("oversize entry got %+v", q)
	}
	if raw, _ := in.FindQuarantinedRaw(ctx, res[1].QuarantineID); strings.Contains(string(raw), "xxx") {
		t.Errorf("oversize entry kept the body (%d bytes), want the header only", len(raw))
	}
	if _, err := in.RetryQuarantined(ctx, res[1].QuarantineID); ticket.ErrorCode(err) != ticket.EINVALID {
		t.Errorf("retry of a header-only entry: got %v, want a clear refusal", err)
	}
	again, err := in.RetryQuarantined(ctx, res[0].QuarantineID)
	if err != nil || again.Outcome != ticket.IntakeQuarantined || again.QuarantineID != res[0].QuarantineID {
		t.Errorf("retry of unreadable: got %+v %v, want it kept", again, err)
	}
	for _, i := range []int{0, 1, 2} {
		created, err := in.CreateFromQuarantine(ctx, res[i].QuarantineID)
		if err != nil || created.Outcome != ticket.IntakeCreated || created.Acknowledged {
			t.Fatalf("create anyway %d: got %+v %v", i, created, err)
		}
		events, _ := data.NewEventService(s.db).FindEvents(ctx, created.TicketID)
		if events[0].Kind != ticket.EventCreated || events[0].Actor != "agent@ks.no" {
			t.Errorf("created event got %+v, want by agent@ks.no", events[0])
		}
	}
	if _, total, _ := in.FindQuarantine(ctx, ticket.QuarantineFilter{}); total != 0 {
		t.Errorf("quarantine got %d entries, want 0", total)
	}
	raw, err := s.tickets.FindRawMessage(ctx, 1, 1)
	if err != nil || string(raw) != string(garbage) {
		t.Errorf("the unreadable mail's source on its ticket: got %q %v", raw, err)
	}
	if err := s.db.Verify(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestQuarantineDiscardIsForever(t *testing.T) {
	s := newStore(t)
	in := s.mailbridge()
	ctx := context.Background()
	auto := readFixture(t, "no/fravaer.eml")
	res := take(t, in, auto)[0]
	if err := in.DiscardQuarantined(ctx, res.QuarantineID); err != nil {
		t.Fatal(err)
	}
	if again := take(t, in, auto)[0]; again.Outcome != ticket.IntakeDuplicate {
		t.Errorf("discarded mail again: got %v, want duplicate", again.Outcome)
	}
}

// FuzzIntake takes anything in through parse and real storage: every input becomes a ticket, a
// message on one, a duplicate or a quarantine entry, never an error.
func FuzzIntake(f *testing.F) {
	f.Add([]byte("From: a@b.no\r\nSubject: hei\r\n\r\ntekst"))
	f.Add(readFixture(f, "no/outlook-svar.eml"))
	f.Add(readFixture(f, "no/retur-av-kvittering.eml"))
	f.Add([]byte("\x00garbage"))
	s := newStore(f)
	in := s.mailbridge()
	f.Fuzz(func(t *testing.T, raw []byte) {
		res, err := in.Take(context.Background(), []mailbridge.Incoming{{Raw: raw, Source: "fuzz"}})
		if err != nil {
			t.Fatalf("intake failed: %v", err)
		}
		switch res[0].Outcome {
		case ticket.IntakeCreated, ticket.IntakeAppended, ticket.IntakeDuplicate, ticket.IntakeQuarantined:
		default:
			t.Fatalf("outcome %+v", res[0])
		}
	})
}
