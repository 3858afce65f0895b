package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/ks-no/digihjelpen/data"
)

// backupRetry is the wait after a failed scheduled backup (a full disk, a folder gone), or
// every when that is shorter.
const backupRetry = 10 * time.Minute

// backupTimeLayout is the time in a scheduled backup's name (UTC): names sort by time.
const backupTimeLayout = "20060102T150405Z"

// scheduledBackups writes a copy of the database into Dir every Every and keeps the newest
// Keep, for [backup]. The copies are named <database name>-<UTC time>.db, so they sort by time
// and the schedule survives restarts: the next copy is due Every after the newest one found.
type scheduledBackups struct {
	DB    *data.DB
	Dir   string
	Every time.Duration
	Keep  int
	Log   *slog.Logger
	Now   func() time.Time

	mu          sync.Mutex
	lastSuccess time.Time
	lastError   string
}

// addBackups adds the scheduled backups to jobs when [backup] dir is set.
func addBackups(jobs *jobRunner, a *app, log *slog.Logger) *scheduledBackups {
	c := a.cfg.Backup
	if c.Dir == "" {
		log.Info("scheduled backups off: backup.dir is empty")
		return nil
	}
	b := &scheduledBackups{DB: a.db, Dir: c.Dir, Every: time.Duration(c.Every), Keep: int(c.Keep),
		Log: log.With("component", "backup"), Now: time.Now}
	jobs.Add("backups", b.Run)
	return b
}

// Run writes backups as they fall due until ctx ends.
func (b *scheduledBackups) Run(ctx context.Context) error {
	if err := os.MkdirAll(b.Dir, 0o700); err != nil {
		return fmt.Errorf("backup.dir: %w", err)
	}
	for {
		wait, err := b.untilDue()
		if err != nil {
			return err
		}
		if wait > 0 {
			b.Log.Info("next scheduled backup", "at", b.Now().Add(wait).Round(time.Second), "dir", b.Dir)
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return nil
		case <-timer.C:
		}
		if err := b.once(ctx); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			b.failed(err)
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(min(backupRetry, b.Every)):
			}
		}
	}
}

// untilDue is the wait until the next backup: Every after the newest, at once when there is
// none or it is older.
func (b *scheduledBackups) untilDue() (time.Duration, error) {
	list, err := b.list()
	if err != nil || len(list) == 0 {
		return 0, err
	}
	newest, _ := b.timeOf(list[len(list)-1])
	b.mu.Lock()
	if b.lastSuccess.IsZero() { // after a restart: the newest on disk
		b.lastSuccess = newest
	}
	b.mu.Unlock()
	return max(0, newest.Add(b.Every).Sub(b.Now())), nil
}

// once writes one backup and removes the oldest beyond Keep.
func (b *scheduledBackups) once(ctx context.Context) error {
	began := b.Now()
	name := filepath.Join(b.Dir, fmt.Sprintf("%s-%s.db", b.stem(), began.UTC().Format(backupTimeLayout)))
	n, err := b.DB.BackupToFile(ctx, name)
	if err != nil {
		return err
	}
	b.mu.Lock()
	b.lastSuccess, b.lastError = b.Now(), ""
	b.mu.Unlock()
	b.Log.Info("scheduled backup written", "file", name, "bytes", n, "took", b.Now().Sub(began).Round(time.Millisecond))
	return b.prune()
}

func (b *scheduledBackups) failed(err error) {
	b.mu.Lock()
	b.lastError = err.Error()
	b.mu.Unlock()
	b.Log.Error("scheduled backup failed; trying again later", "dir", b.Dir, "err", err, "retry_in", min(backupRetry, b.Every))
}

// prune removes the oldest backups beyond Keep; only files named as this job names them.
func (b *scheduledBackups) prune() error {
	list, err := b.list()
	if err != nil {
		return err
	}
	for len(list) > b.Keep {
		if err := os.Remove(list[0]); err != nil {
			return fmt.Errorf("remove old backup: %w", err)
		}
		b.Log.Info("old backup removed", "file", list[0], "keep", b.Keep)
		list = list[1:]
	}
	return nil
}

// list returns the scheduled backups in Dir, oldest first.
func (b *scheduledBackups) list() ([]string, error) {
	entries, err := os.ReadDir(b.Dir)
	if err != nil {
		return nil, fmt.Errorf("backup.dir: %w", err)
	}
	var list []string
	for _, e := range entries {
		if _, ok := b.timeOf(e.Name()); ok && e.Type().IsRegular() {
			list = append(list, filepath.Join(b.Dir, e.Name()))
		}
	}
	slices.Sort(list)
	return list, nil
}

var backupName = regexp.MustCompile(`^(.+)-(\d{8}T\d{6}Z)\.db$`)

// timeOf is the time in the name of one of this job's backups.
func (b *scheduledBackups) timeOf(path string) (time.Time, bool) {
	m := backupName.FindStringSubmatch(filepath.Base(path))
	if m == nil || m[1] != b.stem() {
		return time.Time{}, false
	}
	t, err := time.Parse(backupTimeLayout, m[2])
	return t, err == nil
}

// stem is the database's file name without its extension: digihjelpen for digihjelpen.db.
func (b *scheduledBackups) stem() string {
	base := filepath.Base(b.DB.Path)
	return strings.TrimSuffix(base, filepath.Ext(base))
}

// State is the last success and the last error ("" after a success), for /metrics and the
// admin page.
func (b *scheduledBackups) State() (lastSuccess time.Time, lastError string) {
	if b == nil {
		return time.Time{}, ""
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.lastSuccess, b.lastError
}
