package main

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/ticket"
	"github.com/ks-no/digihjelpen/web"
)

// What counts as unhealthy (/readyz answers 503) and what raises an alarm (a banner for
// administrators and one mail to them per incident).
const (
	// mailboxReadsMissed: the mailbox is unhealthy when it has not been read for this many
	// poll intervals (the poller reads at least once per interval, IDLE or not).
	mailboxReadsMissed = 3
	// outboxLateAfter: the outbox is unhealthy while due mail has waited longer.
	outboxLateAfter = 15 * time.Minute
	// mailboxAlarmAfter and outboxAlarmAfter raise the alarms.
	mailboxAlarmAfter = 10 * time.Minute
	outboxAlarmAfter  = 30 * time.Minute
)

// monitor watches the database and the mail loops for /readyz, /metrics, the administrators'
// banner and the alarm mails. The loops tell it when they read the mailbox and whether IDLE
// works (mailbridge hooks); the rest it reads from the database when asked.
type monitor struct {
	db     *data.DB
	outbox *data.OutboxService
	mail   *mailState
	now    func() time.Time

	imapOn, idleOn, smtpOn bool
	pollInterval           time.Duration

	mu        sync.Mutex
	started   time.Time
	lastRead  time.Time
	idleKnown bool
	idleOK    bool
}

func newMonitor(a *app) *monitor {
	return &monitor{db: a.db, outbox: data.NewOutboxService(a.db), mail: &a.mail, now: time.Now, started: time.Now(),
		imapOn: a.cfg.IMAP.Addr != "", idleOn: a.cfg.IMAP.IDLE, smtpOn: a.cfg.SMTP.Addr != "",
		pollInterval: time.Duration(a.cfg.IMAP.PollInterval)}
}

// watch gives the app its monitor and metrics, once: serve's wiring, and tests that wire parts.
func (a *app) watch() {
	if a.monitor == nil {
		a.monitor = newMonitor(a)
		a.metrics = newMetrics(a, a.monitor)
	}
}

// mailboxRead is mailbridge.Poller.MailboxRead.
func (m *monitor) mailboxRead() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.lastRead = m.now()
}

// idleState is mailbridge.Poller.IdleState.
func (m *monitor) idleState(alive bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.idleKnown, m.idleOK = true, alive
}

// unread is how long the mailbox has gone unread (since the start when it never was read),
// and when it was last read.
func (m *monitor) unread() (time.Duration, time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	since := m.lastRead
	if since.IsZero() {
		since = m.started
	}
	return m.now().Sub(since), m.lastRead
}

// readiness is web.Server.Readiness.
func (m *monitor) readiness(ctx context.Context) web.Readiness {
	return web.Readiness{"database": m.databaseCheck(ctx), "mailbox": m.mailboxCheck(), "outbox": m.outboxCheck(ctx)}
}

func (m *monitor) databaseCheck(ctx context.Context) web.Check {
	if err := m.db.Ping(ctx); err != nil {
		return web.Check{Reason: "Databasen svarer ikke.", Cause: err.Error()}
	}
	return web.Check{OK: true}
}

func (m *monitor) mailboxCheck() web.Check {
	if !m.imapOn {
		return web.Check{OK: true, Off: true, Reason: "Innboksen leses ikke (imap.addr er tom)."}
	}
	unread, last := m.unread()
	m.mu.Lock()
	idleDead := m.idleOn && m.idleKnown && !m.idleOK
	m.mu.Unlock()
	c := web.Check{OK: true, Detail: map[string]any{"unread_seconds": int(unread.Seconds()), "poll_interval_seconds": int(m.pollInterval.Seconds())}}
	if !last.IsZero() {
		c.Detail["last_read"] = last.UTC().Format(time.RFC3339)
	}
	if m.idleOn && m.idleKnown {
		c.Detail["idle"] = m.idleOK
	}
	switch {
	case unread > mailboxReadsMissed*m.pollInterval:
		c.OK, c.Reason = false, fmt.Sprintf("Innboksen er ikke lest på %s (mer enn %d ganger imap.poll_interval).",
			minutes(unread), mailboxReadsMissed)
	case idleDead:
		c.OK, c.Reason = false, "IDLE virker ikke mot IMAP-tjeneren: ny e-post blir ikke meldt straks."
	}
	if !c.OK {
		c.Cause = m.mail.web().Intake
	}
	return c
}

func (m *monitor) outboxCheck(ctx context.Context) web.Check {
	d, err := m.outbox.DueState(ctx)
	if err != nil {
		return web.Check{Reason: "Utboksen kan ikke leses.", Cause: err.Error()}
	}
	late := m.lateFor(d)
	c := web.Check{OK: true, Detail: map[string]any{"queued": d.Queued, "parked": d.Parked, "oldest_due_seconds": int(late.Seconds())}}
	if !m.smtpOn {
		c.Off, c.Reason = true, "E-post sendes ikke (smtp.addr er tom); den venter i utboksen."
		return c
	}
	if late > outboxLateAfter {
		c.OK, c.Reason, c.Cause = false, fmt.Sprintf("E-post har ventet i %s i utboksen (%d i kø).", minutes(late), d.Queued), m.mail.web().Outbox
	}
	return c
}

// lateFor is how long the oldest due mail has waited.
func (m *monitor) lateFor(d data.OutboxDue) time.Duration {
	if d.OldestDue.IsZero() {
		return 0
	}
	return max(0, m.now().Sub(d.OldestDue))
}

// because adds what the mail loop last said stands in the way.
func (m *monitor) because(problem string) string {
	if problem == "" {
		return ""
	}
	return " " + problem
}

// alarm is one alarm that is raised: its incident name and the sentence shown and mailed.
type alarm struct {
	name, text string
}

// alarms are the alarms raised now: the mailbox unread for mailboxAlarmAfter, mail waiting
// for outboxAlarmAfter.
func (m *monitor) alarms(ctx context.Context) ([]alarm, error) {
	var list []alarm
	if unread, last := m.unread(); m.imapOn && unread >= mailboxAlarmAfter {
		when := "etter at serveren startet"
		if !last.IsZero() {
			when = "siden " + last.In(ticket.Oslo).Format("02.01.2006 kl. 15:04")
		}
		list = append(list, alarm{"mailbox", fmt.Sprintf("Innboksen er ikke lest på %s (%s): ny e-post blir ikke til saker.%s",
			minutes(unread), when, m.because(m.mail.web().Intake))})
	}
	d, err := m.outbox.DueState(ctx)
	if err != nil {
		return list, err
	}
	if late := m.lateFor(d); late >= outboxAlarmAfter {
		why := m.mail.web().Outbox
		if !m.smtpOn {
			why = "smtp.addr er ikke satt i konfigurasjonen."
		}
		list = append(list, alarm{"outbox", fmt.Sprintf("E-post har ventet i %s i utboksen (%d i kø): svar og kvitteringer kommer ikke fram.%s",
			minutes(late), d.Queued, m.because(why))})
	}
	return list, nil
}

// alarmTexts is web.Server.Alarms.
func (m *monitor) alarmTexts(ctx context.Context) []string {
	list, _ := m.alarms(ctx) // what could be read; the outbox's own error shows on /readyz
	texts := make([]string, len(list))
	for i, a := range list {
		texts[i] = a.text
	}
	return texts
}

// minutes is a duration as people read it in an alarm: «40 sekunder», «4 minutter», «2 timer
// og 5 minutter».
func minutes(d time.Duration) string {
	if d < time.Minute {
		return fmt.Sprintf("%d sekunder", int(d.Seconds()))
	}
	total := int(d.Minutes())
	h, m := total/60, total%60
	unit := func(n int, one, many string) string {
		if n == 1 {
			return "1 " + one
		}
		return fmt.Sprintf("%d %s", n, many)
	}
	switch {
	case h == 0:
		return unit(m, "minutt", "minutter")
	case m == 0:
		return unit(h, "time", "timer")
	}
	return unit(h, "time", "timer") + " og " + unit(m, "minutt", "minutter")
}
