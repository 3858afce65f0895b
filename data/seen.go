package data

import (
	"context"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/ks-no/digihjelpen/ticket"
)

// The inbox marks what changed since a user last opened a ticket. Opening one records the
// time per user and ticket; the inbox reads the 50 keys of its page, and compares them with
// what the ticket record keeps (CreatedAt, LastInboundAt), so markers cost no thread read.
var (
	bucketSeen      = []byte("seen")          // user id | ticket id -> when the user last opened it
	keyMarkersSince = []byte("markers_since") // in meta: when markers began (schema 11)
)

func init() { registerBuckets(bucketSeen) }

// SeenService implements ticket.SeenService.
type SeenService struct {
	db *DB
}

var _ ticket.SeenService = (*SeenService)(nil)

// NewSeenService returns the record of opened tickets of db.
func NewSeenService(db *DB) *SeenService { return &SeenService{db: db} }

// MarkSeen records that the user opened t now. It writes only when that changes a marker
// (the ticket has something newer than the last visit), so reading a ticket again and again
// costs no commit.
func (s *SeenService) MarkSeen(ctx context.Context, userID uint64, t *ticket.Ticket) error {
	k := key(u64(userID), u64(t.ID))
	latest := t.CreatedAt
	if t.LastInboundAt.After(latest) {
		latest = t.LastInboundAt
	}
	var fresh bool
	err := s.db.view(ctx, func(tx *Tx) error {
		v := tx.Bucket(bucketSeen).Get(k)
		fresh = len(v) == 8 && int64(btou64(v)) >= latest.UnixNano()
		return nil
	})
	if err != nil || fresh {
		return err
	}
	return s.db.update(ctx, func(tx *Tx) error {
		if err := tx.Bucket(bucketSeen).Put(k, timeKey(tx.now)); err != nil {
			return fmt.Errorf("mark ticket %d seen by user %d: %w", t.ID, userID, err)
		}
		return nil
	})
}

// FindSeen returns when the user last opened each of ids, and when markers began.
func (s *SeenService) FindSeen(ctx context.Context, userID uint64, ids []uint64) (ticket.Seen, error) {
	seen := ticket.Seen{At: make(map[uint64]time.Time, len(ids))}
	err := s.db.view(ctx, func(tx *Tx) error {
		v := tx.Bucket(bucketMeta).Get(keyMarkersSince)
		if len(v) != 8 {
			return fmt.Errorf("find seen tickets: %s missing from meta", keyMarkersSince)
		}
		seen.Since = time.Unix(0, int64(btou64(v))).UTC()
		b := tx.Bucket(bucketSeen)
		for _, id := range ids {
			if v := b.Get(key(u64(userID), u64(id))); len(v) == 8 {
				seen.At[id] = time.Unix(0, int64(btou64(v))).UTC()
			}
		}
		return nil
	})
	return seen, err
}

// stampMarkersSince records, once, when the inbox's markers begin: nothing that happened
// before is marked new to anyone, so an upgrade does not mark every old ticket.
func (db *DB) stampMarkersSince(meta *bolt.Bucket) error {
	if meta.Get(keyMarkersSince) != nil {
		return nil
	}
	return meta.Put(keyMarkersSince, timeKey(db.now()))
}

// forgetSeen removes what every user saw of a deleted ticket: one seek per user who has seen
// anything, never a walk over what they saw.
func (tx *Tx) forgetSeen(ticketID uint64) error {
	b := tx.Bucket(bucketSeen)
	var users [][]byte
	c := b.Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Seek(u64(btou64(k) + 1)) {
		users = append(users, copyBytes(k[:8]))
		if btou64(k) == ^uint64(0) {
			break
		}
	}
	for _, u := range users {
		if err := b.Delete(key(u, u64(ticketID))); err != nil {
			return fmt.Errorf("forget seen ticket %d: %w", ticketID, err)
		}
	}
	return nil
}

// OpenTicket records that the user opened t, in one commit: the audit event (every opening is
// in the audit log, by the actor of ctx) and, when it changes a marker, the time seen. The
// ticket page would otherwise pay two commits, each an fsync, for every opening.
func (s *EventService) OpenTicket(ctx context.Context, userID uint64, t *ticket.Ticket, detail string) error {
	actor := ticket.ActorFromContext(ctx).Name
	k := key(u64(userID), u64(t.ID))
	latest := t.CreatedAt
	if t.LastInboundAt.After(latest) {
		latest = t.LastInboundAt
	}
	return s.db.update(ctx, func(tx *Tx) error {
		if err := tx.addEvent(t.ID, ticket.EventOpened, actor, "", "", detail); err != nil {
			return err
		}
		if v := tx.Bucket(bucketSeen).Get(k); len(v) == 8 && int64(btou64(v)) >= latest.UnixNano() {
			return nil
		}
		if err := tx.Bucket(bucketSeen).Put(k, timeKey(tx.now)); err != nil {
			return fmt.Errorf("mark ticket %d seen by user %d: %w", t.ID, userID, err)
		}
		return nil
	})
}
