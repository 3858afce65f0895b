// Package data stores the contact point in one bbolt file. It is the only implementation of the
// storage interfaces in package ticket: tickets, messages, events, users, sessions, tokens and
// the outbox, with their secondary indexes kept in the same transaction as the record.
package data

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/ks-no/digihjelpen/ticket"
)

// OpenTimeout bounds the wait for the file lock, so a second server on the same file fails fast
// instead of hanging.
const OpenTimeout = 2 * time.Second

// DB is the bbolt database. Set the exported fields before Open.
type DB struct {
	Path string
	// Now is the clock; tests replace it to get known timestamps.
	Now func() time.Time
	// ReadOnly opens the file with a shared lock and refuses writes (benchmarks that share a
	// generated file, tools that only read).
	ReadOnly bool
	// MailQueued, when set, is called after every commit that queued mail, so the sender can
	// send at once instead of at its next tick. It must not block.
	MailQueued func()
	// NotifyQueued, when set, is called after every commit that queued a notification
	// (notify.go), so the notification job plans them without waiting for its tick. It must
	// not block.
	NotifyQueued func()

	bolt      *bolt.DB
	statsGens statsGens // the generations of the statistics' weeks (stats_trend_cache.go)
	// changes counts the commits that changed a ticket, for the live inbox (TicketsChanged).
	changes atomic.Uint64
	// reads is held (shared) by every read transaction, so ScrubFreePages can know that none is
	// open (scrub_pages.go).
	reads sync.RWMutex
	// needs are the register's «særskilt behov» flags, for the router (register_needs.go);
	// offers the decoded register for the map (register_cache.go).
	needs  specialNeeds
	offers offerCache
	// articles are the handbook's articles with their terms (handbook_cache.go).
	articles articleCache
	// tickets are decoded ticket records (ticket_cache.go), facets the inbox's intersections
	// of the search index's bitmaps (facet_cache.go).
	tickets ticketCache
	facets  facetCache
	// chunkSize replaces the size of the chunks large values are stored in (chunks.go); tests
	// make it small.
	chunkSize int
}

// NewDB returns a DB for the file at path; call Open before use.
func NewDB(path string) *DB {
	return &DB{Path: path, Now: time.Now}
}

// Open opens (creating when missing) the file, creates every bucket and runs the migrations.
func (db *DB) Open() error {
	if db.Path == "" {
		return fmt.Errorf("open database: no path set")
	}
	if err := os.MkdirAll(filepath.Dir(db.Path), 0o700); err != nil {
		return fmt.Errorf("create database folder: %w", err)
	}
	b, err := bolt.Open(db.Path, 0o600, &bolt.Options{Timeout: OpenTimeout, ReadOnly: db.ReadOnly, InitialMmapSize: mmapSize(db.Path)})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return fmt.Errorf("open %s: the file is locked by another process (is a server already running?)", db.Path)
	} else if err != nil {
		return fmt.Errorf("open %s: %w", db.Path, err)
	}
	db.bolt = b
	if db.ReadOnly {
		err := db.checkVersion()
		if err == nil {
			err = db.checkStatsComplete()
		}
		if err == nil {
			err = db.checkPrivacyIndexes()
		}
		if err == nil {
			err = db.loadSpecialNeeds()
		}
		if err != nil {
			b.Close() // a refused file must not stay locked
			db.bolt = nil
			return err
		}
		return nil
	}
	if err := db.migrate(); err != nil {
		b.Close()
		return fmt.Errorf("migrate %s: %w", db.Path, err)
	}
	if err := db.finishStatsRebuild(); err != nil {
		b.Close()
		return fmt.Errorf("migrate %s: %w", db.Path, err)
	}
	if err := db.finishPrivacyIndexes(); err != nil {
		b.Close()
		return fmt.Errorf("migrate %s: %w", db.Path, err)
	}
	if err := db.finishPreviews(); err != nil {
		b.Close()
		return fmt.Errorf("migrate %s: %w", db.Path, err)
	}
	if err := db.loadSpecialNeeds(); err != nil {
		b.Close()
		return fmt.Errorf("open %s: %w", db.Path, err)
	}
	return nil
}

// mmapHeadroom is how far the file may grow before bbolt maps it anew. A new mapping copies
// every key and value the writing transaction holds onto the heap (a 25 MB mail being stored
// twice over) and waits for every read transaction; address space costs nothing.
const mmapHeadroom = 1 << 30

// mmapSize is the mapping to start with: the file and the headroom.
func mmapSize(path string) int {
	size := int64(0)
	if info, err := os.Stat(path); err == nil {
		size = info.Size()
	}
	return int(size) + mmapHeadroom
}

// Close closes the file; it waits for open transactions to finish.
func (db *DB) Close() error {
	if db.bolt == nil {
		return nil
	}
	return db.bolt.Close()
}

// Tx is a bbolt transaction with the one time every change in it is stamped with.
type Tx struct {
	*bolt.Tx
	now time.Time
	db  *DB
	// bulk defers the statistics of a ticket until BulkLoad has written all its events.
	bulk bool
	// touched are the statistics' weeks this transaction changed (stats_trend_cache.go).
	touched *statsTouch
	// changed and notified make the commit hooks of a transaction run once, however many
	// tickets and events it writes.
	changed, notified bool
	// facetGen is the generation of the postings when this read began (facet_cache.go).
	facetGen uint64
}

// Update runs fn in a read-write transaction. Adapters outside data never see bbolt; exported
// methods of the services own their transactions and lowercase helpers take the *Tx.
func (db *DB) update(ctx context.Context, fn func(tx *Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return db.bolt.Update(func(btx *bolt.Tx) error {
		return fn(&Tx{Tx: btx, now: db.now(), db: db})
	})
}

// view runs fn in a read-only transaction.
func (db *DB) view(ctx context.Context, fn func(tx *Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	db.reads.RLock()
	defer db.reads.RUnlock()
	gen := db.facets.gen.Load() // before the transaction begins: facet_cache.go says why
	return db.bolt.View(func(btx *bolt.Tx) error {
		return fn(&Tx{Tx: btx, now: db.now(), db: db, facetGen: gen})
	})
}

// now returns the clock's time rounded to microseconds (what survives JSON and what people need),
// in UTC; pages convert to Oslo time.
func (db *DB) now() time.Time {
	return db.Now().UTC().Truncate(time.Microsecond)
}

// Stats is a snapshot of the file for /metrics and the admin page.
type Stats struct {
	Tickets int
	Size    int64
}

// Stats returns the number of tickets (from the counters) and the file size. It reads a few
// keys, never the records: bbolt's Bucket.Stats would walk every page (minutes at a million
// tickets on a cold cache).
func (db *DB) Stats(ctx context.Context) (Stats, error) {
	var s Stats
	err := db.view(ctx, func(tx *Tx) error {
		s.Tickets = tx.count("", "")
		s.Size = tx.Size()
		return nil
	})
	return s, err
}

// Ping reports whether the database answers: a read transaction that finds the schema version.
// It is what /healthz asks, so it must stay cheap at any size.
func (db *DB) Ping(ctx context.Context) error {
	return db.view(ctx, func(tx *Tx) error {
		if len(tx.Bucket(bucketMeta).Get(keySchemaVersion)) != 8 {
			return fmt.Errorf("ping %s: no schema version", db.Path)
		}
		return nil
	})
}

// notFound is the error for a missing record, in a sentence people can read.
func notFound(what string) error {
	return ticket.Errorf(ticket.ENOTFOUND, "Fant ikke %s.", what)
}
