package routing_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"testing"

	"github.com/ks-no/digihjelpen/routing"
)

// blind4File is the fourth blind set, written apart from the rules, the model and the other
// question sets after the third was spent. It is measured once, by TestBlindSet4, and never
// tuned on; until it is added, the test skips.
const blind4File = "testdata/labelled_blind4.toml"

// TestBlindSet4 measures the default rules, the model trained on every tuning question (the
// seed corpus, as it is at go-live) and both as Route combines them, on the fourth blind set.
// It logs totals and confusion tables only, never the questions missed, and holds no floors
// until it has been measured.
func TestBlindSet4(t *testing.T) {
	if _, err := os.Stat(blind4File); errors.Is(err, fs.ErrNotExist) {
		t.Skip(blind4File + " is not there yet")
	}
	measureBlind(t, "the fourth blind set", blind4File, 100, 0, 0, 0)
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
	t.Logf("default rules on %s:\n%s", name, rules.table())
	t.Logf("model alone on %s:\n%s", name, model.table())
	t.Logf("default rules, then the model where they were weak, from %.0f %%, on %s:\n%s", 100*defaultThreshold, name, both.table())
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
