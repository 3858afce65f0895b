package routing_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"testing"

	"github.com/ks-no/digihjelpen/routing"
)

// blind7File is the seventh blind set, written apart from the rules, the model and the other
// question sets after the sixth was spent (the sixth, measured once, is tuning and seed now:
// seed/labelled_blind6.toml). It is only measured, never tuned on, and never added to the seed
// while it is blind.
const blind7File = "testdata/labelled_blind7.toml"

// TestBlindSet7 measures the default rules, the model trained on every tuning question (the
// seed corpus, as it is at go-live) and both as Route combines them, on the seventh blind set. It
// logs totals and confusion tables only, never the questions missed, and holds no floors until
// it has been measured: a floor set before would be chosen without its figures. It is skipped
// while the set does not exist.
func TestBlindSet7(t *testing.T) {
	if _, err := os.Stat(blind7File); errors.Is(err, fs.ErrNotExist) {
		t.Skipf("%s does not exist yet", blind7File)
	}
	measureBlind(t, "the seventh blind set", blind7File, 1, 0, 0, 0)
}

// measureBlind scores the default rules, the model trained on the seed (every tuning question), and both
// as Route combines them (at the default threshold), on the questions of file (at least want
// of them), logs the three tables and fails where a share falls below its minimum (0: none).
// It never logs the questions missed, so that nobody tunes on them by accident.
func measureBlind(t *testing.T, name, file string, want int, minRules, minModel, minBoth float64) {
	t.Helper()
	qs := loadLabelled(t, file)
	if len(qs) < want {
		t.Fatalf("%s: %d questions, want at least %d", name, len(qs), want)
	}
	seed, err := routing.SeedExamples()
	if err != nil {
		t.Fatal(err)
	}
	// The model as the server trains it at go-live: on the seed, with no staff labels yet.
	m, err := routing.Train(context.Background(), eachExample(nil), routing.TrainOptions{
		Agencies: routing.DefaultAgencies().Keys(), Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	rules := scoreRouter(qs, routeWithRules(defaultRules(t)))
	model := scoreRouter(qs, routeWithModel(m))
	both := scoreRouter(qs, routeWithBoth(defaultRules(t), m, defaultThreshold))
	t.Logf("default rules on %s: %d of %d (%.1f %%)\n%s", name, rules.right, rules.total, 100*rules.share(), rules.table())
	t.Logf("model alone on %s: %d of %d (%.1f %%)\n%s", name, model.right, model.total, 100*model.share(), model.table())
	t.Logf("default rules, then the model where they were weak, from %.0f %%, on %s: %d of %d (%.1f %%)\n%s",
		100*defaultThreshold, name, both.right, both.total, 100*both.share(), both.table())
	for _, c := range []struct {
		what string
		s    score
		min  float64
	}{{"rules", rules, minRules}, {"model", model, minModel}, {"rules and model", both, minBoth}} {
		if c.s.share() < c.min {
			t.Errorf("%s: got %.1f %% right, want at least %.0f %%", c.what, 100*c.s.share(), 100*c.min)
		}
	}
}
