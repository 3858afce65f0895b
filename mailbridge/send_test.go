package mailbridge_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/mailbridge"
	"github.com/ks-no/digihjelpen/ticket"
	"github.com/ks-no/digihjelpen/ticket/compose"
)

func header(h map[string][]string, name string) string { return strings.Join(h[name], " ") }

func TestSendThreadedMailToMailpit(t *testing.T) {
	smtpAddr, api := mailstack(t)
	f := newFixture(t)
	kari := f.requester("kari")
	tk, first, ack := f.newTicket("Spørsmål om bostøtte – æøå ÆØÅ", kari)
	// Kari answers the acknowledgement (intake stores it like this), then staff reply.
	answer := &ticket.Message{Direction: ticket.DirectionIn, From: kari, Text: "Glemte å si: det gjelder Ærlige Åse.",
		MessageID: "<q2." + f.uniq + "@lillehammer.kommune.no>", InReplyTo: ack.MessageID, References: []string{first.MessageID, ack.MessageID}}
	if _, err := f.tickets.AppendMessage(f.ctx(), tk.ID, answer, ticket.AppendOptions{}); err != nil {
		t.Fatal(err)
	}
	reply := f.reply(tk, "Hei Kari!\nSøknaden om bostøtte finner du på husbanken.no. Blåbærsyltetøy til alle.")

	s := f.sender(smtpAddr)
	if n, err := s.SendDue(f.ctx()); err != nil || n != 2 {
		t.Fatalf("SendDue: %d %v, want 2 sent", n, err)
	}
	wantSubject := "[" + tk.Ref.String() + "] Spørsmål om bostøtte – æøå ÆØÅ"

	t.Run("acknowledgement", func(t *testing.T) {
		m, h := api.find(t, ack.MessageID)
		if m.Subject != wantSubject || m.From.Name != "Digihjelpen kontaktpunkt" || m.From.Address != "kontaktpunkt@digihjelpen.test" ||
			len(m.To) != 1 || m.To[0].Address != kari || len(m.ReplyTo) != 1 || m.ReplyTo[0].Address != "kontaktpunkt@digihjelpen.test" {
			t.Fatalf("got %+v", m)
		}
		if header(h, "Auto-Submitted") != "auto-replied" || header(h, "X-Auto-Response-Suppress") != "All" {
			t.Errorf("auto headers %v", h)
		}
		if header(h, "Message-Id") != ack.MessageID || header(h, "In-Reply-To") != first.MessageID {
			t.Errorf("Message-ID %q In-Reply-To %q, want %s and %s", header(h, "Message-Id"), header(h, "In-Reply-To"), ack.MessageID, first.MessageID)
		}
		if !strings.Contains(m.Text, "https://digihjelpen.test/sak/"+tk.StatusToken) || !strings.Contains(m.HTML, `href="https://digihjelpen.test/sak/`+tk.StatusToken+`"`) {
			t.Errorf("status link missing: %q", m.Text)
		}
		if raw := api.raw(t, m.ID); !strings.Contains(raw, "=?UTF-8?q?[DH-") || !strings.Contains(raw, "charset=UTF-8") {
			t.Errorf("subject or body not declared UTF-8:\n%s", raw[:min(len(raw), 1500)])
		}
	})
	t.Run("reply threads to the requester's latest mail", func(t *testing.T) {
		m, h := api.find(t, reply.MessageID)
		if m.Subject != wantSubject || header(h, "Auto-Submitted") != "" {
			t.Fatalf("subject %q auto %q", m.Subject, header(h, "Auto-Submitted"))
		}
		wantRefs := first.MessageID + " " + ack.MessageID + " " + answer.MessageID
		if header(h, "In-Reply-To") != answer.MessageID || header(h, "References") != wantRefs {
			t.Fatalf("In-Reply-To %q References %q, want %s / %s", header(h, "In-Reply-To"), header(h, "References"), answer.MessageID, wantRefs)
		}
		for _, want := range []string{"Blåbærsyltetøy til alle.", "Sak " + tk.Ref.String(), "> Glemte å si: det gjelder Ærlige Åse."} {
			if !strings.Contains(m.Text, want) {
				t.Errorf("text lacks %q:\n%s", want, m.Text)
			}
		}
		if !strings.Contains(m.HTML, "Blåbærsyltetøy til alle.") || !strings.Contains(m.HTML, "<blockquote") {
			t.Errorf("html part %q", m.HTML)
		}
	})
	t.Run("both are marked sent", func(t *testing.T) {
		for _, id := range []uint64{ack.ID, reply.ID} {
			if m := f.mail(id); m.State != ticket.OutboxSent || m.SentAt.IsZero() {
				t.Errorf("mail %d: %s", id, m.State)
			}
		}
		if n, err := s.SendDue(f.ctx()); n != 0 || err != nil {
			t.Errorf("second pass sent %d (%v), want nothing", n, err)
		}
	})
}

func TestSendWeeklyReportWithAttachment(t *testing.T) {
	smtpAddr, api := mailstack(t)
	f := newFixture(t)
	xlsx := []byte("PK\x03\x04 not really a spreadsheet, but bytes all the same")
	m := &ticket.OutboundMail{Kind: ticket.MailReport, To: []string{"leder+" + f.uniq + "@ks.no"}, Subject: "Ukestatistikk 2026-W47 – Digihjelpen",
		Text: "Vedlagt er ukens tall.", MessageID: compose.NewMessageID(f.composer.Domain(), ticket.Ref{}),
		Attachments: []ticket.Attachment{{Name: "digihjelpen-2026-W47.xlsx", Type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Data: xlsx}}}
	if err := f.db.EnqueueMail(f.ctx(), m); err != nil {
		t.Fatal(err)
	}
	if n, err := f.sender(smtpAddr).SendDue(f.ctx()); err != nil || n != 1 {
		t.Fatalf("SendDue: %d %v", n, err)
	}
	got, h := api.find(t, m.MessageID)
	if len(got.Attachments) != 1 || got.Attachments[0].FileName != "digihjelpen-2026-W47.xlsx" ||
		got.Attachments[0].ContentType != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
		t.Fatalf("attachments %+v", got.Attachments)
	}
	if header(h, "Auto-Submitted") != "auto-generated" {
		t.Errorf("Auto-Submitted %q, want auto-generated", header(h, "Auto-Submitted"))
	}
}

// TestSMTPDownThenBack: the server refuses connections for a while, then comes back; every
// mail arrives exactly once, and none used up its tries while the server was away.
func TestSMTPDownThenBack(t *testing.T) {
	smtpAddr, api := mailstack(t)
	f := newFixture(t)
	down := freeAddr(t) // nothing listens here yet
	var mails []*ticket.OutboundMail
	for i := range 5 {
		_, _, ack := f.newTicket("Kurs nummer "+string(rune('A'+i)), f.requester("down"))
		mails = append(mails, ack)
	}
	s := f.sender(down)
	for try := range 3 {
		if _, err := s.SendDue(f.ctx()); err == nil || !strings.Contains(err.Error(), "unreachable") {
			t.Fatalf("try %d: got %v, want unreachable", try, err)
		}
		for _, m := range mails {
			got := f.mail(m.ID)
			if got.State != ticket.OutboxQueued || got.Attempts != 0 || !strings.Contains(got.LastError, "Fikk ikke kontakt med SMTP-tjeneren") {
				t.Fatalf("try %d: mail %+v", try, got)
			}
		}
		if n, err := s.SendDue(f.ctx()); n != 0 || err != nil {
			t.Fatalf("retried before the back-off: %d %v", n, err)
		}
		f.clock.Add(6 * time.Minute)
	}
	proxy := startProxy(t, down, smtpAddr) // the server is back
	if n, err := s.SendDue(f.ctx()); err != nil || n != len(mails) {
		t.Fatalf("after the server came back: %d %v", n, err)
	}
	if n, err := s.SendDue(f.ctx()); err != nil || n != 0 {
		t.Fatalf("again: %d %v, want nothing left", n, err)
	}
	for _, m := range mails {
		api.find(t, m.MessageID)
		if ids := api.count(t, m.MessageID); len(ids) != 1 {
			t.Errorf("mail %s arrived %d times, want once", m.MessageID, len(ids))
		}
		if got := f.mail(m.ID); got.State != ticket.OutboxSent {
			t.Errorf("mail %d: %s", m.ID, got.State)
		}
	}
	if proxy.conns() == 0 {
		t.Fatal("nothing went through the proxy")
	}
}

// flakyOutbox fails to mark the first mail sent, as a crash between send and mark would.
type flakyOutbox struct {
	mailbridge.Outbox
	failed bool
}

func (o *flakyOutbox) MarkMailSent(ctx context.Context, id uint64) error {
	if !o.failed {
		o.failed = true
		return context.DeadlineExceeded
	}
	return o.Outbox.MarkMailSent(ctx, id)
}

// TestCrashBetweenSendAndMark: the mail goes again, with the same Message-ID, and is not lost.
func TestCrashBetweenSendAndMark(t *testing.T) {
	smtpAddr, api := mailstack(t)
	f := newFixture(t)
	_, _, ack := f.newTicket("Krasj", f.requester("krasj"))
	s := f.sender(smtpAddr, func(s *mailbridge.Sender) { s.Outbox = &flakyOutbox{Outbox: f.outbox} })
	if _, err := s.SendDue(f.ctx()); err == nil {
		t.Fatal("SendDue hid the failed mark")
	}
	if got := f.mail(ack.ID); got.State != ticket.OutboxQueued {
		t.Fatalf("after the lost mark: %s, want still queued", got.State)
	}
	if n, err := s.SendDue(f.ctx()); err != nil || n != 1 {
		t.Fatalf("resend: %d %v", n, err)
	}
	api.find(t, ack.MessageID)
	if ids := api.count(t, ack.MessageID); len(ids) != 2 {
		t.Fatalf("arrived %d times, want twice with the same Message-ID", len(ids))
	}
	if got := f.mail(ack.ID); got.State != ticket.OutboxSent {
		t.Fatalf("state %s", got.State)
	}
}

// TestRefusals uses a private Mailpit that refuses recipients on demand.
func TestRefusals(t *testing.T) {
	smtpAddr, api := startMailpit(t, "--enable-chaos")
	f := newFixture(t)
	tk, _, ack := f.newTicket("Avvist", f.requester("avvist"))
	s := f.sender(smtpAddr)

	api.chaos(t, 451)
	if n, err := s.SendDue(f.ctx()); err != nil || n != 1 {
		t.Fatalf("SendDue: %d %v", n, err)
	}
	got := f.mail(ack.ID)
	if got.State != ticket.OutboxQueued || got.Attempts != 1 || !strings.Contains(got.LastError, "451") {
		t.Fatalf("after 451: %+v", got)
	}
	if n, _ := s.SendDue(f.ctx()); n != 0 {
		t.Fatal("retried before the back-off")
	}

	api.chaos(t, 550)
	f.clock.Add(ticket.RetryDelay(1))
	if n, err := s.SendDue(f.ctx()); err != nil || n != 1 {
		t.Fatalf("SendDue: %d %v", n, err)
	}
	if got = f.mail(ack.ID); got.State != ticket.OutboxParked || !strings.Contains(got.LastError, "550") {
		t.Fatalf("after 550: %+v", got)
	}
	events, _ := newEvents(f).FindEvents(f.ctx(), tk.ID)
	if last := events[len(events)-1]; last.Kind != ticket.EventMailFailed || !strings.Contains(last.Detail, "550") {
		t.Fatalf("last event %+v", last)
	}
	if !strings.Contains(f.logs.String(), "mail parked") || strings.Contains(f.logs.String(), "avvist+") {
		t.Errorf("log should say parked and never name the address:\n%s", f.logs)
	}

	api.chaos(t, 0)
	if _, err := f.outbox.RetryMail(f.ctx(), ack.ID); err != nil {
		t.Fatal(err)
	}
	if n, err := s.SendDue(f.ctx()); err != nil || n != 1 {
		t.Fatalf("send again: %d %v", n, err)
	}
	api.find(t, ack.MessageID)
	if got = f.mail(ack.ID); got.State != ticket.OutboxSent {
		t.Fatalf("after send again: %s", got.State)
	}
}
