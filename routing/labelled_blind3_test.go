package routing_test

import (
	"testing"

	"github.com/ks-no/digihjelpen/routing/learn"
)

// blind3File is the third blind set: written on 2 December 2026 by a helper who had seen neither
// the rules, the routing code, the model, docs/ROUTING.md nor the other question sets, after the
// second blind set was spent. Measured once, as written; never tuned on.
const blind3File = "testdata/labelled_blind3.toml"

// TestBlindSet3 measures rules, model and both on the third blind set, like TestBlindSet, and
// holds the shares at what the first measurement gave (docs/ROUTING.md).
func TestBlindSet3(t *testing.T) {
	qs := loadLabelled(t, blind3File)
	if len(qs) < 150 {
		t.Fatalf("the third blind set has %d questions, want at least 150", len(qs))
	}
	m := trainOn(t, examplesOf(loadTuning(t), 1), learn.Options{})
	rules := scoreRouter(qs, routeWithRules(defaultRules(t)))
	model := scoreRouter(qs, routeWithModel(m))
	both := scoreRouter(qs, routeWithBoth(defaultRules(t), m, defaultThreshold))
	t.Logf("default rules on the third blind set:\n%s", rules.table())
	t.Logf("model alone on the third blind set:\n%s", model.table())
	t.Logf("default rules, then the model from %.0f %%, on the third blind set:\n%s", 100*defaultThreshold, both.table())
	for _, c := range []struct {
		what string
		s    score
		min  float64
	}{{"rules", rules, minBlind3Rules}, {"model", model, minBlind3Model}, {"rules and model", both, minBlind3Both}} {
		if c.s.share() < c.min {
			t.Errorf("%s: got %.1f %% right, want at least %.0f %%", c.what, 100*c.s.share(), 100*c.min)
		}
	}
}

// The shares the third blind set must keep, just below its first and only measurement
// (2 December 2026, main at 61af316: rules 115 of 155, 74.2 %; model 130, 83.9 %; both 123,
// 79.4 %): a change that makes routing worse on it fails. Raising them is for a change not
// chosen by looking at these questions.
const (
	minBlind3Rules = 0.74
	minBlind3Model = 0.83
	minBlind3Both  = 0.79
)
