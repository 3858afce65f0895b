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

// TestReferralThroughMailpit follows a referral as far as main has the parts: a mail routed by
// the rules, a referral through the API, the referral mail at the agency's configured address in
// Mailpit, the reminder after the configured days, and the agency's answer marking the referral
// answered. Intake (issue 3) is not in main yet, so the answer is appended the way intake
// threads it (In-Reply-To the referral, AnsweredBy the agency) instead of being delivered into
// Dovecot; when intake lands, that step becomes a real IMAP delivery.
func TestReferralThroughMailpit(t *testing.T) {
	smtpAddr, api := mailpitAPI(t)
	navAddr := fmt.Sprintf("henvisning+%d@nav.example.no", time.Now().UnixNano())
	cfg := writeConfig(t, "[routing]\nreferral_reminder_after = \"5d\"\n\n[[agencies]]\nkey = \"nav\"\nemail = \""+navAddr+"\"\n")
	environ := []string{"DIGIHJELPEN_STORAGE_PATH=" + filepath.Join(t.TempDir(), "dh.db"), "DIGIHJELPEN_SMTP_ADDR=" + smtpAddr,
		"DIGIHJELPEN_SMTP_TLS=none", "DIGIHJELPEN_SMTP_FROM=Digihjelpen <kontakt@digihjelpen.test>"}
	a, err := openApp(cfg, env{environ: environ})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	var clock atomic.Int64 // the outbox reads the clock from its own goroutine
	clock.Store(time.Now().UnixNano())
	a.db.Now = func() time.Time { return time.Unix(0, clock.Load()) }
	now := a.db.Now()
	log := slog.New(slog.DiscardHandler)
	stop, err := startOutbox(context.Background(), a, log)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	srv, err := newWebServer(context.Background(), a, log)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	// A question comes in and the rules route it.
	tk := &ticket.Ticket{Subject: "Meldekortet kommer ikke fram", Status: ticket.StatusNew, Priority: ticket.PriorityNormal, Channel: ticket.ChannelEmail,
		Requester: ticket.Requester{Email: "kari@lillehammer.kommune.no"}}
	first := &ticket.Message{Direction: ticket.DirectionIn, From: "kari@lillehammer.kommune.no", Text: "En innbygger får ikke sendt meldekortet.",
		MessageID: fmt.Sprintf("<q-%d@lillehammer.kommune.no>", now.UnixNano())}
	a.router.Route(tk, first).Apply(tk)
	if tk.Agency != "nav" || tk.Routing.Rule != "Innbyggeres NAV-saker" || tk.Requester.Municipality.Name != "Lillehammer" {
		t.Fatalf("routed to %s by %q, municipality %v", tk.Agency, tk.Routing.Rule, tk.Requester.Municipality)
	}
	if err := a.tickets.CreateTicket(ctx, tk, first, ticket.CreateOptions{}); err != nil {
		t.Fatal(err)
	}

	// Staff refer it through the API; the referral mail reaches the agency's address.
	secret, id := web.NewTokenSecret()
	if err := a.tokens.CreateToken(ctx, &ticket.Token{ID: id, Name: "test", Role: ticket.RoleAgent}); err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodPost, "/api/v1/tickets/"+tk.Ref.String()+"/referrals", strings.NewReader(`{"agency":"nav","note":"Gjelder meldekort."}`))
	req.Header.Set("Authorization", "Bearer "+secret)
	req.Header.Set("Content-Type", "application/json")
	resp, err := srv.App().Test(req, -1)
	if err != nil || resp.StatusCode != http.StatusAccepted {
		t.Fatalf("referral: %v %v", resp.StatusCode, err)
	}
	got, _ := a.tickets.FindTicketByID(ctx, tk.ID)
	if got.Status != ticket.StatusReferred || len(got.Referrals) != 1 || got.Referrals[0].Status != ticket.ReferralSent {
		t.Fatalf("after the referral: %s %+v", got.Status, got.Referrals)
	}
	refID := got.Referrals[0].MessageID
	if text := mailpitText(t, api, refID); !strings.Contains(text, "Gjelder meldekort.") || !strings.Contains(text, "meldekortet") {
		t.Fatalf("referral mail text %q", text)
	}

	// Five days without an answer: the reminder flags it.
	clock.Add(int64(5*24*time.Hour + time.Minute))
	now = a.db.Now()
	remindOnce(ctx, a, log, time.Duration(a.cfg.Routing.ReferralReminderAfter))
	got, _ = a.tickets.FindTicketByID(ctx, tk.ID)
	if !got.HasTag(ticket.TagReferralOverdue) || got.Referrals[0].RemindedAt.IsZero() {
		t.Fatalf("not flagged overdue: %v %+v", got.Tags, got.Referrals[0])
	}

	// The agency answers (as intake will thread it): answered, flag gone.
	answer := &ticket.Message{Direction: ticket.DirectionIn, From: "veileder@nav.example.no", Text: "Svar fra NAV: meldekortet er mottatt.",
		MessageID: fmt.Sprintf("<svar-%d@nav.example.no>", now.UnixNano()), InReplyTo: refID, References: []string{refID}}
	if _, err := a.tickets.AppendMessage(ctx, tk.ID, answer, ticket.AppendOptions{AnsweredBy: "nav"}); err != nil {
		t.Fatal(err)
	}
	got, _ = a.tickets.FindTicketByID(ctx, tk.ID)
	if got.HasTag(ticket.TagReferralOverdue) || got.Referrals[0].Status != ticket.ReferralAnswered {
		t.Fatalf("after the answer: %v %+v", got.Tags, got.Referrals[0])
	}
	if err := a.db.Verify(ctx); err != nil {
		t.Fatal(err)
	}
}
