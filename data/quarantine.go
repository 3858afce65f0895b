package data

import (
	"context"
	"fmt"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

// The quarantine: mail intake could not or should not turn into a ticket, kept raw for staff.
var (
	bucketQuarantine    = []byte("quarantine")         // id -> quarantine record
	bucketQuarantineRaw = []byte("quarantine_raw")     // id -> raw source (or only its header)
	idxQuarantineMID    = []byte("idx_quarantine_mid") // Message-ID -> id
	// The page lists by reason, newest first, with counts: an index and counters keep that a
	// few reads however many mails wait.
	idxQuarantineReason = []byte("idx_quarantine_reason") // reason | 0 | id
	bucketQuarantineN   = []byte("quarantine_counts")     // reason -> number of entries
)

func init() {
	registerBuckets(bucketQuarantine, bucketQuarantineRaw, idxQuarantineMID, idxQuarantineReason, bucketQuarantineN)
}

type quarantineRecord struct {
	ID         uint64    `json:"id"`
	Reason     string    `json:"r"`
	Detail     string    `json:"d,omitempty"`
	From       string    `json:"from,omitempty"`
	Subject    string    `json:"subj,omitempty"`
	MessageID  string    `json:"mid,omitempty"`
	Size       int64     `json:"size"`
	Source     string    `json:"src,omitempty"`
	Truncated  bool      `json:"trunc,omitempty"`
	ReceivedAt time.Time `json:"at"`
	Attempts   int       `json:"n,omitempty"`
	LastTry    time.Time `json:"last,omitzero"`
}

func (r *quarantineRecord) mail() *ticket.QuarantinedMail {
	return &ticket.QuarantinedMail{
		ID: r.ID, Reason: ticket.QuarantineReason(r.Reason), Detail: r.Detail, From: r.From, Subject: r.Subject,
		MessageID: r.MessageID, Size: r.Size, Source: r.Source, Truncated: r.Truncated, ReceivedAt: r.ReceivedAt,
		Attempts: r.Attempts, LastTry: r.LastTry,
	}
}

// hold puts the mail in quarantine with the reason, or, when it already comes from there (a
// retry that failed again), updates that entry.
func (s *IntakeService) hold(tx *Tx, it ticket.IngestItem, reason ticket.QuarantineReason, detail string) (ticket.IntakeResult, error) {
	m := it.Mail
	if m == nil || m.Message == nil {
		m = &ticket.InboundMail{Message: &ticket.Message{}}
	}
	msg := m.Message
	res := ticket.IntakeResult{Outcome: ticket.IntakeQuarantined, Reason: reason}
	if id := it.Options.QuarantineID; id != 0 {
		r, err := tx.findQuarantine(id)
		if err != nil {
			return res, err
		}
		old := *r
		r.Reason, r.Detail, r.Attempts, r.LastTry = string(reason), detail, r.Attempts+1, tx.now
		res.QuarantineID = id
		return res, tx.putQuarantineRecord(&old, r)
	}
	b := tx.Bucket(bucketQuarantine)
	id, err := b.NextSequence()
	if err != nil {
		return res, fmt.Errorf("next quarantine id: %w", err)
	}
	size := m.Size
	if size == 0 {
		size = int64(len(msg.Raw))
	}
	r := &quarantineRecord{
		ID: id, Reason: string(reason), Detail: detail, From: msg.From, Subject: msg.Subject,
		MessageID: ticket.NormalizeMessageID(msg.MessageID), Size: size, Source: m.Source, Truncated: m.Truncated,
		ReceivedAt: tx.now,
	}
	if err := tx.putQuarantineRecord(nil, r); err != nil {
		return res, err
	}
	if err := tx.Bucket(bucketQuarantineRaw).Put(u64(id), msg.Raw); err != nil {
		return res, fmt.Errorf("put quarantined mail %d: %w", id, err)
	}
	if r.MessageID != "" {
		if err := tx.Bucket(idxQuarantineMID).Put([]byte(r.MessageID), u64(id)); err != nil {
			return res, fmt.Errorf("index quarantined mail %d: %w", id, err)
		}
	}
	res.QuarantineID = id
	return res, nil
}

// putQuarantineRecord writes r and moves its reason index entry and counter from old (nil for
// a new entry).
func (tx *Tx) putQuarantineRecord(old, r *quarantineRecord) error {
	if old != nil {
		if err := tx.unindexQuarantine(old); err != nil {
			return err
		}
	}
	buf, err := encode(r)
	if err != nil {
		return err
	}
	if err := tx.Bucket(bucketQuarantine).Put(u64(r.ID), buf); err != nil {
		return fmt.Errorf("put quarantine record %d: %w", r.ID, err)
	}
	if err := tx.Bucket(idxQuarantineReason).Put(key(str0(r.Reason), u64(r.ID)), nil); err != nil {
		return fmt.Errorf("index quarantine record %d: %w", r.ID, err)
	}
	return tx.addQuarantineCount(r.Reason, 1)
}

func (tx *Tx) unindexQuarantine(r *quarantineRecord) error {
	if err := tx.Bucket(idxQuarantineReason).Delete(key(str0(r.Reason), u64(r.ID))); err != nil {
		return fmt.Errorf("unindex quarantine record %d: %w", r.ID, err)
	}
	return tx.addQuarantineCount(r.Reason, -1)
}

func (tx *Tx) addQuarantineCount(reason string, delta int64) error {
	b := tx.Bucket(bucketQuarantineN)
	n := int64(btou64(b.Get([]byte(reason)))) + delta
	switch {
	case n < 0:
		return fmt.Errorf("quarantine count of %s would be negative", reason)
	case n == 0:
		return b.Delete([]byte(reason))
	}
	return b.Put([]byte(reason), u64(uint64(n)))
}

func (tx *Tx) findQuarantine(id uint64) (*quarantineRecord, error) {
	v := tx.Bucket(bucketQuarantine).Get(u64(id))
	if v == nil {
		return nil, notFound("e-posten i karantene")
	}
	var r quarantineRecord
	if err := decode(v, &r); err != nil {
		return nil, fmt.Errorf("quarantine %d: %w", id, err)
	}
	return &r, nil
}

// deleteQuarantine removes an entry, its source and its index entry.
func (tx *Tx) deleteQuarantine(id uint64) error {
	r, err := tx.findQuarantine(id)
	if err != nil {
		return err
	}
	if r.MessageID != "" {
		if v := tx.Bucket(idxQuarantineMID).Get([]byte(r.MessageID)); btou64(v) == id {
			if err := tx.Bucket(idxQuarantineMID).Delete([]byte(r.MessageID)); err != nil {
				return fmt.Errorf("unindex quarantined mail %d: %w", id, err)
			}
		}
	}
	if err := tx.Bucket(bucketQuarantineRaw).Delete(u64(id)); err != nil {
		return fmt.Errorf("delete quarantined source %d: %w", id, err)
	}
	if err := tx.unindexQuarantine(r); err != nil {
		return err
	}
	return tx.Bucket(bucketQuarantine).Delete(u64(id))
}

// isDuplicate reports whether a mail with messageID is stored, was deleted, or waits in
// quarantine (other than the entry it is retried from).
func (tx *Tx) isDuplicate(messageID string, fromQuarantine uint64) bool {
	if messageID == "" {
		return false
	}
	k := []byte(messageID)
	if tx.Bucket(idxMessageID).Get(k) != nil || tx.isTombstoned(messageID) {
		return true
	}
	v := tx.Bucket(idxQuarantineMID).Get(k)
	return v != nil && btou64(v) != fromQuarantine
}

// QuarantinedSource returns an entry with its stored source, for intake to read again. Pages
// use FindQuarantinedRaw, which records the view.
func (s *IntakeService) QuarantinedSource(ctx context.Context, id uint64) (*ticket.QuarantinedMail, []byte, error) {
	var q *ticket.QuarantinedMail
	var raw []byte
	err := s.db.view(ctx, func(tx *Tx) error {
		r, err := tx.findQuarantine(id)
		if err != nil {
			return err
		}
		q, raw = r.mail(), copyBytes(tx.Bucket(bucketQuarantineRaw).Get(u64(id)))
		return nil
	})
	return q, raw, err
}
