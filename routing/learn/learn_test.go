package learn_test

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/ks-no/digihjelpen/routing/learn"
)

var classes = []string{"ks", "nav", "skatt"}

// examples are short texts already reduced to terms, as routing gives them.
var examples = []struct {
	class string
	text  string
}{
	{"nav", "meldekort send feil"},
	{"nav", "meldekort dagpeng"},
	{"nav", "dagpeng søknad nav"},
	{"nav", "sykepeng søknad"},
	{"skatt", "skattekort bestill"},
	{"skatt", "skattemelding lever fradrag"},
	{"skatt", "skattekort frikort"},
	{"ks", "håndbok digihjelp"},
	{"ks", "tilskudd søknad frist"},
	{"ks", "frivill forsikr"},
}

func counts(t *testing.T) *learn.Counts {
	t.Helper()
	c := learn.NewCounts(classes)
	for _, e := range examples {
		if !c.Add(e.class, strings.Fields(e.text)) {
			t.Fatalf("class %s refused", e.class)
		}
	}
	return c
}

func TestPredict(t *testing.T) {
	m := counts(t).Model(learn.Options{})
	tests := []struct {
		name  string
		text  string
		class string
		top   string // the term that must weigh most
	}{
		{"one strong word", "meldekort", "nav", "meldekort"},
		{"words of one class", "skattekort frikort hjelp", "skatt", "skattekort"},
		{"a shared word does not decide", "søknad håndbok", "ks", "håndbok"},
		{"repeated words count once", "dagpeng dagpeng dagpeng skattekort", "nav", "dagpeng"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, ok := m.Predict(strings.Fields(tt.text), 3)
			if !ok || p.Class != tt.class {
				t.Fatalf("got %+v, want %s", p, tt.class)
			}
			if len(p.Top) == 0 || p.Top[0].Term != tt.top {
				t.Errorf("top terms %+v, want %s first", p.Top, tt.top)
			}
			if p.Confidence <= 1.0/3 || p.Confidence > 1 {
				t.Errorf("confidence %v, want above a third", p.Confidence)
			}
		})
	}
}

func TestConfidenceGrowsWithEvidence(t *testing.T) {
	m := counts(t).Model(learn.Options{})
	one, _ := m.Predict([]string{"meldekort"}, 0)
	two, _ := m.Predict([]string{"meldekort", "dagpeng"}, 0)
	mixed, _ := m.Predict([]string{"meldekort", "skattekort"}, 0)
	if !(two.Confidence > one.Confidence && one.Confidence > mixed.Confidence) {
		t.Errorf("confidence: two nav words %v, one %v, mixed %v; want them in falling order", two.Confidence, one.Confidence, mixed.Confidence)
	}
	if two.Known != 2 || mixed.Known != 2 {
		t.Errorf("known %d and %d, want 2", two.Known, mixed.Known)
	}
}

func TestUnknownWords(t *testing.T) {
	m := counts(t).Model(learn.Options{})
	p, ok := m.Predict([]string{"zebra", "giraff"}, 3)
	if !ok || p.Known != 0 || len(p.Top) != 0 {
		t.Errorf("got %+v, want no known terms and no top terms", p)
	}
	if p.Class != "nav" {
		t.Errorf("with no known word the likeliest class is the most frequent one; got %s, want nav", p.Class)
	}
}

func TestMergeAddsUp(t *testing.T) {
	whole := counts(t)
	a, b := learn.NewCounts(classes), learn.NewCounts(classes)
	for i, e := range examples {
		part := a
		if i%2 == 1 {
			part = b
		}
		part.Add(e.class, strings.Fields(e.text))
	}
	a.Merge(b)
	if a.Examples() != whole.Examples() || a.Examples() != len(examples) {
		t.Fatalf("examples %d and %d, want %d", a.Examples(), whole.Examples(), len(examples))
	}
	samePredictions(t, whole, "from all counts", a, "from merged halves")
}

func TestMinClassExamples(t *testing.T) {
	c := counts(t)
	c.Add("ks", []string{"webinar"})
	m := c.Model(learn.Options{MinClassExamples: 4})
	if got := m.Classes(); !slices.Equal(got, []string{"ks", "nav"}) {
		t.Fatalf("classes %v, want ks and nav (skatt has 3 examples)", got)
	}
	if p, _ := m.Predict([]string{"skattekort"}, 1); p.Class == "skatt" {
		t.Errorf("a class left out was predicted: %+v", p)
	}
	if c.Add("ukjent", []string{"x"}) {
		t.Error("an unknown class was counted")
	}
	if got := c.PerClass(); got["ks"] != 4 || got["nav"] != 4 || got["skatt"] != 3 {
		t.Errorf("per class %v", got)
	}
}

func TestSmoothing(t *testing.T) {
	c := counts(t)
	// A word seen once: with little smoothing the model trusts it more.
	sure, _ := c.Model(learn.Options{Alpha: 0.1}).Predict([]string{"fradrag"}, 0)
	unsure, _ := c.Model(learn.Options{Alpha: 2}).Predict([]string{"fradrag"}, 0)
	if sure.Class != "skatt" || unsure.Class != "skatt" || sure.Confidence <= unsure.Confidence {
		t.Errorf("alpha 0.1: %+v, alpha 2: %+v; want skatt, surer with less smoothing", sure, unsure)
	}
}

// TestWeightCountsTwice: an example of weight 2 counts as the same example added twice.
func TestWeightCountsTwice(t *testing.T) {
	twice, weighted := learn.NewCounts(classes), learn.NewCounts(classes)
	for _, e := range examples {
		terms := strings.Fields(e.text + " " + e.text) // a repeated word still counts once
		if e.class == "nav" {
			twice.Add(e.class, terms)
			twice.Add(e.class, terms)
			weighted.AddWeighted(e.class, terms, 2)
			continue
		}
		twice.Add(e.class, terms)
		weighted.Add(e.class, terms)
	}
	if twice.Examples() != weighted.Examples() {
		t.Fatalf("examples %d and %d", twice.Examples(), weighted.Examples())
	}
	samePredictions(t, twice, "added twice", weighted, "weighted")
	if weighted.AddWeighted("nav", []string{"x"}, 0) {
		t.Error("an example of weight 0 was counted")
	}
}

// TestFamilyApart: the terms of a second family are smoothed apart, so adding them leaves the
// other terms' probabilities as they were, and FamilyScale weighs them.
func TestFamilyApart(t *testing.T) {
	plain, both := counts(t), learn.NewCounts(classes)
	for _, e := range examples {
		terms := strings.Fields(e.text)
		for _, w := range strings.Fields(e.text) {
			terms = append(terms, "g:"+w[:2], "g:"+w[len(w)-2:])
		}
		both.Add(e.class, terms)
	}
	opt := learn.Options{Family: "g:"}
	p1, _ := plain.Model(learn.Options{}).Predict([]string{"meldekort", "søknad"}, 0)
	p2, _ := both.Model(opt).Predict([]string{"meldekort", "søknad"}, 0)
	if p1.Class != p2.Class || math.Abs(p1.Confidence-p2.Confidence) > 1e-6 {
		t.Errorf("words alone %+v, with a family apart %+v: want the same", p1, p2)
	}
	full, _ := both.Model(opt).Predict([]string{"g:me", "g:rt"}, 1)
	opt.FamilyScale = 0.5
	half, _ := both.Model(opt).Predict([]string{"g:me", "g:rt"}, 1)
	if full.Class != "nav" || half.Class != "nav" || half.Confidence >= full.Confidence {
		t.Errorf("scale 1: %+v, scale 0.5: %+v; want nav, less sure at half weight", full, half)
	}
	if len(full.Top) != 1 || len(half.Top) != 1 || math.Abs(half.Top[0].Weight-full.Top[0].Weight/2) > 1e-6 {
		t.Errorf("top terms %+v and %+v: want the weight halved", full.Top, half.Top)
	}
}

// TestFromWeights: a model of linear scores predicts the class of the highest bias plus
// weights, with the softmax of the scores at its temperature as its confidence, and a naive
// Bayes model rebuilt from its own weights predicts as it does.
func TestFromWeights(t *testing.T) {
	w := map[string][]float32{"meldekort": {0, 2, 0}, "skattekort": {0, 0, 3}, "kurs": {1, 0, 0}}
	tests := []struct {
		terms []string
		temp  float64
		class string
		conf  float64
	}{
		{[]string{"meldekort"}, 1, "nav", math.Exp(2) / (math.Exp(0.5) + math.Exp(2) + 1)},
		{[]string{"meldekort"}, 2, "nav", math.Exp(1) / (math.Exp(0.25) + math.Exp(1) + 1)},
		{[]string{"meldekort", "skattekort"}, 1, "skatt", math.Exp(3) / (math.Exp(0.5) + math.Exp(2) + math.Exp(3))},
		{[]string{"ukjent"}, 1, "ks", 1 / (1 + 2*math.Exp(-0.5))},
	}
	for _, tc := range tests {
		m := learn.FromWeights(classes, []float64{0.5, 0, 0}, w, 10, tc.temp)
		p, ok := m.Predict(tc.terms, 0)
		if !ok || p.Class != tc.class || math.Abs(p.Confidence-tc.conf) > 1e-6 {
			t.Errorf("%v at %g: got %v %.4f, want %s %.4f", tc.terms, tc.temp, p.Class, p.Confidence, tc.class, tc.conf)
		}
	}
	nb := counts(t).Model(learn.Options{Temperature: 1.5})
	bias, weights := nb.Weights()
	again := learn.FromWeights(classes, bias, weights, nb.Examples(), nb.Temperature())
	for _, e := range examples {
		p, _ := nb.Predict(strings.Fields(e.text), 3)
		q, _ := again.Predict(strings.Fields(e.text), 3)
		if p.Class != q.Class || p.Confidence != q.Confidence || !slices.Equal(p.Top, q.Top) {
			t.Errorf("%q: naive Bayes %+v, rebuilt from its weights %+v", e.text, p, q)
		}
	}
}

// samePredictions fails unless the models of counts a and b predict the same class with the
// same confidence on a few texts; aName and bName say how each was counted.
func samePredictions(t *testing.T, a *learn.Counts, aName string, b *learn.Counts, bName string) {
	t.Helper()
	m1, m2 := a.Model(learn.Options{}), b.Model(learn.Options{})
	for _, text := range []string{"meldekort", "skattekort søknad", "tilskudd frist nav"} {
		p1, _ := m1.Predict(strings.Fields(text), 0)
		p2, _ := m2.Predict(strings.Fields(text), 0)
		if p1.Class != p2.Class || math.Abs(p1.Confidence-p2.Confidence) > 1e-9 {
			t.Errorf("%q: %+v %s, %+v %s", text, p1, aName, p2, bName)
		}
	}
}
