package routing_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/ks-no/digihjelpen/routing"
	"github.com/ks-no/digihjelpen/routing/learn"
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
	b.WriteString("setting: 10-fold model, both at 0.95/0.98/0.99/0.995/0.999; right of so sure from 0.9, 0.99 | one file out model (per file), both at the same; right from 0.9, 0.99\n")
	for _, st := range settings {
		discriminative = st
		if st == nil {
			b.WriteString("naive Bayes:")
		} else {
			fmt.Fprintf(&b, "%+v:", *st)
		}
		for i, th := range gridThresholds {
			m, both := crossValidate(t, qs, learn.Options{}, th)
			if i == 0 {
				fmt.Fprintf(&b, " %d,", m.right)
			}
			fmt.Fprintf(&b, " %d", both.right)
		}
		fmt.Fprintf(&b, "; %s |", calibration(t, qs, false))
		for i, th := range gridThresholds {
			_, model, both := leaveOneFileOut(t, learn.Options{}, th)
			if i == 0 {
				fmt.Fprintf(&b, " %d (", sumScores(model).right)
				for _, s := range model {
					fmt.Fprintf(&b, " %d", s.right)
				}
				b.WriteString("),")
			}
			fmt.Fprintf(&b, " %d", sumScores(both).right)
		}
		fmt.Fprintf(&b, "; %s\n", calibration(t, qs, true))
	}
	t.Log("\n" + b.String())
}

// calibration says how often the model is right when it is at least 0.9 and 0.99 sure, ten-fold
// or leaving one seed file out.
func calibration(t *testing.T, qs []labelled, byFile bool) string {
	var splits [][2][]labelled
	if byFile {
		files := make([][]labelled, len(tuningFiles))
		for i, f := range tuningFiles {
			files[i] = loadLabelled(t, f)
		}
		for i := range files {
			var train []labelled
			for j, f := range files {
				if j != i {
					train = append(train, f...)
				}
			}
			splits = append(splits, [2][]labelled{train, files[i]})
		}
	} else {
		for fold := 0; fold < 10; fold++ {
			train, test := foldOf(qs, fold)
			splits = append(splits, [2][]labelled{train, test})
		}
	}
	ths := []float64{0.9, 0.99}
	n, right := make([]int, len(ths)), make([]int, len(ths))
	for _, sp := range splits {
		m := trainOn(t, examplesOf(sp[0], 1), learn.Options{})
		for _, q := range sp[1] {
			tk, msg := mailTicket(q.From, q.Subject, q.Body)
			s, ok := m.Suggest(tk, msg)
			for i, th := range ths {
				if ok && s.Confidence >= th {
					n[i]++
					if s.Agency == q.Agency {
						right[i]++
					}
				}
			}
		}
	}
	return fmt.Sprintf("%d of %d, %d of %d", right[0], n[0], right[1], n[1])
}
