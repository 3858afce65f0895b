package routing_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/ks-no/digihjelpen/routing"
	"github.com/ks-no/digihjelpen/routing/learn"
	"github.com/ks-no/digihjelpen/ticket"
)

// TestSeedCorpus: the seed built into the program is every tuning question.
func TestSeedCorpus(t *testing.T) {
	seed, err := routing.SeedExamples()
	if err != nil {
		t.Fatal(err)
	}
	if want := len(loadTuning(t)); len(seed) != want {
		t.Fatalf("%d seed questions, want the %d tuning questions", len(seed), want)
	}
	for _, ex := range seed {
		if !slices.Contains(routing.DefaultAgencies().Keys(), ex.Agency) || ex.First == nil {
			t.Fatalf("seed example %+v", ex)
		}
	}
}

// TestSeedReadyWithoutLabels: with the seed, the model is ready and routes before staff have
// labelled any ticket; without it, it waits for labels.
func TestSeedReadyWithoutLabels(t *testing.T) {
	for _, seed := range []bool{true, false} {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			a, _ := learningAdmin(t, ticket.LearnRoute, 0)
			a.Seed = seed
			trained, err := a.Retrain(staff)
			if err != nil || trained != seed {
				t.Fatalf("trained %v (%v), want %v", trained, err, seed)
			}
			st := a.ModelStatus()
			tk, m := lostJob()
			d := a.Route(tk, m)
			if !seed {
				if st.Ready || d.Routing.Rule != routing.RuleDefault {
					t.Errorf("without seed or labels: status %+v, routed by %q", st, d.Routing.Rule)
				}
				return
			}
			if !st.Ready || st.Labels != 0 || st.Seed < 950 || st.HeldOut != 0 {
				t.Errorf("status %+v: want ready on the seed alone, nothing held out", st)
			}
			if d.Agency != "nav" || d.Routing.Rule != ticket.RuleModel {
				t.Errorf("routed to %s by %q (%s), want nav by the model", d.Agency, d.Routing.Rule, d.Routing.Reason)
			}
			if again, err := a.Retrain(staff); again || err != nil {
				t.Errorf("trained again with nothing new: %v, %v", again, err)
			}
		})
	}
}

// TestStaffLabelOverridesSeed: a staff label of a seed question's text replaces it.
func TestStaffLabelOverridesSeed(t *testing.T) {
	seed := examplesOf(loadLabelled(t, tuningFile), 1)
	tk, m := lostJob()
	seed = append(seed, routing.Example{Ticket: tk, First: m, Agency: "skatteetaten"})
	staffTk, staffM := lostJob()
	staffTk.ID = 100000
	staffLabels := []routing.Example{{Ticket: staffTk, First: staffM, Agency: "nav", Moved: true}}
	opt := routing.TrainOptions{Agencies: routing.DefaultAgencies().Keys(), Seed: seed}
	model, err := routing.Train(context.Background(), eachExample(staffLabels), opt)
	if err != nil {
		t.Fatal(err)
	}
	if st := model.Status(); st.Seed != len(seed)-1 || st.Labels != 1 {
		t.Errorf("trained on %d seed questions and %d labels, want %d and 1", st.Seed, st.Labels, len(seed)-1)
	}
	if s, ok := model.Suggest(tk, m); !ok || s.Agency != "nav" {
		t.Errorf("suggests %+v, want staff's nav", s)
	}
}

// TestStaffWeightGrid chose how much more a staff label counts than a seed question
// (routing's staffWeight): the first round's and second round's questions (647) play the seed,
// the two former blind sets (written apart, as staff's tickets are) play staff's labels, and
// each tenth of those is predicted by a model trained on the seed and the other nine tenths.
// Set DIGIHJELPEN_TUNE=1 to run it.
func TestStaffWeightGrid(t *testing.T) {
	if os.Getenv("DIGIHJELPEN_TUNE") == "" {
		t.Skip("set DIGIHJELPEN_TUNE=1 to compare staff weights")
	}
	var seedQs, staffQs []labelled
	for _, f := range tuningFiles {
		if f == blindFile || f == blind3File {
			staffQs = append(staffQs, loadLabelled(t, f)...)
		} else {
			seedQs = append(seedQs, loadLabelled(t, f)...)
		}
	}
	seed := examplesOf(seedQs, 1)
	var b strings.Builder
	for _, w := range []uint32{1, 2, 3, 5} {
		right := 0
		for fold := 0; fold < 10; fold++ {
			train, test := foldOf(staffQs, fold)
			exs := examplesOf(train, 1)
			m, err := routing.Train(context.Background(), eachExample(exs), routing.TrainOptions{
				Agencies: routing.DefaultAgencies().Keys(), Seed: seed, StaffWeight: w, Learn: learn.Options{}})
			if err != nil {
				t.Fatal(err)
			}
			s := scoreRouter(test, routeWithModel(m))
			right += s.right
		}
		fmt.Fprintf(&b, "staff weight %d: %d of %d\n", w, right, len(staffQs))
	}
	t.Log("\n" + b.String())
}
