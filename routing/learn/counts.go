// Package learn is a multinomial naive Bayes classifier for short texts: it learns from
// examples (the terms of a text and the class staff gave it) which class a new text most
// likely has, how sure it can be, and which terms weighed most. Routing uses it to suggest the
// agency of a ticket from the agencies staff chose for earlier ones. It is pure: no I/O.
//
// Naive Bayes is chosen over heavier models because it trains in one pass over the examples
// (100,000 tickets in well under a second once their words are stemmed), predicts with one map
// lookup per word, needs no tuning beyond its smoothing, and its reasons are readable: the
// weight of a word is how much likelier it is in one class than in the others.
package learn

import "slices"

// Counts are the examples a model is trained on, counted. Counts add up: the counts of two
// sets of examples are the sum of each (Merge), so a model can be trained on part of the
// examples and tested on the rest without counting twice.
type Counts struct {
	classes []string
	class   map[string]int
	docs    []int           // examples per class
	terms   map[string]*Row // term -> examples of each class that have it
	total   []uint64        // term occurrences per class
	// rows and counts are allocated in slabs: a large training meets hundreds of thousands of
	// new words, and two allocations each would make the garbage collector the bottleneck.
	rowSlab   []Row
	countSlab []uint32
}

// slabRows is how many rows one slab holds.
const slabRows = 1024

// Row is the count of one term: in how many examples of each class it occurs. A caller that
// meets the same words again and again keeps the rows (Counts.Row) and counts with AddRows,
// one map lookup a word cheaper than Add.
type Row struct {
	term string
	n    []uint32
	last int // the example that counted this row last, so a word counts once per example
}

// Term is the term the row counts.
func (r *Row) Term() string { return r.term }

// NewCounts starts empty counts over the given classes. An example of another class is
// ignored by Add.
func NewCounts(classes []string) *Counts {
	c := &Counts{classes: slices.Clone(classes), class: map[string]int{}, docs: make([]int, len(classes)),
		terms: map[string]*Row{}, total: make([]uint64, len(classes))}
	for i, k := range classes {
		c.class[k] = i
	}
	return c
}

// Row returns the row of term, adding an empty one the first time.
func (c *Counts) Row(term string) *Row {
	if r := c.terms[term]; r != nil {
		return r
	}
	k := len(c.classes)
	if len(c.rowSlab) == 0 {
		c.rowSlab, c.countSlab = make([]Row, slabRows), make([]uint32, slabRows*k)
	}
	r := &c.rowSlab[0]
	r.term, r.n, r.last = term, c.countSlab[:k:k], -1
	c.rowSlab, c.countSlab = c.rowSlab[1:], c.countSlab[k:]
	c.terms[term] = r
	return r
}

// Add counts one example: the class and the terms of its text. A term counts once per example
// however often it occurs (Boolean multinomial naive Bayes), which suits short texts where a
// repeated word says little more than the word once. It reports false for an unknown class.
func (c *Counts) Add(class string, terms []string) bool {
	rows := make([]*Row, len(terms))
	for i, t := range terms {
		rows[i] = c.Row(t)
	}
	return c.AddRows(class, rows)
}

// AddRows is Add with the rows of the terms (from c.Row).
func (c *Counts) AddRows(class string, rows []*Row) bool { return c.AddRowsWeighted(class, rows, 1) }

// AddWeighted is Add for an example that counts as weight examples: one source of examples
// may be trusted more than another.
func (c *Counts) AddWeighted(class string, terms []string, weight uint32) bool {
	rows := make([]*Row, len(terms))
	for i, t := range terms {
		rows[i] = c.Row(t)
	}
	return c.AddRowsWeighted(class, rows, weight)
}

// AddRowsWeighted is AddWeighted with the rows of the terms (from c.Row).
func (c *Counts) AddRowsWeighted(class string, rows []*Row, weight uint32) bool {
	k, ok := c.class[class]
	if !ok || weight == 0 {
		return false
	}
	example := c.Examples() // grows with every example, so it tells this one from the last
	c.docs[k] += int(weight)
	for _, r := range rows {
		if r.last == example {
			continue
		}
		r.last = example
		r.n[k] += weight
		c.total[k] += uint64(weight)
	}
	return true
}

// Merge adds the counts of o (over the same classes) to c.
func (c *Counts) Merge(o *Counts) {
	for k := range c.docs {
		c.docs[k] += o.docs[k]
		c.total[k] += o.total[k]
	}
	for t, orow := range o.terms {
		row := c.Row(t)
		for k, n := range orow.n {
			row.n[k] += n
		}
	}
}

// Examples is how many examples were counted, each as many times as its weight.
func (c *Counts) Examples() int {
	n := 0
	for _, d := range c.docs {
		n += d
	}
	return n
}

// PerClass is how many examples each class has, in the order of the classes.
func (c *Counts) PerClass() map[string]int {
	m := make(map[string]int, len(c.classes))
	for k, name := range c.classes {
		m[name] = c.docs[k]
	}
	return m
}

// AddTo adds n, a count per class, to the row of term and to the classes' totals: counts that
// were not taken example by example, such as those of the character n-grams of a word, derived
// from how many examples of each class had the word. A term that is new is copied.
// It returns the row, for AddToRow.
func (c *Counts) AddTo(term []byte, n []uint32) *Row {
	r := c.terms[string(term)]
	if r == nil {
		r = c.Row(string(term))
	}
	c.AddToRow(r, n)
	return r
}

// AddToRow is AddTo with the row of the term (from AddTo or Row).
func (c *Counts) AddToRow(r *Row, n []uint32) {
	for k, x := range n {
		r.n[k] += x
		c.total[k] += uint64(x)
	}
}
