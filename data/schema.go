package data

import (
	"encoding/binary"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// Buckets. Records are keyed by big-endian ids; index buckets hold composite keys with empty
// values (except where a key maps to an id) and change old-out, new-in with their record.
var (
	bucketMeta     = []byte("meta")     // schema version, secrets, reference counters
	bucketTickets  = []byte("tickets")  // id -> ticket record
	bucketMessages = []byte("messages") // ticket id | seq -> message record
	bucketRaw      = []byte("raw")      // ticket id | seq -> raw mail source
	bucketBlobs    = []byte("blobs")    // sha256 -> attachment bytes (stored once per content)
	bucketEvents   = []byte("events")   // ticket id | event id -> event record
	bucketUsers    = []byte("users")    // id -> user record
	bucketSessions = []byte("sessions") // session id -> session record
	bucketTokens   = []byte("tokens")   // token id -> token record
	bucketOutbox   = []byte("outbox")   // mail id -> outbound mail record
	bucketCounts   = []byte("counts")   // status | 0 | agency -> number of tickets

	idxStatusAgencyUpdated = []byte("idx_status_agency_updated") // status|0|agency|0|updated|id
	idxStatusUpdated       = []byte("idx_status_updated")        // status|0|updated|id
	idxUpdated             = []byte("idx_updated")               // updated|id
	idxCreated             = []byte("idx_created")               // created|id
	idxRequester           = []byte("idx_requester")             // email|0|id
	idxMessageID           = []byte("idx_message_id")            // Message-ID -> ticket id|seq
	idxRef                 = []byte("idx_ref")                   // "DH-2026-0042" -> ticket id
	idxToken               = []byte("idx_token")                 // status token -> ticket id
	idxUserEmail           = []byte("idx_user_email")            // email -> user id
	idxOutboxDue           = []byte("idx_outbox_due")            // next try|mail id, queued mail only
	idxPerson              = []byte("idx_person")                // email|0|id: requester and participants
)

var allBuckets = [][]byte{
	bucketMeta, bucketTickets, bucketMessages, bucketRaw, bucketBlobs, bucketEvents, bucketUsers,
	bucketSessions, bucketTokens, bucketOutbox, bucketCounts,
	idxStatusAgencyUpdated, idxStatusUpdated, idxUpdated, idxCreated, idxRequester, idxMessageID,
	idxRef, idxToken, idxUserEmail, idxOutboxDue, idxPerson,
}

// registerBuckets lets other files of this package (intake, routing versions, statistics) add
// their buckets at init time, so Open creates them with the rest.
func registerBuckets(names ...[]byte) { allBuckets = append(allBuckets, names...) }

var keySchemaVersion = []byte("schema_version")

// migrations[i] brings the schema from version i to i+1. Append, never edit: a released
// database has run the ones before.
var migrations = []func(tx *bolt.Tx) error{
	func(*bolt.Tx) error { return nil }, // 0 -> 1: the buckets themselves
	indexOpenReferrals,                  // 1 -> 2: idx_referral_open for tickets stored before it
	migrateFacets,                       // 2 -> 3: facet and deadline indexes of the inbox filters
	migrateSearchQueue,                  // 3 -> 4: queue every ticket for the full-text index
	migrateStats,                        // 4 -> 5: statistics facts and counters of every ticket
	migrateAckTemplates,                 // 5 -> 6: the one acknowledgement becomes the default of named templates
	migrateSearchQueue,                  // 6 -> 7: index again, with the word pairs of phrase search
	migrateAccounts,                     // 7 -> 8: sign-in with SSO, two-factor, reset links (account.go)
	indexRoutingLabels,                  // 8 -> 9: idx_routing_label, the routing model's training data
	migrateAgencyEdits,                  // 9 -> 10: agencies edited at /admin/etater, reply drafts (agency.go, draft.go)
	migrateMarkers,                      // 10 -> 11: previews and last inbound time on tickets; markers, notifications (seen.go, notify.go)
	migratePrivacy,                      // 11 -> 12: idx_person and idx_event_time for tickets and events stored before them (privacy_migrate.go)
	migrateStats,                        // 12 -> 13: statistics facts again, with topic, tags and article links (issue 16)
	migrateChunks,                       // 13 -> 14: large files and sources stored in chunks (chunks.go)
	migratePreviews,                     // 14 -> 15: previews on tickets stored before schema 11 (preview_migrate.go)
}

// migrateAgencyEdits changes no record: the buckets of edited agencies and of reply drafts are
// created with the others. The step keeps an older program from opening the file, where it
// would refer tickets to the configured addresses instead of those administrators saved.
func migrateAgencyEdits(*bolt.Tx) error { return nil }

// migrateAccounts changes no record: the new buckets are created with the others, and old user
// records read as local accounts without two-factor. The version step matters by itself: an
// older program, which knows no two-factor, refuses the file instead of letting a password
// alone sign in to an account that has a second factor.
func migrateAccounts(*bolt.Tx) error { return nil }

// migrateMarkers changes no record; the notification, marker, saved-view and search buckets
// are created with the others. The version step matters by itself: a ticket record now keeps
// the preview of its latest message and when someone outside last wrote, which an older
// program would drop when it rewrites the record, so it must refuse the file. When the inbox's
// markers begin is stamped by migrate, with the database's clock (stampMarkersSince).
func migrateMarkers(*bolt.Tx) error { return nil }

// SchemaVersion is the version a database has after Open.
func SchemaVersion() int { return len(migrations) }

func (db *DB) migrate() error {
	return db.bolt.Update(func(tx *bolt.Tx) error {
		for _, name := range allBuckets {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return fmt.Errorf("create bucket %s: %w", name, err)
			}
		}
		meta := tx.Bucket(bucketMeta)
		version := 0
		if v := meta.Get(keySchemaVersion); len(v) == 8 {
			version = int(binary.BigEndian.Uint64(v))
		}
		if version > len(migrations) {
			return fmt.Errorf("database schema version %d is newer than this program (%d); upgrade digihjelpen", version, len(migrations))
		}
		for ; version < len(migrations); version++ {
			if err := migrations[version](tx); err != nil {
				return fmt.Errorf("migration %d -> %d: %w", version, version+1, err)
			}
		}
		if err := db.stampMarkersSince(meta); err != nil {
			return err
		}
		return meta.Put(keySchemaVersion, u64(uint64(version)))
	})
}

// checkVersion refuses a read-only file whose schema differs from this program's.
func (db *DB) checkVersion() error {
	return db.bolt.View(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if meta == nil || btou64(meta.Get(keySchemaVersion)) != uint64(len(migrations)) {
			return fmt.Errorf("open %s read-only: schema is not version %d; open it once read-write to migrate", db.Path, len(migrations))
		}
		return nil
	})
}
