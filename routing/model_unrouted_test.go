package routing_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/ks-no/digihjelpen/routing"
	"github.com/ks-no/digihjelpen/routing/learn"
)

// unroutedThresholds are the thresholds TestUnroutedThresholdGrid tries where the rules chose
// nothing (or little), the threshold for overruling a rule staying at the default.
var unroutedThresholds = []float64{0.5, 0.7, 0.8, 0.9, 0.93, 0.95, 0.97, 0.98, 0.99}

// unroutedCell counts, for one setting, the questions routed right, those the rules had right
// that the model moved wrongly (and of them, KS's questions sent away from KS), and those the
// rules had wrong that the model put right.
type unroutedCell struct{ right, broke, awayKS, fixed int }

// TestUnroutedThresholdGrid chose the model's threshold where no rule chose an agency
// (routing's unroutedThreshold and unroutedUpTo), by leaving one seed file out (the main figure)
// and by ten-fold cross-validation: for the grips up to no rule, the quoted history and the
// form's topic, and each threshold, how many questions the rules with the model route right, how
// many the rules had right that the model moved wrongly (of them sent away from KS), and how
// many it put right. Set DIGIHJELPEN_TUNE=1 to run it.
func TestUnroutedThresholdGrid(t *testing.T) {
	if os.Getenv("DIGIHJELPEN_TUNE") == "" {
		t.Skip("set DIGIHJELPEN_TUNE=1 to compare the model's threshold where no rule chose")
	}
	rs := defaultRules(t)
	files := make([][]labelled, len(tuningFiles))
	var all []labelled
	for i, f := range tuningFiles {
		files[i] = loadLabelled(t, f)
		all = append(all, files[i]...)
	}
	upTos := []int{0, 1, 2}
	type setting struct {
		upTo int
		th   float64
	}
	var settings []setting
	for _, g := range upTos {
		for _, th := range unroutedThresholds {
			settings = append(settings, setting{g, th})
		}
	}
	// score routes the questions of one fold with the model m trained without them, in every
	// setting, adding to cells (and to perFile[k] when given).
	score := func(qs []labelled, m *routing.Model, cells []unroutedCell, perFile []int) {
		for _, q := range qs {
			tk, msg := mailTicket(q.From, q.Subject, q.Body)
			rules := rs.Route(tk, msg).Agency
			for k, st := range settings {
				restore := routing.SetUnroutedThreshold(st.th, st.upTo)
				got := rs.RouteWithModel(tk, msg, m, defaultThreshold).Agency
				restore()
				c := &cells[k]
				switch {
				case got == q.Agency:
					c.right++
					if perFile != nil {
						perFile[k]++
					}
					if rules != q.Agency {
						c.fixed++
					}
				case rules == q.Agency:
					c.broke++
					if q.Agency == "ks" {
						c.awayKS++
					}
				}
			}
		}
	}
	lofo := make([]unroutedCell, len(settings))
	lofoFile := make([][]int, len(tuningFiles))
	for i := range tuningFiles {
		var train []labelled
		for j, qs := range files {
			if j != i {
				train = append(train, qs...)
			}
		}
		lofoFile[i] = make([]int, len(settings))
		score(files[i], trainOn(t, examplesOf(train, 1), learn.Options{}), lofo, lofoFile[i])
	}
	cv := make([]unroutedCell, len(settings))
	for fold := 0; fold < 10; fold++ {
		var train, test []labelled
		for i, q := range all {
			if i%10 == fold {
				test = append(test, q)
			} else {
				train = append(train, q)
			}
		}
		score(test, trainOn(t, examplesOf(train, 1), learn.Options{}), cv, nil)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d questions; the threshold for overruling a rule stays %.2f. right (moved wrongly, of them away from KS; put right)\n", len(all), defaultThreshold)
	b.WriteString("up to       threshold | leave one file out            | per file                          | ten-fold\n")
	for k, st := range settings {
		l, c := lofo[k], cv[k]
		fmt.Fprintf(&b, "%-11s %.2f      | %4d (%2d, %2d; %2d) |", routing.Grips[st.upTo], st.th, l.right, l.broke, l.awayKS, l.fixed)
		for i := range tuningFiles {
			fmt.Fprintf(&b, " %3d", lofoFile[i][k])
		}
		fmt.Fprintf(&b, " | %4d (%2d, %2d; %2d)\n", c.right, c.broke, c.awayKS, c.fixed)
	}
	t.Log("\n" + b.String())
}
