package main

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/data"
)

// TestScheduledBackups checks the schedule and the pruning on a real file with a clock the test
// sets: the first copy is due at once, the next Every after the newest on disk (also after a
// restart), and only the newest Keep of this job's copies stay; other files are left alone.
func TestScheduledBackups(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "var", "digihjelpen.db")
	seedTicket(t, dbPath)
	db := data.NewDB(dbPath)
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	dir := filepath.Join(t.TempDir(), "kopier")
	os.MkdirAll(dir, 0o700)
	foreign := []string{"notater.txt", "annen-20260101T000000Z.db", "digihjelpen-i-går.db"}
	for _, f := range foreign {
		os.WriteFile(filepath.Join(dir, f), []byte("x"), 0o600)
	}
	now := time.Date(2026, 12, 1, 3, 0, 0, 0, time.UTC)
	b := &scheduledBackups{DB: db, Dir: dir, Every: 24 * time.Hour, Keep: 3, Log: slog.New(slog.DiscardHandler), Now: func() time.Time { return now }}
	ctx := context.Background()
	if wait, err := b.untilDue(); err != nil || wait != 0 {
		t.Fatalf("first backup due in %v (%v), want at once", wait, err)
	}
	for day := range 5 {
		if err := b.once(ctx); err != nil {
			t.Fatal(err)
		}
		now = now.Add(time.Hour)
		if wait, _ := b.untilDue(); wait != 23*time.Hour {
			t.Fatalf("after backup %d: next due in %v, want 23h", day, wait)
		}
		now = now.Add(23 * time.Hour)
	}
	list, _ := b.list()
	var names []string
	for _, p := range list {
		names = append(names, filepath.Base(p))
	}
	if want := "digihjelpen-20261203T030000Z.db digihjelpen-20261204T030000Z.db digihjelpen-20261205T030000Z.db"; strings.Join(names, " ") != want {
		t.Errorf("kept %v, want %s", names, want)
	}
	for _, f := range foreign {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("%s was touched: %v", f, err)
		}
	}
	restarted := &scheduledBackups{DB: db, Dir: dir, Every: 24 * time.Hour, Keep: 3, Log: b.Log, Now: func() time.Time { return now.Add(-2 * time.Hour) }}
	if wait, _ := restarted.untilDue(); wait != 2*time.Hour {
		t.Errorf("after a restart the next is due in %v, want 2h", wait)
	}
	if last, _ := restarted.State(); !last.Equal(time.Date(2026, 12, 5, 3, 0, 0, 0, time.UTC)) {
		t.Errorf("last success after a restart: %v", last)
	}
	if got := storeSummary(t, list[2]); !strings.Contains(got, "tickets 1") {
		t.Errorf("the backup holds %s", got)
	}
}

// TestScheduledBackupsRun: the job writes its first copy at once and stops at once; a folder
// that cannot be made fails the run with the key to look at (the job runner logs it and starts
// the job again).
func TestScheduledBackupsRun(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "d.db")
	db := data.NewDB(dbPath)
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	logs := &syncBuffer{}
	dir := filepath.Join(t.TempDir(), "kopier")
	b := &scheduledBackups{DB: db, Dir: dir, Every: time.Hour, Keep: 2, Log: slog.New(slog.NewTextHandler(logs, nil)), Now: time.Now}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.Run(ctx) }()
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if last, _ := b.State(); !last.IsZero() {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no backup written:\n%s", logs)
		}
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(time.Second):
		t.Fatal("the job did not stop within a second")
	}
	if list, _ := b.list(); len(list) != 1 {
		t.Fatalf("backups %v", list)
	}
	if info, _ := os.Stat(dir); info.Mode().Perm() != 0o700 {
		t.Errorf("backup folder mode %v, want 0700", info.Mode().Perm())
	}

	b.Dir = filepath.Join(dbPath, "ikke-en-mappe") // beneath a file: cannot be made
	if err := b.Run(context.Background()); err == nil || !strings.Contains(err.Error(), "backup.dir") {
		t.Errorf("a folder that cannot be made: %v", err)
	}
}
