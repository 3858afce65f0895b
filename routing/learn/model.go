package learn

import (
	"math"
	"slices"
	"sort"
	"strings"
)

// Options tune a model. The zero value is usable.
type Options struct {
	// Alpha is the additive smoothing of the term probabilities (default 1: Laplace). Smaller
	// values trust rare words more.
	Alpha float64
	// MinClassExamples leaves out classes with fewer examples than this (default 1): a class
	// the model has seen twice is a guess, not a suggestion.
	MinClassExamples int
	// Family is the prefix of the terms of a second family of features (routing's character
	// n-grams of words beside the words' stems): its terms are counted and smoothed apart from
	// the others, as a distribution of their own, so the many terms of one family do not thin
	// out the probabilities of the other. "" for one family.
	Family string
	// FamilyScale multiplies the log-probabilities of the second family's terms (default 1):
	// a word gives several n-grams that say much the same, and naive Bayes would count each
	// as independent evidence.
	FamilyScale float64
	// Temperature divides the log-odds between the classes before they become a confidence
	// (default 1): naive Bayes counts every term as independent evidence, so its confidence is
	// too high, the more so the more terms a text gives; a temperature above 1 brings it
	// nearer to how often the model is right (temperature scaling), without changing which
	// class it predicts.
	Temperature float64
}

// Model is a trained classifier. It never changes, so any number of goroutines may use it.
type Model struct {
	classes  []string
	prior    []float64            // log P(class); -Inf for a class left out
	logp     map[string][]float32 // term -> log P(term | class)
	examples int
	temp     float64
}

// Model trains a model on the counts.
func (c *Counts) Model(opt Options) *Model {
	if opt.Alpha <= 0 {
		opt.Alpha = 1
	}
	if opt.MinClassExamples <= 0 {
		opt.MinClassExamples = 1
	}
	m := &Model{classes: c.classes, prior: make([]float64, len(c.classes)),
		logp: make(map[string][]float32, len(c.terms)), examples: c.Examples()}
	used := 0
	for _, d := range c.docs {
		if d >= opt.MinClassExamples {
			used += d
		}
	}
	if opt.Temperature <= 0 {
		opt.Temperature = 1
	}
	m.temp = opt.Temperature
	if opt.FamilyScale <= 0 {
		opt.FamilyScale = 1
	}
	// The second family's occurrences and vocabulary, so each family is a distribution of its own.
	famTotal, famVocab := make([]uint64, len(c.classes)), 0
	if opt.Family != "" {
		for t, row := range c.terms {
			if strings.HasPrefix(t, opt.Family) {
				famVocab++
				for k, n := range row.n {
					famTotal[k] += uint64(n)
				}
			}
		}
	}
	vocab := float64(len(c.terms) - famVocab)
	denom, famDenom := make([]float64, len(c.classes)), make([]float64, len(c.classes))
	for k, d := range c.docs {
		m.prior[k] = math.Inf(-1)
		if d >= opt.MinClassExamples && used > 0 {
			m.prior[k] = math.Log(float64(d) / float64(used))
		}
		denom[k] = math.Log(float64(c.total[k]-famTotal[k]) + opt.Alpha*vocab)
		famDenom[k] = math.Log(float64(famTotal[k]) + opt.Alpha*float64(famVocab))
	}
	// One backing array for every row: a hundred thousand small slices cost more in
	// allocations and garbage than the numbers they hold.
	flat := make([]float32, len(c.terms)*len(c.classes))
	for t, row := range c.terms {
		lp := flat[:len(c.classes):len(c.classes)]
		flat = flat[len(c.classes):]
		d, scale := denom, 1.0
		if opt.Family != "" && strings.HasPrefix(t, opt.Family) {
			d, scale = famDenom, opt.FamilyScale
		}
		for k, n := range row.n {
			lp[k] = float32(scale * (math.Log(float64(n)+opt.Alpha) - d[k]))
		}
		m.logp[t] = lp
	}
	return m
}

// Examples is how many examples the model was trained on.
func (m *Model) Examples() int { return m.examples }

// NumClasses is how many classes the model was trained over, predicted or not: the length of
// the log-probabilities AddLogP adds to.
func (m *Model) NumClasses() int { return len(m.classes) }

// Classes are the classes the model can predict (those with enough examples).
func (m *Model) Classes() []string {
	var out []string
	for k, c := range m.classes {
		if !math.IsInf(m.prior[k], -1) {
			out = append(out, c)
		}
	}
	return out
}

// AddLogP adds the log-probabilities of term, per class, to dst; it reports false, and adds
// nothing, for a term the model has not seen. It is for callers that sum the terms of a word
// once and keep the sum (an Extra).
func (m *Model) AddLogP(term []byte, dst []float32) bool {
	lp, ok := m.logp[string(term)]
	if !ok {
		return false
	}
	for k, x := range lp {
		dst[k] += x
	}
	return true
}

// Known reports whether the model has seen term.
func (m *Model) Known(term string) bool { _, ok := m.logp[term]; return ok }

// Weight is a term of the text and how much it pulled towards the predicted class: the log
// of how much likelier it is in that class than in the likeliest other class.
type Weight struct {
	Term   string
	Weight float64
	Extra  bool // Term is the name of an Extra
}

// Extra is evidence of a text summed in advance: the log-probabilities, per class, of several
// terms that belong together (the character n-grams of one word, by AddLogP), named so that
// the reasons can show it.
type Extra struct {
	Name string
	LogP []float32
}

// Prediction is the class the model finds likeliest for a text.
type Prediction struct {
	Class string
	// Confidence is the model's probability of Class given the text, from 0 to 1. Naive
	// Bayes is overconfident on long texts, since it counts every word as independent
	// evidence; the routing threshold was chosen on that scale (see docs/ROUTING.md).
	Confidence float64
	// Known is how many distinct terms of the text the model has seen; with none, the
	// prediction is the most frequent class and says nothing about the text.
	Known int
	// Top are the terms that pulled hardest towards Class, strongest first.
	Top []Weight
}

// Predict classifies a text by its terms and returns the top terms that weighed most (at most
// top of them). It reports false when the model has no class to predict.
func (m *Model) Predict(terms []string, top int) (Prediction, bool) {
	return m.PredictWith(terms, nil, top)
}

// PredictWith is Predict with extra evidence besides the terms; each extra counts as a term the
// model knows.
func (m *Model) PredictWith(terms []string, extras []Extra, top int) (Prediction, bool) {
	k := len(m.classes)
	score := make([]float64, k)
	copy(score, m.prior)
	rows := make([][]float32, 0, len(terms))
	seen := make([]string, 0, len(terms))
	for i, t := range terms {
		lp, ok := m.logp[t]
		if !ok || containsBefore(terms, i, t) {
			continue
		}
		rows, seen = append(rows, lp), append(seen, t)
		for c := range score {
			score[c] += float64(lp[c])
		}
	}
	for _, e := range extras {
		for c := range score {
			score[c] += float64(e.LogP[c])
		}
	}
	best := -1
	for c := range score {
		if !math.IsInf(score[c], -1) && (best < 0 || score[c] > score[best]) {
			best = c
		}
	}
	if best < 0 {
		return Prediction{}, false
	}
	var sum float64
	for c := range score {
		sum += math.Exp((score[c] - score[best]) / m.temp)
	}
	p := Prediction{Class: m.classes[best], Confidence: 1 / sum, Known: len(rows) + len(extras)}
	if top > 0 {
		p.Top = m.topTerms(rows, seen, extras, best, top)
	}
	return p, true
}

func containsBefore(terms []string, i int, t string) bool {
	for _, x := range terms[:i] {
		if x == t {
			return true
		}
	}
	return false
}

// topTerms ranks the terms by how much likelier they are in class best than in any other
// class the model predicts, and keeps the positive ones.
func (m *Model) topTerms(rows [][]float32, terms []string, extras []Extra, best, top int) []Weight {
	var ws []Weight
	weigh := func(lp []float32, term string, extra bool) {
		other := math.Inf(-1)
		for c := range lp {
			if c != best && !math.IsInf(m.prior[c], -1) && float64(lp[c]) > other {
				other = float64(lp[c])
			}
		}
		if w := float64(lp[best]) - other; w > 0 && !math.IsInf(w, 1) {
			ws = append(ws, Weight{Term: term, Weight: w, Extra: extra})
		}
	}
	for i, lp := range rows {
		weigh(lp, terms[i], false)
	}
	for _, e := range extras {
		weigh(e.LogP, e.Name, true)
	}
	sort.SliceStable(ws, func(i, j int) bool { return ws[i].Weight > ws[j].Weight })
	if len(ws) > top {
		ws = ws[:top]
	}
	return ws
}

// FromWeights is a model of linear scores rather than counted probabilities: a score per class
// (bias) plus, per term of a text, its weights (one per class), turned into a confidence by a
// softmax at temperature. A multinomial logistic regression is such a model; so is naive Bayes,
// whose weights are its log-probabilities. The weights are the model's from now on.
func FromWeights(classes []string, bias []float64, weights map[string][]float32, examples int, temperature float64) *Model {
	if temperature <= 0 {
		temperature = 1
	}
	return &Model{classes: slices.Clone(classes), prior: slices.Clone(bias), logp: weights, examples: examples, temp: temperature}
}

// Weights are the model's score per class (its log-prior for naive Bayes) and, per term, its
// weights per class (its log-probabilities for naive Bayes); they must not be changed.
func (m *Model) Weights() (bias []float64, weights map[string][]float32) { return m.prior, m.logp }

// Temperature is the temperature of the model's confidence.
func (m *Model) Temperature() float64 { return m.temp }
