package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/ks-no/digihjelpen/routing"
	"github.com/ks-no/digihjelpen/ticket"
)

// learnCheckInterval is how often the learner asks whether staff changed a label (moved or
// resolved a ticket) or an administrator saved rules. Asking costs one read of a counter;
// training runs only when something changed.
const learnCheckInterval = time.Minute

// learnPace keeps training to a tenth of one core however large the store: after a training
// that took d, the next waits at least learnPace·d.
const learnPace = 10

// addRoutingLearner adds the job that trains the routing model at start and again whenever
// staff's choices or the rules changed. Intake and the form never wait for it: they route with
// the last model trained, swapped in whole. With routing.learn = "off" there is no such job.
func addRoutingLearner(jobs *jobRunner, a *app, log *slog.Logger) {
	if ticket.LearnMode(a.cfg.Routing.Learn) == ticket.LearnOff {
		return
	}
	jobs.Add("routing-learner", func(ctx context.Context) error {
		runLearner(ctx, a.rules, log, learnCheckInterval)
		return nil
	})
}

func runLearner(ctx context.Context, r *routing.Admin, log *slog.Logger, interval time.Duration) {
	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	var next time.Time
	for {
		if start := time.Now(); !start.Before(next) {
			learnOnce(ctx, r, log)
			next = start.Add(learnPace * time.Since(start))
		}
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}

// learnOnce retrains when there is something new and logs the held-out figures (counts only:
// no personal data).
func learnOnce(ctx context.Context, r *routing.Admin, log *slog.Logger) {
	trained, err := r.Retrain(ctx)
	switch {
	case err != nil && ctx.Err() == nil:
		log.Error("train routing model", "err", err)
	case trained:
		st := r.ModelStatus()
		log.Info("routing model trained", "labels", st.Labels, "moved", st.Moved, "seed", st.Seed, "held_out", st.HeldOut,
			"rules_right", st.RulesRight, "model_right", st.ModelRight, "both_right", st.BothRight,
			"ready", st.Ready, "took", st.Took.Round(time.Millisecond))
	}
}
