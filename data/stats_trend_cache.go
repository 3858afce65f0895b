package data

import (
	"maps"
	"sync"

	"github.com/ks-no/digihjelpen/ticket"
)

// The charts' trend (52 weeks of new tickets, first-response and resolution times) read every
// fact of the span, about 670,000 at a million tickets: 115-300 ms a page. A week's points
// change only when a fact or counter of that week changes, so each StatsService keeps the
// points it computed, per week, with the week's generation: every commit that writes a fact or
// counter of a week (a new ticket, an answer, a resolution, a deletion, an import with old
// dates) moves that week's generation on after it commits. The trend recomputes only the weeks
// whose generation moved, in practice the current one. The generations are read before the
// read transaction opens, so a commit in between at worst makes the next call compute the week
// again, never keeps a stale one.

// statsGens are the generations of the weeks the statistics hold, per DB.
type statsGens struct {
	mu  sync.Mutex
	gen map[ticket.Week]uint64
}

// of returns the generations of weeks (0: never written since Open).
func (g *statsGens) of(weeks []*ticket.WeekTrend) []uint64 {
	g.mu.Lock()
	defer g.mu.Unlock()
	out := make([]uint64, len(weeks))
	for i, w := range weeks {
		out[i] = g.gen[w.Week]
	}
	return out
}

func (g *statsGens) bump(weeks map[ticket.Week]bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.gen == nil {
		g.gen = map[ticket.Week]uint64{}
	}
	for w := range weeks {
		g.gen[w]++
	}
}

// statsTouch collects the weeks one transaction changed; its commit bumps them.
type statsTouch struct{ weeks map[ticket.Week]bool }

// touchStatsWeek records that the counter key k (kind|week|agency) changed in this
// transaction.
func (tx *Tx) touchStatsWeek(k []byte) {
	if tx.db == nil {
		return // a migration, before any service reads
	}
	if tx.touched == nil {
		t := &statsTouch{weeks: map[ticket.Week]bool{}}
		tx.touched = t
		db := tx.db
		tx.OnCommit(func() { db.statsGens.bump(t.weeks) })
	}
	_, w, _ := parseStatsCountKey(k)
	tx.touched.weeks[w] = true
}

// trendCache is a StatsService's computed weeks.
type trendCache struct {
	mu    sync.Mutex
	weeks map[ticket.Week]cachedWeek
}

type cachedWeek struct {
	gen   uint64
	trend ticket.WeekTrend
}

// get fills the weeks whose cached generation is gens[i] and returns the indexes of the others.
func (c *trendCache) get(weeks []*ticket.WeekTrend, gens []uint64) []int {
	c.mu.Lock()
	defer c.mu.Unlock()
	var missing []int
	for i, w := range weeks {
		cw, ok := c.weeks[w.Week]
		if !ok || cw.gen != gens[i] {
			missing = append(missing, i)
			continue
		}
		*w = cw.trend
		w.NewByAgency = maps.Clone(cw.trend.NewByAgency)
	}
	return missing
}

func (c *trendCache) put(w *ticket.WeekTrend, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.weeks == nil {
		c.weeks = map[ticket.Week]cachedWeek{}
	}
	t := *w
	t.NewByAgency = maps.Clone(w.NewByAgency)
	c.weeks[w.Week] = cachedWeek{gen: gen, trend: t}
}
