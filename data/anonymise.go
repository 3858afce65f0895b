package data

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

// RetentionService implements ticket.RetentionService: it anonymises closed tickets.
type RetentionService struct {
	db *DB
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
const anonymiseBatch = 200

type retentionRunRecord struct {
	At         int64 `json:"at"`
	Cutoff     int64 `json:"cut"`
	Anonymised int   `json:"n"`
	Total      int   `json:"total"`
}

// AnonymiseClosedBefore anonymises closed tickets not changed since cutoff; see
// ticket.RetentionService.
func (s *RetentionService) AnonymiseClosedBefore(ctx context.Context, cutoff time.Time) (ticket.RetentionRun, error) {
	run := ticket.RetentionRun{Cutoff: cutoff.UTC()}
	ids := map[uint64]bool{}
	blobs := map[string]bool{}
	for {
		var more bool
		err := s.db.update(ctx, func(tx *Tx) (err error) {
			more, err = tx.anonymiseBatch(cutoff, ids, blobs)
			return err
		})
		if err != nil {
			return run, fmt.Errorf("anonymise: %w", err)
		}
		if !more {
			break
		}
	}
	var sw sweep
	err := s.db.view(ctx, func(tx *Tx) (err error) {
		sw, err = tx.scanSweep(ids, blobs)
		return err
	})
	if err != nil {
		return run, fmt.Errorf("anonymise: %w", err)
	}
	err = s.db.update(ctx, func(tx *Tx) error {
		if err := tx.finishSweep(sw, blobs); err != nil {
			return err
		}
		last, err := tx.lastRetentionRun()
		if err != nil {
			return err
		}
		run.At, run.Anonymised, run.Total = tx.now, len(ids), last.Total+len(ids)
		buf, err := encode(retentionRunRecord{At: run.At.UnixNano(), Cutoff: run.Cutoff.UnixNano(), Anonymised: run.Anonymised, Total: run.Total})
		if err != nil {
			return err
		}
		return tx.Bucket(bucketMeta).Put(keyRetentionRun, buf)
	})
	if err != nil {
		return run, fmt.Errorf("anonymise: %w", err)
	}
	return run, nil
}

// anonymiseBatch anonymises up to anonymiseBatch tickets after the checkpoint and reports
// whether there may be more.
func (tx *Tx) anonymiseBatch(cutoff time.Time, ids map[uint64]bool, blobs map[string]bool) (bool, error) {
	meta := tx.Bucket(bucketMeta)
	prefix := str0(string(ticket.StatusClosed))
	end := key(prefix, timeKey(cutoff))
	done := copyBytes(meta.Get(keyRetentionDone))
	var batch [][]byte
	c := tx.Bucket(idxStatusUpdated).Cursor()
	k, _ := c.Seek(prefix)
	if done != nil {
		if k, _ = c.Seek(done); k != nil && bytes.Equal(k, done) {
			k, _ = c.Next()
		}
	}
	for ; k != nil && bytes.HasPrefix(k, prefix) && bytes.Compare(k, end) < 0 && len(batch) < anonymiseBatch; k, _ = c.Next() {
		batch = append(batch, copyBytes(k))
	}
	for _, k := range batch { // change after iterating, never during
		id := btou64(k[len(k)-8:])
		if err := tx.anonymiseTicket(id, blobs); err != nil {
			return false, err
		}
		ids[id] = true
	}
	if len(batch) == 0 {
		return false, nil
	}
	return len(batch) == anonymiseBatch, meta.Put(keyRetentionDone, batch[len(batch)-1])
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

// people collects the addresses of those outside KS that a ticket holds, lower case.
type people map[string]bool

func (p people) add(addrs ...string) {
	for _, a := range addrs {
		if a = strings.ToLower(strings.TrimSpace(a)); strings.Contains(a, "@") {
			p[a] = true
		}
	}
}

// scrub replaces every address of p in s.
func (p people) scrub(s string) string {
	if s == "" {
		return s
	}
	lower := strings.ToLower(s)
	if len(lower) != len(s) { // a letter changed its length in lower case: match case exactly
		for a := range p {
			s = strings.ReplaceAll(s, a, "[anonymisert]")
		}
		return s
	}
	for a := range p {
		for i := strings.Index(lower, a); i >= 0; i = strings.Index(lower, a) {
			s = s[:i] + "[anonymisert]" + s[i+len(a):]
			lower = lower[:i] + "[anonymisert]" + lower[i+len(a):]
		}
	}
	return s
}
