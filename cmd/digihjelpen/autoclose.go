package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

// autoCloseEvery is how often resolved tickets are looked at. The time is counted in days, so
// an hour late is nothing; the first run is at once, so a server that was down catches up.
const autoCloseEvery = time.Hour

// addAutoClose adds the closing of resolved tickets to jobs: «løst» becomes «lukket» after
// tickets.close_resolved_after without a word from the requester. 0 turns it off.
func addAutoClose(jobs *jobRunner, a *app, log *slog.Logger, every time.Duration) {
	after := time.Duration(a.cfg.Tickets.CloseResolvedAfter)
	if after <= 0 {
		log.Info("auto-close off: resolved tickets stay resolved (tickets.close_resolved_after)")
		return
	}
	jobs.Add("auto-close", func(ctx context.Context) error {
		autoCloseLoop(ctx, a.tickets, after, every, time.Now, log)
		return nil
	})
}

// autoCloseLoop closes tickets resolved longer than after, at once and then every every,
// until ctx ends. A failed run is logged and tried again at the next tick.
func autoCloseLoop(ctx context.Context, closer ticket.TicketCloser, after, every time.Duration, now func() time.Time, log *slog.Logger) {
	ticker := time.NewTicker(every)
	defer ticker.Stop()
	reason := ticket.AutoCloseReason(after)
	ctx = ticket.NewContextWithActor(ctx, ticket.Actor{Name: "system"})
	for {
		n, err := closer.CloseResolvedBefore(ctx, now().Add(-after), reason)
		switch {
		case err != nil && ctx.Err() == nil:
			log.Error("auto-close run failed", "err", err, "closed", n)
		case n > 0:
			log.Info("resolved tickets closed", "closed", n, "after", after)
		}
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}
