package data_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/kljensen/snowball/norwegian"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/ticket"
)

// person is someone in the forgetting tests, with names no other word in the file contains.
type person struct{ name, email string }

var (
	ingeborgine = person{"Ingeborgine Sjøstrandvik", "ingeborgine.sjostrandvik@lillehammer.kommune.no"}
	hallvardur  = person{"Hallvardur Brekkestølen", "hallvardur.brekkestolen@gjovik.kommune.no"}
	torbjorn    = person{"Torbjørnelise Vassendgutten", "torbjornelise.vassendgutten@hamar.kommune.no"}
	oddvarine   = person{"Oddvarine Tjernsmoen", "oddvarine.tjernsmoen@bodo.kommune.no"}
)

// traces are what must not be found of p once they are forgotten: the address, its local
// part's words, the name's words, and their stems (what the search index keeps).
func (p person) traces() []string {
	local, _, _ := strings.Cut(p.email, "@")
	out := []string{p.email}
	for _, w := range append(strings.FieldsFunc(local, func(r rune) bool { return r == '.' }), strings.Fields(strings.ToLower(p.name))...) {
		out = append(out, w, norwegian.Stem(w, false))
	}
	return out
}

// mailFrom is a mail from p.
func mailFrom(p person, subject, mid string) *ticket.InboundMail {
	m := mail(p.email, subject, mid)
	m.Message.FromName = p.name
	return m
}

// forgetEnv is a store with an intake, an outbox and the clock.
type forgetEnv struct {
	*intakeEnv
	outboxSvc *data.OutboxService
}

func newForgetEnv(t *testing.T) *forgetEnv {
	e := newIntakeEnv(t)
	e.intake.Acknowledge = func(tk *ticket.Ticket, first *ticket.Message) ([]*ticket.OutboundMail, error) {
		return []*ticket.OutboundMail{{Kind: ticket.MailAck, To: []string{tk.Requester.Email}, Subject: ticket.SubjectWithRef(tk.Ref, tk.Subject),
			Text: "Hei " + tk.Requester.Name + ", takk for spørsmålet. Følg saken på /sak/" + tk.StatusToken, MessageID: fmt.Sprintf("<ack-%d@digihjelpen.test>", tk.ID), AutoReply: true}}, nil
	}
	return &forgetEnv{intakeEnv: e, outboxSvc: data.NewOutboxService(e.db)}
}

// richTicket is a ticket from asker the way a real one grows: a mail with a source, a file and
// a colleague (cc) on copy; an acknowledgement; the colleague writing in; our answer quoting the
// question; a note and a referral naming the asker; some mail sent. It ends closed.
func (e *forgetEnv) richTicket(asker, cc person, file string) *ticket.Ticket {
	e.t.Helper()
	ctx := context.Background()
	first, _, _ := strings.Cut(asker.name, " ")
	m := mailFrom(asker, asker.name+" lurer på BankID", "<q-"+file+"@lillehammer.test>")
	m.Message.Cc = []string{cc.email}
	m.Message.Text = "Hei! En innbygger får ikke logget inn. Ring meg på 41234567.\n\nHilsen " + asker.name
	m.Message.Raw = []byte("From: " + asker.name + " <" + asker.email + ">\r\nCc: " + cc.email + "\r\n\r\n" + m.Message.Text)
	m.Message.Attachments = []ticket.Attachment{{Name: "skjerm-" + first + ".png", Type: "image/png", Data: []byte("fil " + file)}}
	tk := e.ticket(e.ingest(m).TicketID)
	steps := []struct {
		m    *ticket.Message
		opts ticket.AppendOptions
	}{
		{&ticket.Message{Direction: ticket.DirectionIn, From: cc.email, FromName: cc.name, Text: "Jeg har samme problem som " + first + "."}, ticket.AppendOptions{}},
		{&ticket.Message{Direction: ticket.DirectionOut, From: "kontakt@digihjelpen.test", To: []string{asker.email}, Cc: []string{cc.email}, Author: "agent@ks.no",
			Text:       "Hei " + first + ",\n\nslik gjør du det.\n\nHilsen Ola\n\n> " + asker.name + " skrev:\n> Ring meg på 41234567",
			QuoteStart: len("Hei " + first + ",\n\nslik gjør du det.\n\nHilsen Ola\n\n")},
			ticket.AppendOptions{Out: []*ticket.OutboundMail{{Kind: ticket.MailReply, To: []string{asker.email}, Cc: []string{cc.email}, Subject: "Svar til " + asker.name,
				Text: "Hei " + first + ", slik gjør du det.", MessageID: "<svar-" + file + "@digihjelpen.test>", Attachments: []ticket.Attachment{{Name: "veiledning.pdf", Data: []byte("veiledning " + file)}}}}}},
		{&ticket.Message{Direction: ticket.DirectionNote, Author: "agent@ks.no", Text: "Ringte " + first + "s kollega " + cc.name + "."}, ticket.AppendOptions{}},
		{&ticket.Message{Direction: ticket.DirectionOut, From: "kontakt@digihjelpen.test", To: []string{"henvisning@nav.no"}, Author: "agent@ks.no", Text: "Henvisning: " + asker.name + " spør om BankID."},
			ticket.AppendOptions{Referral: &ticket.Referral{Agency: "nav", Note: first + " trenger svar fra NAV", By: "agent@ks.no"},
				Out: []*ticket.OutboundMail{{Kind: ticket.MailReferral, To: []string{"henvisning@nav.no"}, Subject: "Henvisning", Text: "Spørsmål fra " + asker.name + " <" + asker.email + ">", MessageID: "<ref-" + file + "@digihjelpen.test>"}}}},
	}
	for _, s := range steps {
		if _, err := e.tickets.AppendMessage(ctx, tk.ID, s.m, s.opts); err != nil {
			e.t.Fatal(err)
		}
	}
	due, err := e.outboxSvc.FindDueMail(ctx, 10)
	if err != nil {
		e.t.Fatal(err)
	}
	for _, m := range due[:len(due)-1] { // the last stays queued
		if err := e.outboxSvc.MarkMailSent(ctx, m.ID); err != nil {
			e.t.Fatal(err)
		}
	}
	tk, err = e.tickets.UpdateTicket(ctx, tk.ID, ticket.TicketUpdate{Status: ptr(ticket.StatusClosed), Tags: &[]string{"bankid"}})
	if err != nil {
		e.t.Fatal(err)
	}
	return tk
}

// reports are the weekly reports of the weeks the tests' tickets live in, as JSON.
func (e *forgetEnv) reports() []byte {
	e.t.Helper()
	var out []byte
	stats := data.NewStatsService(e.db)
	for w := ticket.WeekOf(e.clock.Now().AddDate(0, 0, -800)); !w.Start().After(e.clock.Now()); w = w.Next() {
		r, err := stats.WeeklyReport(context.Background(), w)
		if err != nil {
			e.t.Fatal(err)
		}
		buf, err := json.Marshal(r)
		if err != nil {
			e.t.Fatal(err)
		}
		out = append(append(out, buf...), '\n')
	}
	return out
}

// fileHolds returns the traces of p that are anywhere in the bytes of the database file: in a
// record, an index key, a search term, or a page bbolt freed. The database is closed first.
func fileHolds(t *testing.T, db *data.DB, p person) []string {
	t.Helper()
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(db.Path)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	lower := bytes.ToLower(raw)
	var found []string
	for _, tr := range p.traces() {
		if bytes.Contains(lower, []byte(tr)) {
			found = append(found, tr)
		}
	}
	return found
}

func TestRetentionForgetsNamesEverywhere(t *testing.T) {
	e := newForgetEnv(t)
	ctx := context.Background()
	old := e.richTicket(ingeborgine, hallvardur, "a")
	e.clock.Add(400 * 24 * time.Hour)
	recent := e.richTicket(torbjorn, oddvarine, "b")
	e.clock.Add(24 * time.Hour)
	if err := e.db.IndexSearchAllForTest(ctx); err != nil {
		t.Fatal(err)
	}
	before := e.reports()
	if got := fileHolds(t, e.db, ingeborgine); len(got) == 0 {
		t.Fatal("the file scan finds nothing before anonymisation: it cannot fail")
	}

	run, err := data.NewRetentionService(e.db).AnonymiseClosedBefore(ctx, e.clock.Now().Add(-365*24*time.Hour))
	if err != nil || run.Anonymised != 1 || run.Overwritten == 0 {
		t.Fatalf("run: %+v %v; want one ticket anonymised and freed pages overwritten", run, err)
	}
	mustVerify(t, e.db)
	if after := e.reports(); !bytes.Equal(after, before) {
		t.Fatalf("weekly reports changed:\nbefore %s\nafter  %s", before, after)
	}
	for _, p := range []person{ingeborgine, hallvardur} {
		if got := fileHolds(t, e.db, p); len(got) > 0 {
			t.Errorf("the file still holds %v of %s", got, p.name)
		}
	}
	for _, p := range []person{torbjorn, oddvarine} {
		if got := fileHolds(t, e.db, p); len(got) == 0 {
			t.Errorf("the recent ticket lost %s", p.name)
		}
	}
	checkForgotten(t, e, old.ID)
	if got := e.ticket(recent.ID); got.Requester.Email != torbjorn.email || !got.AnonymisedAt.IsZero() {
		t.Errorf("recent ticket changed: %+v", got.Requester)
	}
}

// checkForgotten checks what an anonymised ticket keeps: statistics fields, tags, our answer
// with the name replaced and the quote cut, and the history.
func checkForgotten(t *testing.T, e *forgetEnv, id uint64) {
	t.Helper()
	ctx := context.Background()
	got := e.ticket(id)
	if got.Requester.Municipality.Number == "" && got.Requester.Email != "" {
		t.Errorf("requester kept: %+v", got.Requester)
	}
	if got.Status != ticket.StatusClosed || got.Agency == "" || !got.HasTag("bankid") || got.Subject != "[navn] lurer på BankID" {
		t.Errorf("ticket after forgetting: status %s agency %s tags %v subject %q", got.Status, got.Agency, got.Tags, got.Subject)
	}
	if len(got.Referrals) != 1 || got.Referrals[0].Note != "[navn] trenger svar fra NAV" {
		t.Errorf("referral note: %+v", got.Referrals)
	}
	msgs, err := e.tickets.FindMessages(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	want := map[ticket.Direction]string{
		ticket.DirectionIn:   ticket.AnonymisedText,
		ticket.DirectionOut:  "Hei [navn],\n\nslik gjør du det.\n\nHilsen Ola",
		ticket.DirectionNote: "Ringte [navn] kollega [navn].",
	}
	for _, m := range msgs {
		if w, ok := want[m.Direction]; ok && m.Text != w && !strings.HasPrefix(m.Text, "Henvisning") {
			t.Errorf("message %d (%s): %q, want %q", m.Seq, m.Direction, m.Text, w)
		}
		if m.From != "" || m.To != nil || m.Cc != nil || m.HasRaw || m.Attachments != nil || m.FromName != "" {
			t.Errorf("message %d keeps addresses, files or source: %+v", m.Seq, m)
		}
	}
}

func TestEveryTicketOfAPersonAndErasure(t *testing.T) {
	e := newForgetEnv(t)
	ctx := context.Background()
	own := e.richTicket(ingeborgine, hallvardur, "a")
	second := e.ticket(e.ingest(mailFrom(ingeborgine, "Nytt spørsmål", "<q2@lillehammer.test>")).TicketID)
	copied := e.richTicket(torbjorn, ingeborgine, "b") // on copy of someone else's question
	mention := e.ticket(e.ingest(mailFrom(oddvarine, "Kurs", "<q3@bodo.test>")).TicketID)
	if _, err := e.tickets.AppendMessage(ctx, mention.ID, &ticket.Message{Direction: ticket.DirectionNote, Author: "agent@ks.no",
		Text: "Samme spørsmål som " + ingeborgine.name + " hadde."}, ticket.AppendOptions{}); err != nil {
		t.Fatal(err)
	}
	unrelated := e.ticket(e.ingest(mailFrom(oddvarine, "Annet", "<q4@bodo.test>")).TicketID)
	if err := e.db.IndexSearchAllForTest(ctx); err != nil {
		t.Fatal(err)
	}
	before := e.reports()
	persons := data.NewPersonService(e.db)
	d, err := persons.FindPerson(ctx, strings.ToUpper(ingeborgine.email))
	if err != nil {
		t.Fatal(err)
	}
	roles := map[uint64]ticket.PersonRole{}
	for _, p := range d.Tickets {
		roles[p.Ticket.ID] = p.Role
	}
	wantRoles := map[uint64]ticket.PersonRole{own.ID: ticket.PersonRequester, second.ID: ticket.PersonRequester,
		copied.ID: ticket.PersonParticipant, mention.ID: ticket.PersonMentioned}
	if fmt.Sprint(roles) != fmt.Sprint(wantRoles) {
		t.Fatalf("tickets of the person: %v, want %v (not %d)", roles, wantRoles, unrelated.ID)
	}
	if len(d.Names) != 1 || d.Names[0] != ingeborgine.name || len(d.Tickets[0].Messages) != 5 {
		t.Fatalf("names %v, messages of the own ticket %d", d.Names, len(d.Tickets[0].Messages))
	}

	er, err := persons.ErasePerson(ctx, ingeborgine.email)
	if err != nil {
		t.Fatal(err)
	}
	if er.Tickets != 2 || er.Scrubbed != 2 || er.Remaining != 0 || len(er.Tag) != 16 {
		t.Fatalf("erasure: %+v", er)
	}
	mustVerify(t, e.db)
	if after := e.reports(); !bytes.Equal(after, before) {
		t.Fatal("the statistics changed with the erasure")
	}
	for _, q := range []string{ingeborgine.email, `"` + ingeborgine.name + `"`, "Sjøstrandvik", "Ingeborgine"} {
		list, n, err := e.tickets.FindTickets(ctx, ticket.TicketFilter{Query: q, Limit: 10})
		if err != nil || n != 0 || len(list) != 0 {
			t.Errorf("search %q after erasure: %d tickets, %v", q, n, err)
		}
	}
	if got := fileHolds(t, e.db, ingeborgine); len(got) > 0 {
		t.Errorf("the file still holds %v", got)
	}
	if got := e.ticket(copied.ID); got.Requester.Email != torbjorn.email || got.IsParticipant(ingeborgine.email) {
		t.Errorf("someone else's ticket: requester %q, participants %v", got.Requester.Email, got.Participants)
	}
	if _, err := persons.FindPerson(ctx, ingeborgine.email); ticket.ErrorCode(err) != ticket.ENOTFOUND {
		t.Errorf("find after erasure: %v, want not found", err)
	}
	if _, err := persons.ErasePerson(ctx, ingeborgine.email); ticket.ErrorCode(err) != ticket.ENOTFOUND {
		t.Errorf("second erasure: %v, want not found", err)
	}
}

// TestEraseRefusesStaff: the address of a staff account is exported with the account, but not
// erased: their name is the actor of what they did in the audit log.
func TestEraseRefusesStaff(t *testing.T) {
	e := newForgetEnv(t)
	ctx := context.Background()
	u := &ticket.User{Email: "ola.ansatt@ks.no", Name: "Ola Ansatt", Role: ticket.RoleAgent, PasswordHash: "x"}
	if err := data.NewUserService(e.db).CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	e.ingest(mailFrom(person{"Ola Ansatt", "ola.ansatt@ks.no"}, "Test", "<staff@ks.test>"))
	persons := data.NewPersonService(e.db)
	d, err := persons.FindPerson(ctx, "ola.ansatt@ks.no")
	if err != nil || d.Account == nil || d.Account.PasswordHash != "" || len(d.Tickets) != 1 {
		t.Fatalf("export of a staff address: %+v %v", d, err)
	}
	_, err = persons.ErasePerson(ctx, "ola.ansatt@ks.no")
	if ticket.ErrorCode(err) != ticket.ECONFLICT || !strings.Contains(ticket.ErrorMessage(err), "ansattkonto") {
		t.Fatalf("erasure of a staff address: %v, want a refusal", err)
	}
	if got := e.ticket(d.Tickets[0].Ticket.ID); got.Requester.Email != "ola.ansatt@ks.no" {
		t.Fatal("the refused erasure changed the ticket")
	}
}

// TestErasureLeavesNamesakesAlone: a first name alone is no one's in particular. Erasing Kari
// Nordmann changes neither the audit line about the staff member kari@ks.no nor the ticket of
// Kari Hansen, which says «Kari» too.
func TestErasureLeavesNamesakesAlone(t *testing.T) {
	e := newForgetEnv(t)
	ctx := context.Background()
	if err := data.NewUserService(e.db).CreateUser(ctx, &ticket.User{Email: "kari@ks.no", Name: "Kari", Role: ticket.RoleAgent, PasswordHash: "x"}); err != nil {
		t.Fatal(err)
	}
	nordmann := person{"Kari Nordmann", "kari.nordmann@hamar.kommune.no"}
	e.richTicket(nordmann, hallvardur, "a")
	hansen := e.ticket(e.ingest(mailFrom(person{"Kari Hansen", "kari.hansen@oslo.kommune.no"}, "Kari lurer på Vipps", "<hansen@oslo>")).TicketID)
	if err := e.db.IndexSearchAllForTest(ctx); err != nil {
		t.Fatal(err)
	}
	before, _ := data.NewEventService(e.db).FindEvents(ctx, 0)
	if _, err := data.NewPersonService(e.db).ErasePerson(ctx, nordmann.email); err != nil {
		t.Fatal(err)
	}
	after, _ := data.NewEventService(e.db).FindEvents(ctx, 0)
	for i, ev := range before {
		if *after[i] != *ev {
			t.Errorf("an audit line about someone else changed: %+v -> %+v", ev, after[i])
		}
	}
	got := e.ticket(hansen.ID)
	msgs, _ := e.tickets.FindMessages(ctx, hansen.ID)
	if got.Subject != "Kari lurer på Vipps" || got.Requester.Name != "Kari Hansen" || msgs[0].FromName != "Kari Hansen" {
		t.Errorf("a namesake's ticket changed: %q %q %q", got.Subject, got.Requester.Name, msgs[0].FromName)
	}
}
