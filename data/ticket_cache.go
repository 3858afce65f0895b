package data

import (
	"bytes"
	"sync"

	"github.com/ks-no/digihjelpen/ticket"
)

// ticketCacheSize is how many decoded tickets are kept: the inbox shows 50 a page, and the top
// of every view is read by every agent, page after page and poll after poll.
const ticketCacheSize = 4096

// ticketCache keeps decoded ticket records. Decoding a record (JSON) was half of what the
// records cost an inbox page at a million tickets. An entry is used only while the stored
// bytes are the bytes it was decoded from, so it can never be stale, whatever wrote the file,
// and callers get a clone they may change. Writes and deletions drop their ticket's entry, so
// what retention or an erasure removed does not stay in memory either.
type ticketCache struct {
	mu sync.Mutex
	m  map[uint64]cachedTicket
}

type cachedTicket struct {
	raw []byte
	t   *ticket.Ticket
}

// get returns a clone of the ticket decoded from raw, or nil.
func (c *ticketCache) get(id uint64, raw []byte) *ticket.Ticket {
	c.mu.Lock()
	e, ok := c.m[id]
	c.mu.Unlock()
	if !ok || !bytes.Equal(e.raw, raw) {
		return nil
	}
	return e.t.Clone()
}

// put keeps a clone of t, decoded from raw (copied: raw is the file's memory, valid only in
// its transaction). A full cache drops an entry at random: map order is random.
func (c *ticketCache) put(id uint64, raw []byte, t *ticket.Ticket) {
	e := cachedTicket{raw: bytes.Clone(raw), t: t.Clone()}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = make(map[uint64]cachedTicket, ticketCacheSize)
	}
	if _, ok := c.m[id]; !ok && len(c.m) >= ticketCacheSize {
		for k := range c.m {
			delete(c.m, k)
			break
		}
	}
	c.m[id] = e
}

func (c *ticketCache) forget(id uint64) {
	c.mu.Lock()
	delete(c.m, id)
	c.mu.Unlock()
}
