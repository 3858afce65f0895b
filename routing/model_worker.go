package routing

import (
	"hash/maphash"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/ks-no/digihjelpen/routing/learn"
	"github.com/ks-no/digihjelpen/ticket"
)

// trainWorker reads examples into its own counts and word memory; Train adds the workers up.
type trainWorker struct {
	opt         TrainOptions
	words       wordTerms
	rows        map[uint64]wordEntry  // hash of a word as written -> its row in train and its count
	forms       map[uint64]*formCount // hash of a word as written -> its count; nil: ignored
	formBuf     []*formCount          // the words of the example being read
	class       map[string]int
	example     int // examples read, to count a word once per example
	train, held *learn.Counts
	tests       []heldExample
	labels      int
	moved       int
	seed        int                 // seed examples read (readSeed)
	texts       map[uint64]struct{} // the texts of staff's labels, so they overrule the seed
	buf         []string
	rowBuf      []*learn.Row
}

// heldExample is a held-out example as the measurement needs it.
type heldExample struct {
	agency string   // staff's choice
	terms  []string // for the model trained without it
	words  []string // the words that have n-grams, each once
	rules  string   // the rules' agency
	grip   grip     // how firmly they chose it (combine.go)
}

func newTrainWorker(opt TrainOptions) *trainWorker {
	class := map[string]int{}
	for k, a := range opt.Agencies {
		class[a] = k
	}
	return &trainWorker{opt: opt, words: wordTerms{}, rows: map[uint64]wordEntry{},
		forms: map[uint64]*formCount{}, class: class, texts: map[uint64]struct{}{},
		train: learn.NewCounts(opt.Agencies), held: learn.NewCounts(opt.Agencies)}
}

// wordSeed and subjectSeed hash words for trainWorker.rows, as themselves and as words of the
// subject.
var wordSeed, subjectSeed = maphash.MakeSeed(), maphash.MakeSeed()

// textSeed hashes the subject and text of an example, to find a seed example a staff label has
// too.
var textSeed = maphash.MakeSeed()

func textKey(subject, text string) uint64 {
	var h maphash.Hash
	h.SetSeed(textSeed)
	h.WriteString(subject)
	h.WriteByte(0)
	h.WriteString(text)
	return h.Sum64()
}

// trainRows are the rows of a training example's words: one map lookup per word once the
// worker has met the word, which most words of a large set it has. The map is keyed by a 64-bit
// hash of the word rather than the word: with a few hundred thousand words the string keys'
// comparisons were a third of the training time, and two words sharing a hash (about one chance
// in ten million at a million words) would only share their counts.
//
// A word of the subject counts as itself and as a word of the subject (subjectMark): its second
// row is kept under the hash of the word with another seed.
func (w *trainWorker) trainRows(subject, question string) []*learn.Row {
	w.rowBuf = w.rowBuf[:0]
	w.formBuf = w.formBuf[:0]
	eachWord(subject, func(word string) {
		h := maphash.String(wordSeed, word)
		w.addWord(h, word, "")
		if markSubject {
			w.addWord(maphash.String(subjectSeed, word), word, subjectMark)
		}
	})
	eachWord(question, func(word string) {
		h := maphash.String(wordSeed, word)
		w.addWord(h, word, "")
	})
	return w.rowBuf
}

// wordEntry is what a worker keeps of a word as written: the row of its term (nil: ignored)
// and, for the word itself rather than as a word of the subject, its count (nil: no n-grams).
type wordEntry struct {
	row  *learn.Row
	form *formCount
}

// addWord adds the row and the count of a word (h is its hash) to rowBuf and formBuf, finding
// them the first time: one map lookup a word.
func (w *trainWorker) addWord(h uint64, word, mark string) {
	e, ok := w.rows[h]
	if !ok {
		if t := w.words.termOf(word); t != "" {
			e.row = w.train.Row(mark + t)
		}
		if mark == "" {
			e.form = w.formOf(h, word)
		}
		w.rows[h] = e
	}
	if e.row != nil {
		w.rowBuf = append(w.rowBuf, e.row)
	}
	if e.form != nil {
		w.formBuf = append(w.formBuf, e.form)
	}
}

// formCount is how many examples of each agency had a word as written, trained on and held
// out: the counts of its n-grams derive from them (addGrams), so training counts one row a word
// rather than one an n-gram.
type formCount struct {
	word       string
	train, out []uint32
	last       int
	rows       []*learn.Row // of its n-grams, once addGrams has met them
}

// addForm adds the count of a word (h is its hash) to formBuf, when the model reads n-grams.
func (w *trainWorker) addForm(h uint64, word string) {
	if f := w.formOf(h, word); f != nil {
		w.formBuf = append(w.formBuf, f)
	}
}

// formOf is the count of a word (h is its hash), nil when the model reads no n-grams of it.
func (w *trainWorker) formOf(h uint64, word string) *formCount {
	if len(gramSizes) == 0 {
		return nil
	}
	f, ok := w.forms[h]
	if !ok {
		if wordOK(word) {
			k := len(w.opt.Agencies)
			n := make([]uint32, 2*k)
			f = &formCount{word: strings.Clone(word), train: n[:k:k], out: n[k:], last: -1}
		}
		w.forms[h] = f
	}
	return f
}

// countForms counts the words of formBuf once each for an example of agency that was read.
func (w *trainWorker) countForms(agency string, weight uint32, held bool) {
	k := w.class[agency]
	w.example++
	for _, f := range w.formBuf {
		if f.last == w.example {
			continue
		}
		f.last = w.example
		if held {
			f.out[k] += weight
		} else {
			f.train[k] += weight
		}
	}
}

// formWords are the distinct words of formBuf.
func (w *trainWorker) formWords() []string {
	var out []string
	for _, f := range w.formBuf {
		if !slices.Contains(out, f.word) {
			out = append(out, f.word)
		}
	}
	return out
}

// addGrams adds to c the counts of the n-grams of every word: a word's n-gram counts as often,
// per agency, as examples had the word (held: the held-out examples).
func addGrams(c *learn.Counts, forms map[uint64]*formCount, held bool) {
	var buf []byte
	for _, f := range forms {
		if f == nil {
			continue
		}
		n := f.train
		if held {
			n = f.out
		}
		switch {
		case slices.Max(n) == 0:
		case f.rows != nil:
			for _, r := range f.rows {
				c.AddToRow(r, n)
			}
		default:
			buf = eachGram(f.word, buf, func(g []byte) { f.rows = append(f.rows, c.AddTo(g, n)) })
		}
	}
}

func (w *trainWorker) read(batch []Example) {
	for _, ex := range batch {
		subject, text := modelText(ex.Ticket, ex.First)
		if !heldOut(ex.Ticket.ID) {
			if !w.train.AddRowsWeighted(ex.Agency, w.trainRows(subject, text), w.opt.StaffWeight) {
				continue
			}
			w.countForms(ex.Agency, w.opt.StaffWeight, false)
		} else {
			w.buf = trainingTerms(w.words, subject, text, w.buf[:0])
			if !w.held.AddWeighted(ex.Agency, w.buf, w.opt.StaffWeight) {
				continue
			}
			w.formBuf = w.formBuf[:0]
			for _, part := range []string{subject, text} {
				eachWord(part, func(word string) { w.addForm(maphash.String(wordSeed, word), word) })
			}
			w.countForms(ex.Agency, w.opt.StaffWeight, true)
			h := heldExample{agency: ex.Agency, terms: slices.Clone(w.buf), words: w.formWords()}
			if w.opt.Rules != nil {
				d, _, v := w.opt.Rules.route(ex.Ticket, ex.First)
				h.rules, h.grip = d.Agency, v.grip()
			}
			w.tests = append(w.tests, h)
		}
		w.texts[textKey(subject, text)] = struct{}{}
		w.labels++
		if ex.Moved {
			w.moved++
		}
	}
}

// readSeed counts the seed examples into w's training counts (never held out: the figures are
// staff's), but not one whose subject and text a staff label of any worker has: staff's label
// of the same question overrules the seed's.
func (w *trainWorker) readSeed(seed []Example, all []*trainWorker) {
next:
	for _, ex := range seed {
		subject, text := modelText(ex.Ticket, ex.First)
		key := textKey(subject, text)
		for _, o := range all {
			if _, ok := o.texts[key]; ok {
				continue next
			}
		}
		if w.train.AddRows(ex.Agency, w.trainRows(subject, text)) {
			w.countForms(ex.Agency, 1, false)
			w.seed++
		}
	}
}

// combine adds up the workers, measures a model trained without the held-out examples on
// them, and returns the model trained on all of them.
func combine(ws []*trainWorker, opt TrainOptions) *Model {
	train, held, words, forms := ws[0].train, ws[0].held, ws[0].words, ws[0].forms
	var tests []heldExample
	st := ticket.ModelStatus{}
	for i, w := range ws {
		if i > 0 {
			train.Merge(w.train)
			held.Merge(w.held)
			maps.Copy(words, w.words)
			mergeForms(forms, w.forms)
		}
		tests = append(tests, w.tests...)
		st.Labels += w.labels
		st.Moved += w.moved
		st.Seed += w.seed
	}
	addGrams(train, forms, false)
	nb := train.Model(opt.Learn)
	measure(&st, nb, gramVecs(nb, forms, true, len(ws)), tests, opt)
	train.Merge(held)
	addGrams(train, forms, true)
	m := &Model{nb: train.Model(opt.Learn), words: words, status: st}
	m.gramVec = gramVecs(m.nb, forms, false, len(ws))
	return m
}

// mergeForms adds the word counts of from to into.
func mergeForms(into, from map[uint64]*formCount) {
	for h, f := range from {
		g, ok := into[h]
		switch {
		case !ok:
			into[h] = f
		case f != nil && g != nil:
			for k := range f.train {
				g.train[k] += f.train[k]
				g.out[k] += f.out[k]
			}
		}
	}
}

// gramVecs sums the n-grams of every word training met (held: of the held-out examples), so a
// decision adds one vector a word. The words are shared out among workers: the model is
// read-only, and a large training meets hundreds of thousands of words.
func gramVecs(nb *learn.Model, forms map[uint64]*formCount, held bool, workers int) map[string][]float32 {
	var words []*formCount
	for _, f := range forms {
		if f != nil && (!held || slices.Max(f.out) > 0) {
			words = append(words, f)
		}
	}
	if len(words) == 0 {
		return nil
	}
	k := nb.NumClasses()
	flat := make([]float32, len(words)*k) // one allocation for all of them
	known := make([]bool, len(words))
	var wg sync.WaitGroup
	per := (len(words) + workers - 1) / workers
	for from := 0; from < len(words); from += per {
		to := min(from+per, len(words))
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf []byte
			for i := from; i < to; i++ {
				known[i] = gramVecOf(nb, words[i].word, &buf, flat[i*k:(i+1)*k:(i+1)*k]) != nil
			}
		}()
	}
	wg.Wait()
	out := make(map[string][]float32, len(words))
	for i, f := range words {
		if known[i] {
			out[f.word] = flat[i*k : (i+1)*k : (i+1)*k]
		}
	}
	return out
}

// measure routes the held-out examples with the rules, the model trained without them, and
// both, and counts how often each chose what staff chose.
func measure(st *ticket.ModelStatus, nb *learn.Model, vecs map[string][]float32, tests []heldExample, opt TrainOptions) {
	per := map[string]*ticket.AgencyAccuracy{}
	for _, a := range opt.Agencies {
		per[a] = &ticket.AgencyAccuracy{Agency: a}
	}
	for _, h := range tests {
		var extras []learn.Extra
		for _, w := range h.words {
			if v := vecs[w]; v != nil {
				extras = append(extras, learn.Extra{Name: w, LogP: v})
			}
		}
		model := ticket.AgencyKS
		p, ok := nb.PredictWith(h.terms, extras, 0)
		if ok && p.Known > 0 {
			model = p.Class
		}
		both := h.rules // as decide combines them
		if ok && p.Known > 0 && overrules(h.grip, p.Confidence, opt.Threshold) {
			both = p.Class
		}
		a := per[h.agency]
		a.Total++
		st.HeldOut++
		if opt.Rules != nil && h.rules == h.agency {
			a.Rules++
			st.RulesRight++
		}
		if model == h.agency {
			a.Model++
			st.ModelRight++
		}
		if opt.Rules != nil && both == h.agency {
			a.Both++
			st.BothRight++
		}
	}
	for _, a := range opt.Agencies {
		if per[a].Total > 0 {
			st.PerAgency = append(st.PerAgency, *per[a])
		}
	}
}
