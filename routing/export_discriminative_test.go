package routing

import (
	"math"
	"math/rand/v2"
	"slices"

	"github.com/ks-no/digihjelpen/routing/learn"
)

// DiscOptions tune TrainDiscriminative, the experiment of a discriminatively trained model on
// the naive Bayes model's features (TestModelDiscriminativeGrid, docs/ROUTING.md).
type DiscOptions struct {
	Epochs      int     // passes of Adagrad over the examples, in one fixed shuffled order each
	Rate        float64 // Adagrad's step
	L2          float64 // L2 penalty on every weight a step touches
	GramValue   float64 // the value of an n-gram feature (a stem's is 1)
	Mix         float64 // 0: logistic regression alone; else the share of naive Bayes's scores in a log-linear mix
	Temperature float64 // of the confidence, after the mix
	Average     bool    // use the average of the weights after each epoch
}

// TrainDiscriminative trains a multinomial logistic regression on the terms nbm reads (stems,
// the subject's terms, the n-grams of every word) of exs, deterministically, and returns a
// model that predicts with it (mixed with nbm's scores when opt.Mix > 0), reading words as nbm
// does.
func TrainDiscriminative(nbm *Model, exs []Example, agencies []string, opt DiscOptions) *Model {
	k := len(agencies)
	class := map[string]int{}
	for i, a := range agencies {
		class[a] = i
	}
	ids := map[string]int{}
	var names []string
	id := func(t string) int {
		if i, ok := ids[t]; ok {
			return i
		}
		ids[t] = len(names)
		names = append(names, t)
		return len(names) - 1
	}
	type sample struct {
		y     int
		stems []int
		grams []int
	}
	var samples []sample
	var buf []byte
	for _, ex := range exs {
		y, ok := class[ex.Agency]
		if !ok {
			continue
		}
		subject, text := modelText(ex.Ticket, ex.First)
		s := sample{y: y}
		for _, t := range trainingTerms(nbm.words, subject, text, nil) {
			if i := id(t); !slices.Contains(s.stems, i) {
				s.stems = append(s.stems, i)
			}
		}
		var seen []string
		for _, part := range []string{subject, text} {
			eachWord(part, func(w string) {
				if !wordOK(w) || len(gramSizes) == 0 || slices.Contains(seen, w) {
					return
				}
				seen = append(seen, w)
				buf = eachGram(w, buf, func(g []byte) { s.grams = append(s.grams, id(string(g))) })
			})
		}
		samples = append(samples, s)
	}
	w := make([]float64, len(names)*k)
	g := make([]float64, len(names)*k)
	bias, gb := make([]float64, k), make([]float64, k)
	order := make([]int, len(samples))
	for i := range order {
		order[i] = i
	}
	rng := rand.New(rand.NewPCG(1, 2))
	score, grad := make([]float64, k), make([]float64, k)
	const eps = 1e-8
	step := func(f int, value float64) {
		for c := 0; c < k; c++ {
			x := grad[c]*value + opt.L2*w[f*k+c]
			g[f*k+c] += x * x
			w[f*k+c] -= opt.Rate * x / math.Sqrt(g[f*k+c]+eps)
		}
	}
	wsum, bsum := make([]float64, len(w)), make([]float64, k)
	for e := 0; e < opt.Epochs; e++ {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, i := range order {
			s := samples[i]
			copy(score, bias)
			for _, f := range s.stems {
				for c := 0; c < k; c++ {
					score[c] += w[f*k+c]
				}
			}
			for _, f := range s.grams {
				for c := 0; c < k; c++ {
					score[c] += opt.GramValue * w[f*k+c]
				}
			}
			top := slices.Max(score)
			sum := 0.0
			for c := range score {
				score[c] = math.Exp(score[c] - top)
				sum += score[c]
			}
			for c := range score {
				grad[c] = score[c] / sum
				if c == s.y {
					grad[c]--
				}
				gb[c] += grad[c] * grad[c]
				bias[c] -= opt.Rate * grad[c] / math.Sqrt(gb[c]+eps)
			}
			for _, f := range s.stems {
				step(f, 1)
			}
			for _, f := range s.grams {
				step(f, opt.GramValue)
			}
		}
		for i, x := range w {
			wsum[i] += x / float64(opt.Epochs)
		}
		for c, x := range bias {
			bsum[c] += x / float64(opt.Epochs)
		}
	}
	if opt.Average {
		w, bias = wsum, bsum
	}
	nbBias, nbW := nbm.nb.Weights()
	nbT := nbm.nb.Temperature()
	weights := make(map[string][]float32, len(names))
	for f, name := range names {
		row := make([]float32, k)
		value := 1.0
		if len(name) > len(gramMark) && name[:len(gramMark)] == gramMark {
			value = opt.GramValue
		}
		nbRow := nbW[name]
		for c := 0; c < k; c++ {
			x := (1 - opt.Mix) * value * w[f*k+c]
			if opt.Mix > 0 && nbRow != nil {
				x += opt.Mix * float64(nbRow[c]) / nbT
			}
			row[c] = float32(x)
		}
		weights[name] = row
	}
	b := make([]float64, k)
	for c := range b {
		b[c] = (1 - opt.Mix) * bias[c]
		if math.IsInf(nbBias[c], -1) {
			b[c] = math.Inf(-1)
		} else if opt.Mix > 0 {
			b[c] += opt.Mix * nbBias[c] / nbT
		}
	}
	m := &Model{nb: learn.FromWeights(agencies, b, weights, len(samples), opt.Temperature), words: nbm.words, status: nbm.status}
	m.gramVec = map[string][]float32{}
	for word := range nbm.gramVec {
		if v := gramVecOf(m.nb, word, &buf, make([]float32, k)); v != nil {
			m.gramVec[word] = v
		}
	}
	return m
}
