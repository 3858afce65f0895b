package main

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// reminderInterval is how often the server looks for referrals the agency has not answered in
// time. Reminders are counted in days, so a few minutes' delay does not matter.
const reminderInterval = 10 * time.Minute

// startReferralReminders flags overdue referrals now and then every interval, until ctx ends.
// The returned function waits for the loop to stop. With routing.referral_reminder_after = 0s
// it does nothing.
func startReferralReminders(ctx context.Context, a *app, log *slog.Logger, interval time.Duration) (wait func()) {
	after := time.Duration(a.cfg.Routing.ReferralReminderAfter)
	if after <= 0 {
		return func() {}
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		ticker := time.NewTicker(interval)
		defer ticker.Stop()
		for {
			remindOnce(ctx, a, log, after)
			select {
			case <-ctx.Done():
				return
			case <-ticker.C:
			}
		}
	}()
	return wg.Wait
}

// remindOnce flags the referrals that became overdue since the last run and logs each (by
// ticket reference and agency only: no personal data in logs).
func remindOnce(ctx context.Context, a *app, log *slog.Logger, after time.Duration) {
	marked, err := a.tickets.MarkOverdueReferrals(ctx, after)
	if err != nil {
		if ctx.Err() == nil {
			log.Error("mark overdue referrals", "err", err)
		}
		return
	}
	if len(marked) > maxLoggedReminders { // the first run on an old database: one line, not thousands
		log.Info("referrals overdue", "count", len(marked))
		return
	}
	for _, o := range marked {
		log.Info("referral overdue", "ticket", o.Ref.String(), "agency", o.Referral.Agency, "sent_at", o.Referral.SentAt)
	}
}

// maxLoggedReminders is how many overdue referrals one run logs one by one.
const maxLoggedReminders = 20
