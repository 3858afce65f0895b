package main

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/ticket"
	"github.com/ks-no/digihjelpen/ticket/compose"
	"github.com/ks-no/digihjelpen/web"
)

// watchedApp is an app with mail configured (servers that are never dialled) and its monitor
// on a clock the test moves.
func watchedApp(t *testing.T) (*app, *monitor, *time.Time) {
	t.Helper()
	a := openServeApp(t, freeAddr(t), freeAddr(t), "DIGIHJELPEN_IMAP_POLL_INTERVAL=1m")
	now := time.Now().Truncate(time.Second) // the database keeps microseconds
	a.db.Now = func() time.Time { return now }
	a.watch()
	a.monitor.now = func() time.Time { return now }
	a.monitor.started = now
	return a, a.monitor, &now
}

// queueMail queues one mail due now.
func queueMail(t *testing.T, a *app) {
	t.Helper()
	m := &ticket.OutboundMail{Kind: ticket.MailReport, To: []string{"leder@ks.no"}, Subject: "Rapport", Text: "Tall",
		MessageID: compose.NewMessageID("digihjelpen.test", ticket.Ref{})}
	if err := a.db.EnqueueMail(context.Background(), m); err != nil {
		t.Fatal(err)
	}
}

// TestReadiness: the mailbox is unhealthy after three poll intervals without a read or when
// IDLE fails, the outbox when due mail has waited over 15 minutes; each says why.
func TestReadiness(t *testing.T) {
	a, m, now := watchedApp(t)
	ctx := context.Background()
	check := func(name string) web.Check { return m.readiness(ctx)[name] }
	if r := m.readiness(ctx); !r.Ready() {
		t.Fatalf("at start: %+v", r)
	}
	*now = now.Add(3*time.Minute + time.Second)
	if c := check("mailbox"); c.OK || !strings.Contains(c.Reason, "Innboksen er ikke lest på 3 minutter") {
		t.Errorf("no read for three intervals: %+v", c)
	}
	m.mailboxRead()
	if c := check("mailbox"); !c.OK || c.Detail["last_read"] == nil {
		t.Errorf("after a read: %+v", c)
	}
	m.idleState(false)
	a.mail.setIntake("Fikk ikke kontakt med IMAP-tjeneren.")
	if c := check("mailbox"); c.OK || !strings.Contains(c.Reason, "IDLE virker ikke") || c.Cause != "Fikk ikke kontakt med IMAP-tjeneren." {
		t.Errorf("IDLE dead: %+v", c)
	}
	m.idleState(true)

	queueMail(t, a)
	*now = now.Add(15 * time.Minute)
	m.mailboxRead()
	if c := check("outbox"); !c.OK || c.Detail["queued"] != 1 {
		t.Errorf("mail due for 15 minutes: %+v", c)
	}
	*now = now.Add(time.Minute)
	m.mailboxRead()
	a.mail.setOutbox("Fikk ikke kontakt med SMTP-tjeneren.")
	if c := check("outbox"); c.OK || c.Reason != "E-post har ventet i 16 minutter i utboksen (1 i kø)." || c.Cause != "Fikk ikke kontakt med SMTP-tjeneren." {
		t.Errorf("mail due for 16 minutes: %+v", c)
	}
	m.smtpOn = false
	if c := check("outbox"); !c.OK || !c.Off {
		t.Errorf("smtp.addr empty: %+v", c)
	}
	a.db.Close()
	if c := check("database"); c.OK || c.Reason != "Databasen svarer ikke." || c.Cause == "" {
		t.Errorf("database closed: %+v", c)
	}
}

// TestAlarmMailOncePerIncident: an alarm mails the active administrators once, also across a
// restart; when the problem is gone the incident closes, and the next one mails again. The
// banner says the same as the mail.
func TestAlarmMailOncePerIncident(t *testing.T) {
	a, m, now := watchedApp(t)
	ctx := context.Background()
	for _, u := range []*ticket.User{
		{Email: "admin@ks.no", Name: "Admin", Role: ticket.RoleAdmin, PasswordHash: "x"},
		{Email: "agent@ks.no", Name: "Agent", Role: ticket.RoleAgent, PasswordHash: "x"},
		{Email: "gammel@ks.no", Name: "Gammel", Role: ticket.RoleAdmin, PasswordHash: "x", Disabled: true},
	} {
		if err := a.users.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	logs := &bytes.Buffer{}
	newMailer := func() *alarmMailer {
		return &alarmMailer{db: a.db, users: a.users, monitor: m, domain: "digihjelpen.test", baseURL: "https://digihjelpen.ks.no",
			log: slog.New(slog.NewTextHandler(logs, nil))}
	}
	alarmMails := func() []*ticket.OutboundMail {
		list, _ := data.NewOutboxService(a.db).FindOutbox(ctx, ticket.OutboxFilter{})
		var out []*ticket.OutboundMail
		for _, mail := range list {
			if mail.Kind == ticket.MailAlarm {
				out = append(out, mail)
			}
		}
		return out
	}
	check := func(al *alarmMailer) {
		t.Helper()
		if err := al.check(ctx); err != nil {
			t.Fatal(err)
		}
	}
	al := newMailer()
	*now = now.Add(9 * time.Minute)
	check(al)
	if n := len(alarmMails()); n != 0 || len(m.alarmTexts(ctx)) != 0 {
		t.Fatalf("after 9 minutes: %d mails", n)
	}
	*now = now.Add(time.Minute)
	a.mail.setIntake("IMAP-tjeneren avviste innloggingen.")
	check(al)
	check(al)
	check(newMailer()) // a restart
	mails := alarmMails()
	if len(mails) != 1 || strings.Join(mails[0].To, ",") != "admin@ks.no" || mails[0].Subject != "Driftsvarsel fra Digihjelpen: innboksen leses ikke" ||
		!strings.Contains(mails[0].Text, "Innboksen er ikke lest på 10 minutter (etter at serveren startet): ny e-post blir ikke til saker. IMAP-tjeneren avviste innloggingen.") ||
		!strings.Contains(mails[0].Text, "https://digihjelpen.ks.no/readyz") {
		t.Fatalf("alarm mails %+v", mails)
	}
	if banner := m.alarmTexts(ctx); len(banner) != 1 || !strings.Contains(mails[0].Text, banner[0]) {
		t.Errorf("banner %q", banner)
	}
	m.mailboxRead()
	check(al)
	if since, _ := a.db.IncidentSince(ctx, "mailbox"); !since.IsZero() || !strings.Contains(logs.String(), "alarm cleared") {
		t.Fatalf("the incident stays open after the mailbox was read: %v", since)
	}
	*now = now.Add(11 * time.Minute)
	check(al)
	if n := len(alarmMails()); n != 2 {
		t.Errorf("a second incident sent %d mails in all, want 2", n)
	}

	queueMail(t, a)
	m.mailboxRead()
	*now = now.Add(30 * time.Minute)
	m.mailboxRead()
	check(al)
	check(al)
	var outbox []*ticket.OutboundMail
	for _, mail := range alarmMails() {
		if strings.Contains(mail.Subject, "utboksen") {
			outbox = append(outbox, mail)
		}
	}
	if len(outbox) != 1 || !strings.Contains(outbox[0].Text, "E-post har ventet i 41 minutter i utboksen (3 i kø)") {
		t.Errorf("outbox alarm mails %+v", outbox)
	}
}

// TestMetricsOfTheWiring: the registry serve exposes parses with the Prometheus text parser
// and has the intake and outbox counters the loops feed, the gauges read from the database,
// the readiness of each check and the Go runtime.
func TestMetricsOfTheWiring(t *testing.T) {
	a, m, _ := watchedApp(t)
	queueMail(t, a)
	m.mailboxRead()
	a.metrics.intakeObserved([]ticket.IntakeResult{{Outcome: ticket.IntakeCreated}, {Outcome: ticket.IntakeCreated}, {Outcome: ticket.IntakeQuarantined}}, nil)
	a.metrics.sendObserved(ticket.MailAck, "sent")
	a.metrics.sendObserved(ticket.MailReply, "retry")
	a.metrics.sendObserved("", "unreachable")
	families, err := a.metrics.registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var text bytes.Buffer
	enc := expfmt.NewEncoder(&text, expfmt.NewFormat(expfmt.TypeTextPlain))
	for _, f := range families {
		enc.Encode(f)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	parsed, err := parser.TextToMetricFamilies(&text)
	if err != nil {
		t.Fatal(err)
	}
	value := func(name string, labels ...string) float64 {
		f := parsed[name]
		if f == nil {
			t.Errorf("no %s", name)
			return -1
		}
	next:
		for _, mt := range f.GetMetric() {
			for i := 0; i < len(labels); i += 2 {
				found := false
				for _, l := range mt.GetLabel() {
					found = found || l.GetName() == labels[i] && l.GetValue() == labels[i+1]
				}
				if !found {
					continue next
				}
			}
			switch {
			case mt.Counter != nil:
				return mt.GetCounter().GetValue()
			case mt.Gauge != nil:
				return mt.GetGauge().GetValue()
			}
		}
		t.Errorf("no %s %v", name, labels)
		return -1
	}
	for _, tt := range []struct {
		name   string
		labels []string
		want   float64
	}{
		{"digihjelpen_intake_mails_total", []string{"outcome", "created"}, 2},
		{"digihjelpen_intake_mails_total", []string{"outcome", "quarantined"}, 1},
		{"digihjelpen_intake_mails_total", []string{"outcome", "duplicate"}, 0},
		{"digihjelpen_intake_errors_total", nil, 0},
		{"digihjelpen_mail_sent_total", []string{"kind", "ack"}, 1},
		{"digihjelpen_mail_failed_total", []string{"kind", "reply", "outcome", "retry"}, 1},
		{"digihjelpen_smtp_unreachable_total", nil, 1},
		{"digihjelpen_outbox_queued", nil, 1},
		{"digihjelpen_outbox_oldest_due_seconds", nil, 0},
		{"digihjelpen_quarantine_mails", nil, 0},
		{"digihjelpen_ready", []string{"check", "mailbox"}, 1},
		{"digihjelpen_ready", []string{"check", "database"}, 1},
		{"digihjelpen_mailbox_last_read_timestamp_seconds", nil, float64(m.lastRead.UnixNano()) / 1e9},
	} {
		if got := value(tt.name, tt.labels...); got != tt.want {
			t.Errorf("%s %v = %v, want %v", tt.name, tt.labels, got, tt.want)
		}
	}
	for _, name := range []string{"go_goroutines", "go_memstats_heap_alloc_bytes", "process_resident_memory_bytes", "digihjelpen_database_bytes"} {
		if parsed[name] == nil {
			t.Errorf("no %s", name)
		}
	}
}
