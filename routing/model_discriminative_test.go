package routing_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/ks-no/digihjelpen/routing"
)

// TestModelDiscriminativeGrid compares, leaving one seed file out and ten-fold, naive Bayes with
// a multinomial logistic regression trained on the same features (Adagrad, L2, a fixed order)
// and with a log-linear mix of the two: the model alone, the rules with the model at the
// thresholds of gridThresholds, and how often the model is right from 0.9 and 0.99 sure. Set
// DIGIHJELPEN_TUNE=1 to run it.
func TestModelDiscriminativeGrid(t *testing.T) {
	if os.Getenv("DIGIHJELPEN_TUNE") == "" {
		t.Skip("set DIGIHJELPEN_TUNE=1 to compare discriminative models on the tuning questions")
	}
	qs := loadTuning(t)
	settings := []*routing.DiscOptions{nil}
	for _, spec := range strings.Split(os.Getenv("DIGIHJELPEN_DISC"), ";") {
		var o routing.DiscOptions
		if _, err := fmt.Sscanf(spec, "%d %g %g %g %g %g %t", &o.Epochs, &o.Rate, &o.L2, &o.GramValue, &o.Mix, &o.Temperature, &o.Average); err == nil {
			settings = append(settings, &o)
		}
	}
	defer func() { discriminative = nil }()
	var b strings.Builder
	b.WriteString("setting: 10-fold model, both at 0.95/0.98/0.99/0.995/0.999 | one file out model (per file), both at the same; right of so sure from 0.9, 0.99: 10-fold; one file out\n")
	for _, st := range settings {
		discriminative = st
		if st == nil {
			b.WriteString("naive Bayes:")
		} else {
			fmt.Fprintf(&b, "%+v:", *st)
		}
		fmt.Fprintf(&b, "%s; %s; %s\n", gridRow(t, qs), calibration(t, qs, false), calibration(t, qs, true))
	}
	t.Log("\n" + b.String())
}

// calibration says how often the model is right when it is at least 0.9 and 0.99 sure, ten-fold
// or leaving one seed file out.
func calibration(t *testing.T, qs []labelled, byFile bool) string {
	splits := foldSplits(qs)
	if byFile {
		splits = fileSplits(t)
	}
	n, right := rightFrom(t, splits, []float64{0.9, 0.99})
	return fmt.Sprintf("%d of %d, %d of %d", right[0], n[0], right[1], n[1])
}
