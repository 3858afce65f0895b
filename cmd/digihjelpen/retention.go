package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

// The privacy job runs a while after start (so a restart loop does not hammer the file) and
// then once a day.
const (
	retentionFirstRun = time.Minute
	retentionEvery    = 24 * time.Hour
)

// privacyJob is what the daily job does: anonymise the closed tickets the retention setting in
// force says (an admin's on /admin/oppbevaring, else [retention] anonymise_after), prune the
// audit log to audit.keep, and overwrite the pages of the file that writes since the last run
// freed (deleted tickets, discarded quarantine), so forgotten data leaves the bytes too.
type privacyJob struct {
	retention ticket.RetentionService
	audit     ticket.AuditService
	keep      time.Duration
	scrub     func(ctx context.Context) (int64, error)
	// sweep deletes what intake stored ahead of a mail that was never stored (a crash between).
	sweep func(ctx context.Context) (int, error)
}

// addRetention adds the daily privacy job to jobs.
func addRetention(jobs *jobRunner, a *app, log *slog.Logger) {
	job := privacyJob{retention: a.retention, audit: a.audit, keep: time.Duration(a.cfg.Audit.Keep), scrub: a.db.ScrubFreePages, sweep: a.db.SweepStoredAhead}
	jobs.Add("retention", func(ctx context.Context) error {
		retentionLoop(ctx, job, retentionFirstRun, retentionEvery, time.Now, log)
		return nil
	})
}

// retentionLoop runs job first after first and then every every, until ctx ends. A failed
// step is logged and tried again at the next tick.
func retentionLoop(ctx context.Context, job privacyJob, first, every time.Duration, now func() time.Time, log *slog.Logger) {
	timer := time.NewTimer(first)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		}
		job.run(ctx, now(), log)
		timer.Reset(every)
	}
}

func (job privacyJob) run(ctx context.Context, now time.Time, log *slog.Logger) {
	set, err := job.retention.RetentionSetting(ctx)
	if err != nil {
		log.Error("retention setting", "err", err)
		return
	}
	scrubbed := false // the run overwrote the freed pages itself
	if !set.Enabled() {
		log.Info("retention off: personal data in closed tickets is kept (/admin/oppbevaring, retention.anonymise_after)")
	} else if run, err := job.retention.AnonymiseClosedBefore(ctx, now.Add(-set.After)); err != nil {
		log.Error("retention run failed", "err", err)
	} else {
		scrubbed = run.Overwritten > 0
		log.Info("retention run", "anonymised", run.Anonymised, "total", run.Total, "cutoff", run.Cutoff, "overwritten_bytes", run.Overwritten)
	}
	if n, err := job.audit.PruneAudit(ctx, now.Add(-job.keep)); err != nil {
		log.Error("audit log pruning failed", "err", err)
	} else if n > 0 {
		log.Info("audit log pruned", "events", n, "keep", job.keep)
	}
	if job.sweep != nil {
		if n, err := job.sweep(ctx); err != nil {
			log.Error("sweep of files stored ahead failed", "err", err)
		} else if n > 0 {
			log.Info("files stored ahead of mail never stored deleted", "values", n)
			scrubbed = false // their pages are freed now
		}
	}
	if !scrubbed {
		if n, err := job.scrub(ctx); err != nil {
			log.Warn("freed pages not overwritten; tried again tomorrow", "err", err)
		} else {
			log.Info("freed pages overwritten", "bytes", n)
		}
	}
}
