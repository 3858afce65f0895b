package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

// The anonymiser runs a while after start (so a restart loop does not hammer the file) and
// then once a day.
const (
	retentionFirstRun = time.Minute
	retentionEvery    = 24 * time.Hour
)

// addRetention adds the daily anonymisation of closed tickets to jobs when [retention]
// anonymise_after is set.
func addRetention(jobs *jobRunner, a *app, log *slog.Logger) {
	after := time.Duration(a.cfg.Retention.AnonymiseAfter)
	if after <= 0 {
		log.Info("retention off: personal data in closed tickets is kept (retention.anonymise_after)")
		return
	}
	jobs.Add("retention", func(ctx context.Context) error {
		retentionLoop(ctx, a.retention, after, retentionFirstRun, retentionEvery, time.Now, log)
		return nil
	})
}

// retentionLoop anonymises tickets closed longer than after, first after first and then every
// every, until ctx ends. A failed run is logged and tried again at the next tick.
func retentionLoop(ctx context.Context, svc ticket.RetentionService, after, first, every time.Duration, now func() time.Time, log *slog.Logger) {
	timer := time.NewTimer(first)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		}
		run, err := svc.AnonymiseClosedBefore(ctx, now().Add(-after))
		if err != nil {
			log.Error("retention run failed", "err", err)
		} else {
			log.Info("retention run", "anonymised", run.Anonymised, "total", run.Total, "cutoff", run.Cutoff)
		}
		timer.Reset(every)
	}
}
