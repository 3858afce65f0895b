package main

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/mailbridge"
	"github.com/ks-no/digihjelpen/ticket"
)

// metrics is what /metrics serves (github.com/prometheus/client_golang): counters the mail
// loops feed as things happen, gauges read from the database and the monitor at each scrape
// (storeCollector), the Go runtime and the process, and the web's request durations (added by
// web.Server.Open). Every name is listed in docs/OPERATIONS.md.
type metrics struct {
	registry *prometheus.Registry

	intake       *prometheus.CounterVec
	intakeErrors prometheus.Counter
	sent         *prometheus.CounterVec
	failed       *prometheus.CounterVec
	unreachable  prometheus.Counter
}

func newMetrics(a *app, m *monitor) *metrics {
	mt := &metrics{
		registry: prometheus.NewRegistry(),
		intake: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "digihjelpen_intake_mails_total",
			Help: "Mails taken in (IMAP and import) by outcome: created (a new ticket), appended (to a ticket), duplicate, quarantined."},
			[]string{"outcome"}),
		intakeErrors: prometheus.NewCounter(prometheus.CounterOpts{Name: "digihjelpen_intake_errors_total",
			Help: "Batches of mail intake could not store (the mails stay in the mailbox and are read again)."}),
		sent: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "digihjelpen_mail_sent_total",
			Help: "Mails the SMTP server took, by kind."}, []string{"kind"}),
		failed: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "digihjelpen_mail_failed_total",
			Help: "Tries the SMTP server refused, by kind and outcome: retry (refused for now) or parked (for good, or out of tries)."},
			[]string{"kind", "outcome"}),
		unreachable: prometheus.NewCounter(prometheus.CounterOpts{Name: "digihjelpen_smtp_unreachable_total",
			Help: "Connections to the SMTP server that failed (the mails wait; the server is backed off)."}),
	}
	mt.registry.MustRegister(mt.intake, mt.intakeErrors, mt.sent, mt.failed, mt.unreachable,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		newStoreCollector(a, m))
	for _, o := range []ticket.IntakeOutcome{ticket.IntakeCreated, ticket.IntakeAppended, ticket.IntakeDuplicate, ticket.IntakeQuarantined} {
		mt.intake.WithLabelValues(intakeLabel(o)) // every series from the start, at 0
	}
	return mt
}

// intakeObserved is mailbridge.Intake.Observe.
func (mt *metrics) intakeObserved(results []ticket.IntakeResult, err error) {
	for _, r := range results {
		mt.intake.WithLabelValues(intakeLabel(r.Outcome)).Inc()
	}
	if err != nil {
		mt.intakeErrors.Inc()
	}
}

func intakeLabel(o ticket.IntakeOutcome) string {
	switch o {
	case ticket.IntakeCreated:
		return "created"
	case ticket.IntakeAppended:
		return "appended"
	case ticket.IntakeDuplicate:
		return "duplicate"
	case ticket.IntakeQuarantined:
		return "quarantined"
	}
	return string(o)
}

// sendObserved is mailbridge.Sender.Observe.
func (mt *metrics) sendObserved(kind ticket.MailKind, outcome mailbridge.SendOutcome) {
	switch outcome {
	case mailbridge.SendSent:
		mt.sent.WithLabelValues(string(kind)).Inc()
	case mailbridge.SendRetry, mailbridge.SendParked:
		mt.failed.WithLabelValues(string(kind), string(outcome)).Inc()
	case mailbridge.SendUnreachable:
		mt.unreachable.Inc()
	}
}

// storeCollector reads its gauges at each scrape: a few keys and counters, never the records.
type storeCollector struct {
	a *app
	m *monitor

	tickets, searchBacklog, dbBytes, queued, parked, oldestDue, quarantine *prometheus.Desc
	lastRead, idle, ready, backupLast, backupFailed                        *prometheus.Desc
}

func newStoreCollector(a *app, m *monitor) *storeCollector {
	d := func(name, help string, labels ...string) *prometheus.Desc {
		return prometheus.NewDesc("digihjelpen_"+name, help, labels, nil)
	}
	return &storeCollector{a: a, m: m,
		tickets:       d("tickets", "Tickets by status and agency.", "status", "agency"),
		searchBacklog: d("search_backlog", "Tickets waiting to be (re)indexed for full-text search."),
		dbBytes:       d("database_bytes", "Size of the bbolt database file."),
		queued:        d("outbox_queued", "Mails waiting in the outbox to be sent (the outbox depth)."),
		parked:        d("outbox_parked", "Mails stopped until staff send them again."),
		oldestDue:     d("outbox_oldest_due_seconds", "How long the oldest due mail has waited to be sent (0: none waits)."),
		quarantine:    d("quarantine_mails", "Mails in the quarantine (/karantene)."),
		lastRead:      d("mailbox_last_read_timestamp_seconds", "When the IMAP mailbox was last read in full (Unix time; 0: not since the start)."),
		idle:          d("mailbox_idle_working", "1 while IMAP IDLE works, 0 when it failed (only while IDLE is in use)."),
		ready:         d("ready", "1 when a /readyz check passes, 0 when it fails (off checks are 1).", "check"),
		backupLast:    d("backup_last_success_timestamp_seconds", "When the last scheduled backup was written (Unix time; only with [backup] dir)."),
		backupFailed:  d("backup_last_failed", "1 when the last scheduled backup failed (only with [backup] dir)."),
	}
}

func (c *storeCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.tickets, c.searchBacklog, c.dbBytes, c.queued, c.parked, c.oldestDue, c.quarantine,
		c.lastRead, c.idle, c.ready, c.backupLast, c.backupFailed} {
		ch <- d
	}
}

func (c *storeCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	gauge := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
	}
	if counts, err := c.a.tickets.CountTickets(ctx); err != nil {
		ch <- prometheus.NewInvalidMetric(c.tickets, err)
	} else {
		for _, n := range counts {
			gauge(c.tickets, float64(n.N), string(n.Status), n.Agency)
		}
	}
	if n, err := c.a.db.SearchBacklog(ctx); err == nil {
		gauge(c.searchBacklog, float64(n))
	}
	if st, err := c.a.db.Stats(ctx); err == nil {
		gauge(c.dbBytes, float64(st.Size))
	}
	if d, err := c.m.outbox.DueState(ctx); err != nil {
		ch <- prometheus.NewInvalidMetric(c.queued, err)
	} else {
		gauge(c.queued, float64(d.Queued))
		gauge(c.parked, float64(d.Parked))
		gauge(c.oldestDue, c.m.lateFor(d).Seconds())
	}
	if n, err := data.NewIntakeService(c.a.db).CountQuarantine(ctx); err == nil {
		gauge(c.quarantine, float64(n))
	}
	c.collectMailbox(gauge)
	for name, check := range c.m.readiness(ctx) {
		gauge(c.ready, boolValue(check.OK), name)
	}
	if c.a.backups != nil {
		last, failed := c.a.backups.State()
		gauge(c.backupLast, unixSeconds(last))
		gauge(c.backupFailed, boolValue(failed != ""))
	}
}

func (c *storeCollector) collectMailbox(gauge func(*prometheus.Desc, float64, ...string)) {
	if !c.m.imapOn {
		return
	}
	_, last := c.m.unread()
	gauge(c.lastRead, unixSeconds(last))
	c.m.mu.Lock()
	known, ok := c.m.idleKnown, c.m.idleOK
	c.m.mu.Unlock()
	if c.m.idleOn && known {
		gauge(c.idle, boolValue(ok))
	}
}

func boolValue(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func unixSeconds(t time.Time) float64 {
	if t.IsZero() {
		return 0
	}
	return float64(t.UnixNano()) / 1e9
}
