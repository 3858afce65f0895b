package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"path/filepath"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
	"github.com/ks-no/digihjelpen/ticket/compose"
)

// allJobs are the background loops of serve with every one of them configured.
var allJobs = []string{"alarms", "auto-close", "backups", "control-socket", "imap-intake", "notifications", "outbox", "referral-reminders", "retention", "routing-learner", "search-index", "stats-mail", "webhooks"}

// openServeApp opens an app with every background loop switched on; smtp and imap are the
// addresses of the mail servers (the IMAP account and mailboxes come with extra).
func openServeApp(t *testing.T, smtp, imap string, extra ...string) *app {
	t.Helper()
	environ := append([]string{"DIGIHJELPEN_STORAGE_PATH=" + filepath.Join(t.TempDir(), "dh.db"),
		"DIGIHJELPEN_SMTP_ADDR=" + smtp, "DIGIHJELPEN_SMTP_TLS=none", "DIGIHJELPEN_SMTP_FROM=Digihjelpen <kontakt@digihjelpen.test>",
		"DIGIHJELPEN_IMAP_ADDR=" + imap, "DIGIHJELPEN_IMAP_TLS=none", "DIGIHJELPEN_IMAP_USERNAME=helpdesk", "DIGIHJELPEN_IMAP_PASSWORD=x",
		"DIGIHJELPEN_ROUTING_REFERRAL_REMINDER_AFTER=2d", "DIGIHJELPEN_RETENTION_ANONYMISE_AFTER=365d",
		"DIGIHJELPEN_STATS_RECIPIENTS=leder@ks.no", "DIGIHJELPEN_BACKUP_DIR=" + filepath.Join(t.TempDir(), "kopier")}, extra...)
	a, err := openApp("", env{environ: environ})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return a
}

// TestServeWiresEverythingBeforeAJobStarts: wireServe connects the web server and the hook
// from storage to the sender (DB.MailQueued → Sender.Wake) and starts nothing; run then starts
// every loop at once and serves. The first half is checked directly. For the second, a job
// here queues mail from its first moment to after the server answers, and every such commit
// reads DB.MailQueued: with -race, a hook set after Start (as DB.MailQueued was set after the
// reminder loop had started) is a data race. The detector sees it in most runs, not all (locks
// and sync.Pool in between can order the two accesses): setting a.db.MailQueued 50 ms after
// Start in run failed 9 of 12 runs.
func TestServeWiresEverythingBeforeAJobStarts(t *testing.T) {
	a := openServeApp(t, freeAddr(t), freeAddr(t))
	referralOverdue(t, a, 3*24*time.Hour)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, err := wireServe(ctx, a, slog.New(slog.DiscardHandler), serveControl(t, a))
	if err != nil {
		t.Fatal(err)
	}
	if got := s.jobs.Running(); len(got) != 0 {
		t.Fatalf("running before Start: %v", got)
	}
	if a.db.MailQueued == nil || s.web.App() == nil {
		t.Fatalf("not wired before the jobs start: MailQueued set %v, web server open %v", a.db.MailQueued != nil, s.web.App() != nil)
	}
	var queued atomic.Int32
	s.jobs.Add("queue-mail", func(ctx context.Context) error {
		for ctx.Err() == nil {
			mail := &ticket.OutboundMail{Kind: ticket.MailReport, To: []string{"leder@ks.no"}, Subject: "Test", Text: "Test",
				MessageID: compose.NewMessageID("digihjelpen.test", ticket.Ref{})}
			if _, err := a.db.EnqueueReportMail(ctx, fmt.Sprint("test-", queued.Load()), mail); err == nil {
				queued.Add(1)
			}
		}
		return nil
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ran := make(chan error, 1)
	go func() { ran <- s.run(ctx, ln, shutdownGrace) }()
	// Once the server answers, run is past its start. The test then keeps off the database
	// (and /healthz, which reads it) while the job commits on: bbolt's locks would order a
	// late hook before the job's next commit and hide the race from the detector.
	waitHealthy(t, "http://"+ln.Addr().String()+"/static/0/style.css")
	for served, deadline := queued.Load(), time.Now().Add(10*time.Second); queued.Load() < served+20; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the job queued %d mails, then stopped", served)
		}
	}
	week, overdueTag := ticket.WeekOf(time.Now()).Prev().String(), ticket.TagReferralOverdue
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		_, err := a.db.ReportMail(ctx, week)
		overdue, _, _ := a.tickets.FindTickets(ctx, ticket.TicketFilter{Tag: &overdueTag})
		if err == nil && len(overdue) == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the loops did not run: report mail %v, overdue tickets %d", err, len(overdue))
		}
	}
	if got, want := s.jobs.Running(), append(slices.Clone(allJobs), "queue-mail"); !slices.Equal(got, slices.Sorted(slices.Values(want))) {
		t.Errorf("running %v, want %v", got, want)
	}
	cancel()
	if err := <-ran; err != nil {
		t.Fatal(err)
	}
}

// serveControl opens the control socket of a, as serve does.
func serveControl(t *testing.T, a *app) *net.UnixListener {
	t.Helper()
	ln, err := listenControl(a.cfg.Storage.Path)
	if err != nil {
		t.Fatal(err)
	}
	a.serving = true
	t.Cleanup(func() { a.serving = false }) // before the app's Close, which then closes the file
	return ln
}

// referralOverdue stores a ticket referred to NAV age ago.
func referralOverdue(t *testing.T, a *app, age time.Duration) {
	t.Helper()
	ctx := context.Background()
	a.db.Now = func() time.Time { return time.Now().Add(-age) }
	defer func() { a.db.Now = time.Now }()
	tk := &ticket.Ticket{Subject: "Meldekort", Status: ticket.StatusNew, Agency: "nav", Priority: ticket.PriorityNormal, Channel: ticket.ChannelEmail}
	if err := a.tickets.CreateTicket(ctx, tk, &ticket.Message{Direction: ticket.DirectionIn, From: "a@hamar.kommune.no", Text: "hei"}, ticket.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	ref := &ticket.Message{Direction: ticket.DirectionOut, To: []string{"nav@nav.example.no"}, Text: "Til NAV", MessageID: fmt.Sprintf("<r%d@test>", time.Now().UnixNano())}
	if _, err := a.tickets.AppendMessage(ctx, tk.ID, ref, ticket.AppendOptions{Referral: &ticket.Referral{Agency: "nav"}}); err != nil {
		t.Fatal(err)
	}
}

// TestServeStopsEveryLoopWithinASecond starts serve's loops as serve does and shuts them
// down with the web server: everything has returned within a second. Once with mail servers
// that refuse (intake and sender in their retry waits), once against the real mail stack
// (intake in IMAP IDLE, the sender connected).
func TestServeStopsEveryLoopWithinASecond(t *testing.T) {
	tests := []struct {
		name string
		app  func(t *testing.T) *app
	}{
		{"servers refuse", func(t *testing.T) *app { return openServeApp(t, freeAddr(t), freeAddr(t)) }},
		{"mail stack", func(t *testing.T) *app {
			imapAddr, user, pass := mailStack(t)
			smtpAddr, _ := mailpitAPI(t)
			_, inbox, done := testMailbox(t, imapAddr, user, pass, "t-stopp-", fmt.Sprint(time.Now().UnixNano()))
			return openServeApp(t, smtpAddr, imapAddr, "DIGIHJELPEN_IMAP_USERNAME="+user, "DIGIHJELPEN_IMAP_PASSWORD="+pass,
				"DIGIHJELPEN_IMAP_MAILBOX="+inbox, "DIGIHJELPEN_IMAP_PROCESSED_MAILBOX="+done)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := tt.app(t)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			s, err := wireServe(ctx, a, slog.New(slog.DiscardHandler), serveControl(t, a))
			if err != nil {
				t.Fatal(err)
			}
			s.jobs.Start(ctx)
			time.Sleep(500 * time.Millisecond) // the loops make their first rounds: connect, index, queue the report
			if got := s.jobs.Running(); !slices.Equal(got, allJobs) {
				t.Fatalf("running %v, want %v", got, allJobs)
			}
			took := within(t, time.Second, "stopping serve's loops", func() {
				cancel() // SIGTERM
				s.stop(shutdownGrace)
			})
			t.Logf("web server and %d loops stopped in %v", len(allJobs), took)
			if got := s.jobs.Running(); len(got) != 0 {
				t.Errorf("still running: %v", got)
			}
		})
	}
}
