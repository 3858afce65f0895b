package main

import (
	"context"
	"log/slog"
	"time"
)

// reminderInterval is how often the server looks for referrals the agency has not answered in
// time. Reminders are counted in days, so a few minutes' delay does not matter.
const reminderInterval = 10 * time.Minute

// addReferralReminders adds to jobs the loop that flags overdue referrals at once and then
// every interval. With routing.referral_reminder_after = 0s there is no such job.
func addReferralReminders(jobs *jobRunner, a *app, log *slog.Logger, interval time.Duration) {
	after := time.Duration(a.cfg.Routing.ReferralReminderAfter)
	if after <= 0 {
		return
	}
	jobs.Add("referral-reminders", func(ctx context.Context) error {
		ticker := time.NewTicker(interval)
		defer ticker.Stop()
		for {
			remindOnce(ctx, a, log, after)
			select {
			case <-ctx.Done():
				return nil
			case <-ticker.C:
			}
		}
	})
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
