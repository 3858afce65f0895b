package routing_test

import (
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/routing"
	"github.com/ks-no/digihjelpen/ticket"
)

// TestReplayComparesWithStaff: the dry-run tells how the candidate rules and the model agree
// with the agencies staff chose, and lists the tickets where they do not.
func TestReplayComparesWithStaff(t *testing.T) {
	a, _ := learningAdmin(t, ticket.LearnSuggest, 221)
	if _, err := a.Retrain(staff); err != nil {
		t.Fatal(err)
	}
	everythingToNAV := "[[rules]]\nname = \"Alt til NAV\"\nagency = \"nav\"\n"
	nav := 0
	for _, q := range loadLabelled(t, tuningFile) {
		if q.Agency == "nav" {
			nav++
		}
	}
	tests := []struct {
		name       string
		rules      string
		rulesRight func(int) bool
	}{
		{"the default rules", string(routing.DefaultRulesText), func(n int) bool { return n >= 215 }},
		{"rules that send everything to NAV", everythingToNAV, func(n int) bool { return n == nav }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := a.TryRules(staff, tt.rules, time.Time{})
			if err != nil {
				t.Fatal(err)
			}
			st := r.Staff
			if st.Decided != 221 || !tt.rulesRight(st.RulesRight) || !st.Model || st.ModelRight < 180 {
				t.Fatalf("decided %d, rules right %d, model %v right %d", st.Decided, st.RulesRight, st.Model, st.ModelRight)
			}
			if st.DisagreeCount < st.Decided-st.RulesRight || len(st.Disagreements) != min(st.DisagreeCount, 200) {
				t.Errorf("%d disagreements, %d listed; rules wrong on %d", st.DisagreeCount, len(st.Disagreements), st.Decided-st.RulesRight)
			}
			for _, d := range st.Disagreements {
				if d.Ref.String() == "" || d.Staff == "" || d.Rules == "" || (d.Rules == d.Staff && d.Model == d.Staff) {
					t.Fatalf("listed without a disagreement: %+v", d)
				}
				if d.Model != "" && (d.Confidence <= 0 || d.Confidence > 1) {
					t.Errorf("%s: confidence %v", d.Ref, d.Confidence)
				}
			}
		})
	}
}
