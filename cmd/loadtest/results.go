package main

import (
	"fmt"
	"io"
	"slices"
	"sync"
	"time"
)

// results are the times and errors of a run, by kind of request.
type results struct {
	mu      sync.Mutex
	times   map[string][]time.Duration
	errors  map[string]int
	first   []string // the first few errors, to say what went wrong
	elapsed time.Duration
}

func newResults() *results {
	return &results{times: map[string][]time.Duration{}, errors: map[string]int{}}
}

func (r *results) add(kind string, d time.Duration, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err != nil {
		r.errors[kind]++
		if len(r.first) < 5 {
			r.first = append(r.first, err.Error())
		}
		return
	}
	r.times[kind] = append(r.times[kind], d)
}

// summary is one line of the report.
type summary struct {
	n, errors      int
	p50, p99, maxd time.Duration
}

func summarise(times []time.Duration, errors int) summary {
	s := summary{n: len(times) + errors, errors: errors}
	if len(times) == 0 {
		return s
	}
	slices.Sort(times)
	s.p50, s.p99, s.maxd = times[len(times)/2], times[min(len(times)-1, len(times)*99/100)], times[len(times)-1]
	return s
}

func (r *results) all() summary {
	var all []time.Duration
	errs := 0
	for k, t := range r.times {
		all = append(all, t...)
		errs += r.errors[k]
	}
	for k, n := range r.errors {
		if _, ok := r.times[k]; !ok {
			errs += n
		}
	}
	return summarise(all, errs)
}

func (r *results) print(w io.Writer, c config) {
	all := r.all()
	fmt.Fprintf(w, "\n%d sessions, mean pause %s, %s, %d requests: %.0f requests/s\n", c.sessions, c.think, r.elapsed.Round(time.Millisecond), all.n,
		float64(all.n)/r.elapsed.Seconds())
	fmt.Fprintf(w, "%-8s %8s %8s %10s %10s %10s\n", "kind", "requests", "errors", "p50", "p99", "max")
	for _, k := range []string{"inbox", "ticket", "search", "reply"} {
		s := summarise(r.times[k], r.errors[k])
		fmt.Fprintf(w, "%-8s %8d %8d %10s %10s %10s\n", k, s.n, s.errors, ms(s.p50), ms(s.p99), ms(s.maxd))
	}
	fmt.Fprintf(w, "%-8s %8d %8d %10s %10s %10s\n", "all", all.n, all.errors, ms(all.p50), ms(all.p99), ms(all.maxd))
	for _, e := range r.first {
		fmt.Fprintln(w, "error:", e)
	}
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }

// check fails a run with errors, or with a 99th percentile over the budget.
func (r *results) check(c config) error {
	all := r.all()
	switch {
	case all.errors > 0:
		return fmt.Errorf("%d of %d requests failed", all.errors, all.n)
	case c.maxP99 > 0 && all.p99 > c.maxP99:
		return fmt.Errorf("p99 %s is over the budget of %s", ms(all.p99), ms(c.maxP99))
	}
	return nil
}
