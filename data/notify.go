package data

import (
	"context"
	"fmt"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

// Notifications start where every change is recorded: addEventAt queues each event that
// ticket.NotifyKindOf recognises, in the transaction of the change. The notification job drains
// the queue (DrainNotifications): one transaction reads the queued events with their tickets,
// the staff and their settings and the webhooks, lets the planner (a ticket.NotifyFunc) decide,
// writes the mail, the digest items and the webhook posts to the outbox, and empties the
// queue. A crash before that commit loses nothing and sends nothing twice.
var (
	bucketNotifyQueue    = []byte("notify_queue")    // event id -> event record
	bucketNotifySettings = []byte("notify_settings") // user id -> settings record
	bucketNotifyDigest   = []byte("notify_digest")   // user id|event id -> notification record
	bucketNotifyDue      = []byte("notify_due")      // ticket id -> first-response deadline warned about
)

func init() {
	registerBuckets(bucketNotifyQueue, bucketNotifySettings, bucketNotifyDigest, bucketNotifyDue)
}

// MaxNotifyBatch bounds the events one drain plans together. A burst larger than this (a
// big import) becomes one mail per this many events.
const MaxNotifyBatch = 20_000

// NotifyService implements ticket.NotifyService and drains the notification queue.
type NotifyService struct {
	db *DB
}

var _ ticket.NotifyService = (*NotifyService)(nil)

// NewNotifyService returns the notifications of db.
func NewNotifyService(db *DB) *NotifyService { return &NotifyService{db: db} }

// queueNotification queues the event just written (rec is its record) when it may notify.
// Tickets loaded in bulk (migrations, generated data) notify nobody.
func (tx *Tx) queueNotification(eventID, ticketID uint64, kind ticket.EventKind, from string, rec []byte) error {
	if tx.bulk || ticketID == 0 {
		return nil
	}
	if _, ok := ticket.NotifyKindOf(kind, from); !ok {
		return nil
	}
	if err := tx.Bucket(bucketNotifyQueue).Put(u64(eventID), rec); err != nil {
		return fmt.Errorf("queue notification of event %d: %w", eventID, err)
	}
	if !tx.notified && tx.db.NotifyQueued != nil {
		tx.notified = true
		tx.OnCommit(tx.db.NotifyQueued)
	}
	return nil
}

// PendingNotifications returns how many events wait in the queue.
func (s *NotifyService) PendingNotifications(ctx context.Context) (int, error) {
	var n int
	err := s.db.view(ctx, func(tx *Tx) error {
		n = tx.Bucket(bucketNotifyQueue).Stats().KeyN
		return nil
	})
	return n, err
}

// DrainNotifications plans up to MaxNotifyBatch queued events together and writes what plan
// decides, in one transaction; it returns how many events it took off the queue.
func (s *NotifyService) DrainNotifications(ctx context.Context, plan ticket.NotifyFunc) (int, error) {
	var n int
	err := s.db.update(ctx, func(tx *Tx) error {
		b, keys, err := tx.notifyBatch()
		if err != nil || len(keys) == 0 {
			return err
		}
		p, err := plan(b)
		if err != nil {
			return fmt.Errorf("plan %d notifications: %w", len(keys), err)
		}
		if err := tx.writeNotifyPlan(p); err != nil {
			return err
		}
		q := tx.Bucket(bucketNotifyQueue)
		for _, k := range keys {
			if err := q.Delete(k); err != nil {
				return fmt.Errorf("unqueue notification: %w", err)
			}
		}
		n = len(keys)
		return nil
	})
	return n, err
}

// notifyBatch reads the queue (oldest first) with what the planner needs.
func (tx *Tx) notifyBatch() (ticket.NotifyBatch, [][]byte, error) {
	b := ticket.NotifyBatch{Now: tx.now}
	var keys [][]byte
	tickets := map[uint64]*ticket.Ticket{}
	c := tx.Bucket(bucketNotifyQueue).Cursor()
	for k, v := c.First(); k != nil && len(keys) < MaxNotifyBatch; k, v = c.Next() {
		var r eventRecord
		if err := decode(v, &r); err != nil {
			return b, nil, fmt.Errorf("queued notification %d: %w", btou64(k), err)
		}
		t, ok := tickets[r.TicketID]
		if !ok {
			var err error
			if t, err = tx.findTicket(r.TicketID); ticket.ErrorCode(err) == ticket.ENOTFOUND {
				t = nil // deleted since: nobody is told
			} else if err != nil {
				return b, nil, err
			}
			tickets[r.TicketID] = t
		}
		b.Events = append(b.Events, ticket.NotifyEvent{Event: r.event(), Ticket: t})
		keys = append(keys, copyBytes(k))
	}
	if len(keys) == 0 {
		return b, nil, nil
	}
	var err error
	if b.Users, err = tx.findUsers(); err != nil {
		return b, nil, err
	}
	if b.Settings, err = tx.allNotifySettings(); err != nil {
		return b, nil, err
	}
	if b.Webhooks, err = tx.findWebhooks(); err != nil {
		return b, nil, err
	}
	return b, keys, nil
}

// writeNotifyPlan queues the plan's mail and webhook posts and holds its digest items.
func (tx *Tx) writeNotifyPlan(p ticket.NotifyPlan) error {
	if err := tx.enqueueMails(nil, p.Mails); err != nil {
		return err
	}
	if err := tx.putWebhookPosts(p.Webhooks); err != nil {
		return err
	}
	for userID, items := range p.Digest {
		for _, n := range items {
			if err := tx.holdForDigest(userID, n); err != nil {
				return err
			}
		}
	}
	return nil
}

// notifySettingsRecord is how a user's settings are stored. A user without one has the
// defaults, so an empty Kinds (everything off) differs from "never saved".
type notifySettingsRecord struct {
	Kinds    []string `json:"k"`
	Agencies []string `json:"a,omitempty"`
	Digest   bool     `json:"d,omitempty"`
	Hour     int      `json:"h"`
	SentOn   string   `json:"sent,omitempty"`
}

func toNotifySettingsRecord(s ticket.NotifySettings) notifySettingsRecord {
	r := notifySettingsRecord{Kinds: []string{}, Agencies: s.Agencies, Digest: s.Digest, Hour: s.DigestHour, SentOn: s.DigestSentOn}
	for _, k := range s.Kinds {
		r.Kinds = append(r.Kinds, string(k))
	}
	return r
}

func (r notifySettingsRecord) settings(userID uint64) ticket.NotifySettings {
	s := ticket.NotifySettings{UserID: userID, Agencies: r.Agencies, Digest: r.Digest, DigestHour: r.Hour, DigestSentOn: r.SentOn}
	for _, k := range r.Kinds {
		s.Kinds = append(s.Kinds, ticket.NotifyKind(k))
	}
	return s
}

// FindNotifySettings returns the user's settings, the defaults when none are saved.
func (s *NotifyService) FindNotifySettings(ctx context.Context, userID uint64) (ticket.NotifySettings, error) {
	var out ticket.NotifySettings
	err := s.db.view(ctx, func(tx *Tx) (err error) {
		out, err = tx.notifySettings(userID)
		return err
	})
	return out, err
}

func (tx *Tx) notifySettings(userID uint64) (ticket.NotifySettings, error) {
	v := tx.Bucket(bucketNotifySettings).Get(u64(userID))
	if v == nil {
		return ticket.DefaultNotifySettings(userID), nil
	}
	var r notifySettingsRecord
	if err := decode(v, &r); err != nil {
		return ticket.NotifySettings{}, fmt.Errorf("notification settings of user %d: %w", userID, err)
	}
	return r.settings(userID), nil
}

func (tx *Tx) allNotifySettings() (map[uint64]ticket.NotifySettings, error) {
	out := map[uint64]ticket.NotifySettings{}
	err := tx.Bucket(bucketNotifySettings).ForEach(func(k, v []byte) error {
		var r notifySettingsRecord
		if err := decode(v, &r); err != nil {
			return fmt.Errorf("notification settings of user %d: %w", btou64(k), err)
		}
		out[btou64(k)] = r.settings(btou64(k))
		return nil
	})
	return out, err
}

// SaveNotifySettings stores the settings of s.UserID; the date of the last digest is kept.
func (s *NotifyService) SaveNotifySettings(ctx context.Context, ns ticket.NotifySettings) error {
	return s.db.update(ctx, func(tx *Tx) error {
		if _, err := tx.findUser(ns.UserID); err != nil {
			return err
		}
		old, err := tx.notifySettings(ns.UserID)
		if err != nil {
			return err
		}
		ns.DigestSentOn = old.DigestSentOn
		return tx.putNotifySettings(ns)
	})
}

func (tx *Tx) putNotifySettings(ns ticket.NotifySettings) error {
	buf, err := encode(toNotifySettingsRecord(ns))
	if err != nil {
		return err
	}
	if err := tx.Bucket(bucketNotifySettings).Put(u64(ns.UserID), buf); err != nil {
		return fmt.Errorf("put notification settings of user %d: %w", ns.UserID, err)
	}
	return nil
}

// osloDate is the Oslo calendar date of t, as the digest records it.
func osloDate(t time.Time) string { return t.In(ticket.Oslo).Format(time.DateOnly) }
