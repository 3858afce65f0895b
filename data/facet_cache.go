package data

import (
	"strings"
	"sync"
	"sync/atomic"

	"github.com/RoaringBitmap/roaring/v2"
)

// The inbox intersects the same facets block by block for its tabs' counts, its page and the
// deadlines of «Forfalt», on every page and every poll of every agent; the bitmaps change only
// when the indexer commits, at most once a second. facetCache keeps each intersection until
// then: a posting's generation moves on after every commit that rewrote a posting
// (applyPostings), and a read transaction uses the intersections of the generation that was
// current before it began. A reader that began before a commit but read the generation after
// it would keep old bitmaps under the new generation; reading the generation first, a reader
// at worst keeps new bitmaps under the old one, which the next reader no longer asks for.
// Writing transactions never use it: what they see is not committed.

// facetCacheSize is how many intersections are kept: filters in use at once by every agent.
const facetCacheSize = 256

type facetCache struct {
	gen atomic.Uint64
	mu  sync.Mutex
	m   map[string]*facetBlocks
}

// facetBlocks are one intersection's blocks computed so far (nil: nothing in the block).
type facetBlocks struct {
	gen    uint64
	blocks map[uint32]*roaring.Bitmap
}

// bump starts a new generation and drops the old one's bitmaps.
func (c *facetCache) bump() {
	c.mu.Lock()
	c.gen.Add(1)
	c.m = nil
	c.mu.Unlock()
}

func (c *facetCache) get(key string, gen uint64, block uint32) (*roaring.Bitmap, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.m[key]
	if e == nil || e.gen != gen {
		return nil, false
	}
	bm, ok := e.blocks[block]
	return bm, ok
}

func (c *facetCache) put(key string, gen uint64, block uint32, bm *roaring.Bitmap) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen.Load() {
		return // a commit came between: these bitmaps may already be old
	}
	if c.m == nil {
		c.m = map[string]*facetBlocks{}
	}
	e := c.m[key]
	if e == nil || e.gen != gen {
		if len(c.m) >= facetCacheSize {
			for k := range c.m { // map order is random: a random entry goes
				delete(c.m, k)
				break
			}
		}
		e = &facetBlocks{gen: gen, blocks: map[uint32]*roaring.Bitmap{}}
		c.m[key] = e
	}
	e.blocks[block] = bm
}

// facetQuery is an intersection the inbox asks for block after block, with its cache key made
// once.
type facetQuery struct {
	groups [][]string
	key    string
}

func facetQueryOf(groups [][]string) facetQuery {
	var b strings.Builder
	for _, g := range groups {
		b.WriteString(strings.Join(g, "\x01"))
		b.WriteByte(0)
	}
	return facetQuery{groups: groups, key: b.String()}
}

// facetBlock is evalBlock through the cache: the bitmap it returns is shared and must not be
// changed.
func (tx *Tx) facetBlock(q facetQuery, block uint32) (*roaring.Bitmap, error) {
	if tx.Writable() {
		return tx.evalBlock(q.groups, block)
	}
	if bm, ok := tx.db.facets.get(q.key, tx.facetGen, block); ok {
		return bm, nil
	}
	bm, err := tx.evalBlock(q.groups, block)
	if err != nil {
		return nil, err
	}
	if bm != nil {
		bm = bm.Clone() // on the heap whole, not in the file's pages of this transaction
	}
	tx.db.facets.put(q.key, tx.facetGen, block, bm)
	return bm, nil
}

// postingsChanged moves the generation on when this transaction commits.
func (tx *Tx) postingsChanged() {
	db := tx.db
	tx.OnCommit(db.facets.bump)
}
