package data

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

// RetentionService implements ticket.RetentionService: it anonymises closed tickets.
type RetentionService struct {
	db *DB
	// Default is the retention period until an admin sets one ([retention] anonymise_after).
	Default time.Duration
}

var _ ticket.RetentionService = (*RetentionService)(nil)

// NewRetentionService returns the anonymiser of db.
func NewRetentionService(db *DB) *RetentionService { return &RetentionService{db: db} }

var (
	// keyRetentionDone is the last idx_status_updated key (under "lukket") already anonymised.
	// Every change to a ticket moves its update time to now, after any cutoff, so a closed
	// ticket can never appear behind this point again; each run starts where the last stopped.
	keyRetentionDone = []byte("retention/done")
	keyRetentionRun  = []byte("retention/last_run")
)

// anonymiseBatch is how many tickets one write transaction anonymises, so that intake and
// staff never wait long for the write lock.
const anonymiseBatch = 100

type retentionRunRecord struct {
	At         int64 `json:"at"`
	Cutoff     int64 `json:"cut"`
	Anonymised int   `json:"n"`
	Total      int   `json:"total"`
}

// AnonymiseClosedBefore anonymises closed tickets not changed since cutoff; see
// ticket.RetentionService. Afterwards the files nothing holds any more are deleted and the
// freed pages of the file are overwritten (ScrubFreePages), so what was forgotten is gone from
// the file and from every backup taken after it, not only from the records.
func (s *RetentionService) AnonymiseClosedBefore(ctx context.Context, cutoff time.Time) (ticket.RetentionRun, error) {
	run := ticket.RetentionRun{Cutoff: cutoff.UTC()}
	f := newForgetting()
	for {
		var more bool
		err := s.db.update(ctx, func(tx *Tx) (err error) {
			more, err = tx.anonymiseBatch(cutoff, f)
			return err
		})
		if err != nil {
			return run, fmt.Errorf("anonymise: %w", err)
		}
		if !more {
			break
		}
	}
	if err := s.db.sweepBlobs(ctx, f.blobs); err != nil {
		return run, fmt.Errorf("anonymise: %w", err)
	}
	err := s.db.update(ctx, func(tx *Tx) error {
		last, err := tx.lastRetentionRun()
		if err != nil {
			return err
		}
		run.At, run.Anonymised, run.Total = tx.now, f.whole, last.Total+f.whole
		buf, err := encode(retentionRunRecord{At: run.At.UnixNano(), Cutoff: run.Cutoff.UnixNano(), Anonymised: run.Anonymised, Total: run.Total})
		if err != nil {
			return err
		}
		return tx.Bucket(bucketMeta).Put(keyRetentionRun, buf)
	})
	if err != nil {
		return run, fmt.Errorf("anonymise: %w", err)
	}
	if run.Anonymised > 0 {
		if run.Overwritten, err = s.db.ScrubFreePages(ctx); err != nil && !errors.Is(err, errReadersBusy) {
			return run, fmt.Errorf("anonymise: %w", err)
		}
	}
	return run, nil // with readers busy (a long backup), the daily job's own scrub tries again
}

// sweepBlobs deletes the attachment bytes of blobs that no message or mail refers to any more:
// a read-only scan first, then a short write transaction for what changed since.
func (db *DB) sweepBlobs(ctx context.Context, blobs map[string]bool) error {
	if len(blobs) == 0 {
		return nil
	}
	var sw sweep
	err := db.view(ctx, func(tx *Tx) (err error) {
		sw, err = tx.scanSweep(blobs)
		return err
	})
	if err != nil {
		return err
	}
	return db.update(ctx, func(tx *Tx) error { return tx.finishSweep(sw, blobs) })
}

// anonymiseBatch anonymises up to anonymiseBatch tickets after the checkpoint and reports
// whether there may be more.
func (tx *Tx) anonymiseBatch(cutoff time.Time, f *forgetting) (bool, error) {
	meta := tx.Bucket(bucketMeta)
	batch := tx.retentionCandidates(cutoff, anonymiseBatch)
	for _, k := range batch { // change after iterating, never during
		id := btou64(k[len(k)-8:])
		if err := tx.forgetTicket(id, nil, true, "personopplysninger slettet etter oppbevaringstiden", f); err != nil {
			return false, err
		}
	}
	if len(batch) == 0 {
		return false, nil
	}
	if err := tx.reindexNow(f); err != nil {
		return false, err
	}
	return len(batch) == anonymiseBatch, meta.Put(keyRetentionDone, batch[len(batch)-1])
}

// retentionCandidates returns up to limit idx_status_updated keys of closed tickets, after the
// checkpoint and before cutoff: what the next run takes, in the order it takes them.
func (tx *Tx) retentionCandidates(cutoff time.Time, limit int) [][]byte {
	var batch [][]byte
	tx.eachRetentionCandidate(cutoff, func(k []byte) bool {
		batch = append(batch, copyBytes(k))
		return len(batch) < limit
	})
	return batch
}

// eachRetentionCandidate calls fn with the idx_status_updated keys of the closed tickets after
// the checkpoint and before cutoff, while fn says to go on.
func (tx *Tx) eachRetentionCandidate(cutoff time.Time, fn func(k []byte) bool) {
	prefix := str0(string(ticket.StatusClosed))
	end := key(prefix, timeKey(cutoff))
	c := tx.Bucket(idxStatusUpdated).Cursor()
	k, _ := c.Seek(prefix)
	if done := tx.Bucket(bucketMeta).Get(keyRetentionDone); done != nil {
		if k, _ = c.Seek(done); k != nil && bytes.Equal(k, done) {
			k, _ = c.Next()
		}
	}
	for ; k != nil && bytes.HasPrefix(k, prefix) && bytes.Compare(k, end) < 0; k, _ = c.Next() {
		if !fn(k) {
			return
		}
	}
}

func (tx *Tx) lastRetentionRun() (ticket.RetentionRun, error) {
	v := tx.Bucket(bucketMeta).Get(keyRetentionRun)
	if v == nil {
		return ticket.RetentionRun{}, nil
	}
	var r retentionRunRecord
	if err := decode(v, &r); err != nil {
		return ticket.RetentionRun{}, fmt.Errorf("last retention run: %w", err)
	}
	return ticket.RetentionRun{At: time.Unix(0, r.At).UTC(), Cutoff: time.Unix(0, r.Cutoff).UTC(), Anonymised: r.Anonymised, Total: r.Total}, nil
}

// LastRetentionRun returns what the last run did.
func (s *RetentionService) LastRetentionRun(ctx context.Context) (ticket.RetentionRun, error) {
	var run ticket.RetentionRun
	err := s.db.view(ctx, func(tx *Tx) (err error) {
		run, err = tx.lastRetentionRun()
		return err
	})
	return run, err
}
