package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
	"github.com/ks-no/digihjelpen/web"
)

// TestReferralRoundTrip follows referrals through the real mail stack with the wiring of serve
// (the app, the IMAP poller, the outbox, the web API, the reminder job) and a clock the test
// moves: two questions arrive in Dovecot and are routed to NAV and Skatteetaten; staff refer
// them through the API; the referral mails reach the agencies' configured addresses in
// Mailpit with the question, the municipality and the note; five days later the reminder
// flags both as unanswered. NAV then answers from its mail client (In-Reply-To the referral)
// and Skatteetaten writes a new mail from its domain with only the reference in the subject;
// both are delivered into Dovecot, join their tickets, mark the referral answered and take the
// reminder's tag away.
func TestReferralRoundTrip(t *testing.T) {
	imapAddr, user, pass := mailStack(t)
	smtpAddr, api := mailpitAPI(t)
	uniq := fmt.Sprint(time.Now().UnixNano())
	c, inbox, done := testMailbox(t, imapAddr, user, pass, "t-henvisning-", uniq)
	navAddr, skattAddr := "henvisning+"+uniq+"@nav.example.no", "henvisning+"+uniq+"@skatteetaten.example.no"
	cfg := writeConfig(t, "[routing]\nreferral_reminder_after = \"5d\"\n\n[[agencies]]\nkey = \"nav\"\nemail = \""+navAddr+"\"\n\n"+
		"[[agencies]]\nkey = \"skatteetaten\"\nemail = \""+skattAddr+"\"\n")
	environ := []string{"DIGIHJELPEN_STORAGE_PATH=" + filepath.Join(t.TempDir(), "dh.db"), "DIGIHJELPEN_SMTP_ADDR=" + smtpAddr,
		"DIGIHJELPEN_SMTP_TLS=none", "DIGIHJELPEN_SMTP_FROM=Digihjelpen <kontakt@digihjelpen.test>", "DIGIHJELPEN_IMAP_ADDR=" + imapAddr,
		"DIGIHJELPEN_IMAP_TLS=none", "DIGIHJELPEN_IMAP_USERNAME=" + user, "DIGIHJELPEN_IMAP_PASSWORD=" + pass,
		"DIGIHJELPEN_IMAP_MAILBOX=" + inbox, "DIGIHJELPEN_IMAP_PROCESSED_MAILBOX=" + done, "DIGIHJELPEN_IMAP_POLL_INTERVAL=1s"}
	a, err := openApp(cfg, env{environ: environ})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	var clock atomic.Int64 // read from the poller's and the outbox's goroutines
	clock.Store(time.Now().UnixNano())
	a.db.Now = func() time.Time { return time.Unix(0, clock.Load()) }
	r := startReferralRig(t, a)
	ctx := context.Background()

	// The questions come in by mail and the rules route them.
	kari, per := "kari+"+uniq+"@lillehammer.kommune.no", "per+"+uniq+"@gjovik.kommune.no"
	deliver(t, c, inbox, newMail(kari, "Meldekortet kommer ikke fram", "<meldekort-"+uniq+"@lillehammer.kommune.no>",
		"En innbygger får ikke sendt meldekortet."))
	deliver(t, c, inbox, newMail(per, "Skattekortet til en innbygger", "<skattekort-"+uniq+"@gjovik.kommune.no>",
		"En innbygger lurer på hvordan hun endrer skattekortet."))
	nav := r.waitTicket(t, "the NAV question", kari, func(*ticket.Ticket) bool { return true })
	skatt := r.waitTicket(t, "the tax question", per, func(*ticket.Ticket) bool { return true })
	if nav.Agency != "nav" || nav.Routing.Rule != "Innbyggeres NAV-saker" || nav.Requester.Municipality.Name != "Lillehammer" ||
		skatt.Agency != "skatteetaten" || skatt.Requester.Municipality.Name != "Gjøvik" {
		t.Fatalf("routed: NAV question to %s by %q in %v; tax question to %s in %v", nav.Agency, nav.Routing.Rule,
			nav.Requester.Municipality, skatt.Agency, skatt.Requester.Municipality)
	}

	// Staff refer them through the API; the referral mails reach the agencies.
	navMail := r.refer(t, api, nav, "nav", navAddr, "Gjelder meldekort.", "En innbygger får ikke sendt meldekortet.", "Lillehammer (Innlandet)")
	r.refer(t, api, skatt, "skatteetaten", skattAddr, "Gjelder skattekort.", "hvordan hun endrer skattekortet", "Gjøvik (Innlandet)")

	// Five days without an answer: the reminder flags both.
	clock.Add(int64(5*24*time.Hour + time.Minute))
	remindOnce(ctx, a, r.log, time.Duration(a.cfg.Routing.ReferralReminderAfter))
	for _, id := range []uint64{nav.ID, skatt.ID} {
		if got, _ := a.tickets.FindTicketByID(ctx, id); !got.HasTag(ticket.TagReferralOverdue) || got.Referrals[0].RemindedAt.IsZero() {
			t.Fatalf("%s not flagged overdue: %v %+v", got.Ref, got.Tags, got.Referrals[0])
		}
	}

	t.Run("AgencyRepliesToTheReferral", func(t *testing.T) {
		answer := "<svar-" + uniq + "@nav.example.no>"
		deliver(t, c, inbox, clientReply("Veileder i NAV <veileder@nav.example.no>", navMail, answer, "Svar fra NAV: meldekortet er mottatt."))
		r.checkAnswered(t, nav, answer, "Svar fra NAV: meldekortet er mottatt.")
	})
	t.Run("AgencyWritesWithTheReference", func(t *testing.T) {
		answer := "<ny-" + uniq + "@skatteetaten.example.no>"
		deliver(t, c, inbox, newMail("Saksbehandler <saksbehandler@skatteetaten.example.no>", "Vedr. "+skatt.Ref.String(), answer,
			"Innbyggeren kan endre skattekortet på skatteetaten.no."))
		r.checkAnswered(t, skatt, answer, "Innbyggeren kan endre skattekortet på skatteetaten.no.")
	})

	r.stop()
	if mailboxSize(c, inbox) != 0 || mailboxSize(c, done) != 4 {
		t.Errorf("mailboxes: %d in %s, %d in %s; want 0 and 4", mailboxSize(c, inbox), inbox, mailboxSize(c, done), done)
	}
	if err := a.db.Verify(ctx); err != nil {
		t.Fatal(err)
	}
}

// referralRig is the app running as serve runs it: outbox, IMAP intake and the web API.
type referralRig struct {
	a     *app
	srv   *web.Server
	log   *slog.Logger
	token string
	// stop ends intake and the outbox and waits for them (more than once is fine).
	stop func()
}

func startReferralRig(t *testing.T, a *app) *referralRig {
	t.Helper()
	r := &referralRig{a: a, log: slog.New(slog.DiscardHandler)}
	ctx := context.Background()
	r.stop = startJobs(t, func(jobs *jobRunner) error {
		addIntake(jobs, a, r.log)
		return addOutbox(jobs, a, r.log)
	})
	t.Cleanup(r.stop)
	var err error
	if r.srv, err = newWebServer(ctx, a, r.log); err != nil {
		t.Fatal(err)
	}
	secret, id := web.NewTokenSecret()
	if err := a.tokens.CreateToken(ctx, &ticket.Token{ID: id, Name: "test", Role: ticket.RoleAgent}); err != nil {
		t.Fatal(err)
	}
	r.token = secret
	return r
}

// waitTicket waits until the ticket of requester email exists and satisfies cond.
func (r *referralRig) waitTicket(t *testing.T, what, email string, cond func(*ticket.Ticket) bool) *ticket.Ticket {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		list, _, err := r.a.tickets.FindTickets(context.Background(), ticket.TicketFilter{Limit: ticket.MaxLimit})
		if err != nil {
			t.Fatal(err)
		}
		for _, tk := range list {
			if tk.Requester.Email == email && cond(tk) {
				return tk
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// refer refers tk to agency through the API and returns the referral mail as the agency got
// it at addr, after checking what it says and how it is addressed.
func (r *referralRig) refer(t *testing.T, api string, tk *ticket.Ticket, agency, addr, note, question, municipality string) *mailpitMail {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/api/v1/tickets/"+tk.Ref.String()+"/referrals", strings.NewReader(`{"agency":"`+agency+`","note":"`+note+`"}`))
	req.Header.Set("Authorization", "Bearer "+r.token)
	req.Header.Set("Content-Type", "application/json")
	if resp, err := r.srv.App().Test(req, -1); err != nil || resp.StatusCode != http.StatusAccepted {
		t.Fatalf("referral of %s: %v %v", tk.Ref, resp.StatusCode, err)
	}
	got, _ := r.a.tickets.FindTicketByID(context.Background(), tk.ID)
	if got.Status != ticket.StatusReferred || len(got.Referrals) != 1 || got.Referrals[0].Status != ticket.ReferralSent {
		t.Fatalf("%s after the referral: %s %+v", tk.Ref, got.Status, got.Referrals)
	}
	m := mailpitWait(t, api, `to:"`+addr+`"`, 1)[0]
	for _, want := range []string{note, question, "Kommune: " + municipality, "Saksnummer: " + tk.Ref.String()} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("referral mail lacks %q:\n%s", want, m.Text)
		}
	}
	if "<"+m.MessageID+">" != got.Referrals[0].MessageID || !strings.HasPrefix(m.Subject, "["+tk.Ref.String()+"] Henvisning: ") ||
		m.header("Auto-Submitted") != "" || !strings.Contains(m.header("Reply-To"), "kontakt@digihjelpen.test") {
		t.Errorf("referral mail %q, header %v; want Message-ID %s", m.Subject, m.Header, got.Referrals[0].MessageID)
	}
	return m
}

// checkAnswered waits until the agency's answer with messageID is on tk and checks that the
// referral is answered and the reminder's tag gone.
func (r *referralRig) checkAnswered(t *testing.T, tk *ticket.Ticket, messageID, text string) {
	t.Helper()
	got := r.waitTicket(t, "the answer of "+tk.Ref.String(), tk.Requester.Email, func(x *ticket.Ticket) bool {
		return x.ID == tk.ID && x.Referrals[0].Status == ticket.ReferralAnswered
	})
	if got.HasTag(ticket.TagReferralOverdue) || got.Referrals[0].AnsweredAt.IsZero() {
		t.Errorf("after the answer: tags %v, referral %+v", got.Tags, got.Referrals[0])
	}
	msgs, _ := r.a.tickets.FindMessages(context.Background(), tk.ID)
	last := msgs[len(msgs)-1]
	if last.MessageID != messageID || last.Direction != ticket.DirectionIn || !strings.HasPrefix(last.Text, text) {
		t.Errorf("the answer stored as %+v", last)
	}
}
