package data

import (
	"sync"

	"github.com/ks-no/digihjelpen/ticket"
)

// offerCache keeps the decoded register between changes: the public map reads all of it on
// every request, and decoding 371 records is most of that request's time (some 3 ms). A save
// clears it after it commits; a read that began before a commit never stores what it read, as
// the generation it started with has passed.
type offerCache struct {
	mu         sync.Mutex
	generation uint64
	offers     []*ticket.Offer // nil: not cached
}

func (c *offerCache) get() ([]*ticket.Offer, uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.offers == nil {
		return nil, c.generation
	}
	return copyOffers(c.offers), c.generation
}

func (c *offerCache) put(offers []*ticket.Offer, generation uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if generation == c.generation {
		c.offers = copyOffers(offers)
	}
}

func (c *offerCache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.generation++
	c.offers = nil
}

// copyOffers copies the entries, so a caller that changes one changes no other's.
func copyOffers(list []*ticket.Offer) []*ticket.Offer {
	out := make([]*ticket.Offer, len(list))
	for i, o := range list {
		cp := *o
		cp.Venues = append([]ticket.Venue(nil), o.Venues...)
		out[i] = &cp
	}
	if out == nil {
		out = []*ticket.Offer{}
	}
	return out
}
