package routing

import (
	"hash/maphash"
	"maps"
	"slices"
	"strings"

	"github.com/ks-no/digihjelpen/routing/learn"
	"github.com/ks-no/digihjelpen/ticket"
)

// trainWorker reads examples into its own counts and word memory; Train adds the workers up.
type trainWorker struct {
	opt         TrainOptions
	words       wordTerms
	rows        map[uint64]*learn.Row   // hash of a word as written -> its row in train; nil: ignored
	gramRows    map[uint64][]*learn.Row // hash of a word as written -> the rows of its n-grams
	grams       map[string][]string     // word as written -> its n-gram terms, for the model
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
	rules  string   // the rules' agency
	grip   grip     // how firmly they chose it (combine.go)
}

func newTrainWorker(opt TrainOptions) *trainWorker {
	return &trainWorker{opt: opt, words: wordTerms{}, rows: map[uint64]*learn.Row{},
		gramRows: map[uint64][]*learn.Row{}, grams: map[string][]string{}, texts: map[uint64]struct{}{},
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
	eachWord(subject, func(word string) {
		h := maphash.String(wordSeed, word)
		w.addRow(h, word, "")
		if markSubject {
			w.addRow(maphash.String(subjectSeed, word), word, subjectMark)
		}
		w.addGramRows(h, word)
	})
	eachWord(question, func(word string) {
		h := maphash.String(wordSeed, word)
		w.addRow(h, word, "")
		w.addGramRows(h, word)
	})
	return w.rowBuf
}

// addGramRows adds the rows of a word's n-grams (h is the word's hash) to rowBuf, finding them
// the first time the worker meets the word.
func (w *trainWorker) addGramRows(h uint64, word string) {
	if len(gramSizes) == 0 {
		return
	}
	rs, ok := w.gramRows[h]
	if !ok {
		var g []string
		if wordOK(word) {
			g = wordGrams(word, nil)
			rs = make([]*learn.Row, len(g))
			for i, t := range g {
				rs[i] = w.train.Row(t)
			}
		}
		w.grams[strings.Clone(word)] = g
		w.gramRows[h] = rs
	}
	w.rowBuf = append(w.rowBuf, rs...)
}

// addRow adds the row of a word (h is its hash) to rowBuf, finding its term the first time.
func (w *trainWorker) addRow(h uint64, word, mark string) {
	r, ok := w.rows[h]
	if !ok {
		if t := w.words.termOf(word); t != "" {
			r = w.train.Row(mark + t)
		}
		w.rows[h] = r
	}
	if r != nil {
		w.rowBuf = append(w.rowBuf, r)
	}
}

func (w *trainWorker) read(batch []Example) {
	for _, ex := range batch {
		subject, text := modelText(ex.Ticket, ex.First)
		if !heldOut(ex.Ticket.ID) {
			if !w.train.AddRowsWeighted(ex.Agency, w.trainRows(subject, text), w.opt.StaffWeight) {
				continue
			}
		} else {
			w.buf = trainingTerms(w.words, subject, text, w.buf[:0])
			if !w.held.AddWeighted(ex.Agency, w.buf, w.opt.StaffWeight) {
				continue
			}
			h := heldExample{agency: ex.Agency, terms: slices.Clone(w.buf)}
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
			w.seed++
		}
	}
}

// combine adds up the workers, measures a model trained without the held-out examples on
// them, and returns the model trained on all of them.
func combine(ws []*trainWorker, opt TrainOptions) *Model {
	train, held, words, grams := ws[0].train, ws[0].held, ws[0].words, ws[0].grams
	var tests []heldExample
	st := ticket.ModelStatus{}
	for i, w := range ws {
		if i > 0 {
			train.Merge(w.train)
			held.Merge(w.held)
			maps.Copy(words, w.words)
			maps.Copy(grams, w.grams)
		}
		tests = append(tests, w.tests...)
		st.Labels += w.labels
		st.Moved += w.moved
		st.Seed += w.seed
	}
	measure(&st, train.Model(opt.Learn), tests, opt)
	train.Merge(held)
	return &Model{nb: train.Model(opt.Learn), words: words, grams: grams, status: st}
}

// measure routes the held-out examples with the rules, the model trained without them, and
// both, and counts how often each chose what staff chose.
func measure(st *ticket.ModelStatus, nb *learn.Model, tests []heldExample, opt TrainOptions) {
	per := map[string]*ticket.AgencyAccuracy{}
	for _, a := range opt.Agencies {
		per[a] = &ticket.AgencyAccuracy{Agency: a}
	}
	for _, h := range tests {
		model := ticket.AgencyKS
		p, ok := nb.Predict(h.terms, 0)
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
