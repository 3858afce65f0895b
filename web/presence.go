package web

import (
	"slices"
	"sync"
	"time"
)

// presenceTTL is how long a viewer counts as present after the last sign of life: the page
// load, or the poll of the script (every 20 seconds).
const presenceTTL = 90 * time.Second

// presence remembers which staff have which ticket open, in memory: it is a hint for people
// working at the same time, not a record, so a restart may forget it.
type presence struct {
	mu      sync.Mutex
	now     func() time.Time
	viewers map[uint64]map[string]viewer // ticket id -> user email -> viewer
	swept   time.Time
}

type viewer struct {
	name string
	seen time.Time
}

func newPresence(now func() time.Time) *presence {
	return &presence{now: now, viewers: map[uint64]map[string]viewer{}}
}

// see records that email (named name) has ticket id open, and returns the names of the others
// who have it open now, sorted.
func (p *presence) see(id uint64, email, name string) []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	if now.Sub(p.swept) > time.Minute {
		p.sweep(now)
	}
	vs := p.viewers[id]
	if vs == nil {
		vs = map[string]viewer{}
		p.viewers[id] = vs
	}
	vs[email] = viewer{name: name, seen: now}
	var others []string
	for e, v := range vs {
		switch {
		case now.Sub(v.seen) > presenceTTL:
			delete(vs, e)
		case e != email:
			others = append(others, v.name)
		}
	}
	slices.Sort(others)
	return others
}

// sweep drops tickets nobody has looked at for a while, so the map does not grow forever.
// It runs from see at most once a minute; p.mu is held.
func (p *presence) sweep(now time.Time) {
	p.swept = now
	for id, vs := range p.viewers {
		for e, v := range vs {
			if now.Sub(v.seen) > presenceTTL {
				delete(vs, e)
			}
		}
		if len(vs) == 0 {
			delete(p.viewers, id)
		}
	}
}

// presenceText is the sentence shown on the ticket: "Ola ser også på saken."
func presenceText(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0] + " ser også på saken."
	}
	s := names[0]
	for _, n := range names[1 : len(names)-1] {
		s += ", " + n
	}
	return s + " og " + names[len(names)-1] + " ser også på saken."
}
