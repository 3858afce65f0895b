package data

import "sync"

// articleCache keeps the existing articles with their terms between changes: suggestions run
// on every ticket page and as people type on the public form. It works as offerCache does; the
// list it holds is never changed, only replaced.
type articleCache struct {
	mu         sync.Mutex
	generation uint64
	list       []indexedArticle // nil: not cached
}

func (c *articleCache) get() ([]indexedArticle, uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.list, c.generation
}

func (c *articleCache) put(list []indexedArticle, generation uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if generation == c.generation {
		c.list = list
	}
}

func (c *articleCache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.generation++
	c.list = nil
}
