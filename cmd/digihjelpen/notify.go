package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/mailbridge"
	"github.com/ks-no/digihjelpen/ticket/notify"
)

// How the notification job paces itself. A commit that queues a notification wakes it; it
// then waits until no more come for notifyQuiet (at most notifyLongest after the first), so a
// burst (an import, a bulk change, a batch of mail) is planned as one and each recipient gets
// one mail. Every notifyTick it also looks for first responses due within the hour and sends
// the daily digests whose hour has come.
const (
	notifyQuiet   = 2 * time.Second
	notifyLongest = 30 * time.Second
	notifyTick    = time.Minute
)

// notifier is the notification job.
type notifier struct {
	svc     *data.NotifyService
	planner *notify.Planner
	log     *slog.Logger
	wake    chan struct{}
	quiet   time.Duration
	longest time.Duration
	tick    time.Duration
}

func newNotifier(a *app, log *slog.Logger) *notifier {
	return &notifier{svc: data.NewNotifyService(a.db), planner: a.notifyPlanner(), log: log,
		wake: make(chan struct{}, 1), quiet: notifyQuiet, longest: notifyLongest, tick: notifyTick}
}

// notifyPlanner is the planner of notifications and webhook posts for this configuration.
func (a *app) notifyPlanner() *notify.Planner {
	return &notify.Planner{BaseURL: a.cfg.Server.BaseURL, Domain: a.composer.Domain(), Agencies: a.agencies}
}

// addNotifications adds the notification job, and the webhook sender that posts what it
// queues for teams, to jobs. Every commit that queues a notification wakes the job
// (DB.NotifyQueued, set here before any job starts); webhook posts are woken with mail.
func addNotifications(jobs *jobRunner, a *app, log *slog.Logger) error {
	n := newNotifier(a, log.With("component", "notify"))
	a.db.NotifyQueued = n.Wake
	hooks := &mailbridge.WebhookSender{Outbox: data.NewWebhookService(a.db), Logger: log.With("component", "webhook")}
	if err := hooks.Open(); err != nil {
		return err
	}
	mailWake := a.db.MailQueued
	a.db.MailQueued = func() {
		if mailWake != nil {
			mailWake()
		}
		hooks.Wake()
	}
	jobs.Add("notifications", n.run)
	jobs.Add("webhooks", hooks.Run)
	return nil
}

// Wake tells the job that notifications were queued; it never blocks.
func (n *notifier) Wake() {
	select {
	case n.wake <- struct{}{}:
	default:
	}
}

func (n *notifier) run(ctx context.Context) error {
	n.drain(ctx) // what an import or the last run left
	n.periodic(ctx)
	ticker := time.NewTicker(n.tick)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-n.wake:
			if n.settle(ctx) {
				n.drain(ctx)
			}
		case <-ticker.C:
			n.periodic(ctx)
		}
	}
}

// settle waits until the burst is over: quiet without a wake, or longest since it began. It
// reports false when ctx ended.
func (n *notifier) settle(ctx context.Context) bool {
	limit := time.NewTimer(n.longest)
	defer limit.Stop()
	for {
		quiet := time.NewTimer(n.quiet)
		select {
		case <-ctx.Done():
			quiet.Stop()
			return false
		case <-limit.C:
			quiet.Stop()
			return true
		case <-quiet.C:
			return true
		case <-n.wake:
			quiet.Stop()
		}
	}
}

// drain plans everything queued, batch by batch.
func (n *notifier) drain(ctx context.Context) {
	for ctx.Err() == nil {
		got, err := n.svc.DrainNotifications(ctx, n.planner.Plan)
		if err != nil {
			if ctx.Err() == nil {
				n.log.Error("plan notifications", "err", err)
			}
			return
		}
		if got > 0 {
			n.log.Info("notifications planned", "events", got)
		}
		if got < data.MaxNotifyBatch {
			return
		}
	}
}

// periodic warns of first responses due soon (their events go through the queue like any
// other) and sends the digests whose hour has come.
func (n *notifier) periodic(ctx context.Context) {
	if warned, err := n.svc.WarnDueSoon(ctx); err != nil {
		if ctx.Err() == nil {
			n.log.Error("warn of first responses due", "err", err)
		}
	} else if warned > 0 {
		n.log.Info("first responses due within the hour", "tickets", warned)
		n.drain(ctx)
	}
	if sent, err := n.svc.SendDigests(ctx, n.planner.Digest); err != nil {
		if ctx.Err() == nil {
			n.log.Error("send daily digests", "err", err)
		}
	} else if sent > 0 {
		n.log.Info("daily digests queued", "digests", sent)
	}
}
