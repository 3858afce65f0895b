package routing_test

import "testing"

// blind3File is the third blind set: written on 2 December 2026 by a helper who had seen neither
// the rules, the routing code, the model, docs/ROUTING.md nor the other question sets, after the
// second blind set was spent. Measured once, as written; never tuned on.
const blind3File = "testdata/labelled_blind3.toml"

// TestBlindSet3 measures rules, model and both on the third blind set, like TestBlindSet, and
// holds the shares at what the first measurement gave (docs/ROUTING.md).
func TestBlindSet3(t *testing.T) {
	measureBlind(t, "the third blind set", blind3File, 150, minBlind3Rules, minBlind3Model, minBlind3Both)
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
