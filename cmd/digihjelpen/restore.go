package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"github.com/ks-no/digihjelpen/data"
)

// runRestore puts a backup in place of the database, with the server stopped:
//
//	digihjelpen restore FILE
//
// The backup is copied beside the database and checked there before anything is replaced: it
// must open as this program's database (an older schema is migrated now, a newer one is
// refused), pass bbolt's page check and data.Verify (every index and counter agrees with the
// records). Only then is the database renamed to <path>.before-restore-<time> (kept, never
// deleted) and the checked copy renamed into its place. The backup file itself is not changed.
func runRestore(ctx context.Context, args []string, e env) error {
	fs, configPath := newFlags("restore", e)
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return fmt.Errorf("%w: expected «restore FILE»", errUsage)
	}
	dbPath, err := LoadStoragePath(*configPath, e.environ) // secrets are not needed to replace the file
	if err != nil {
		return err
	}
	if conn, err := dialControl(socketPath(dbPath)); err == nil {
		conn.Close()
		return fmt.Errorf("serveren kjører på %s. Stopp den først (for eksempel «systemctl stop digihjelpen»), og kjør restore igjen", dbPath)
	}
	unlock, err := lockDatabase(dbPath)
	if err != nil {
		return err
	}
	defer unlock()
	fmt.Fprintf(e.stdout, "Kontrollerer %s …\n", rest[0])
	tmp, summary, err := checkedCopy(ctx, rest[0], dbPath)
	if err != nil {
		return err
	}
	defer os.Remove(tmp) // renamed into place when all went well
	old, err := swapIn(tmp, dbPath)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Sikkerhetskopien er kontrollert (%s) og lagt på plass som %s.\n", summary, dbPath)
	if old != "" {
		fmt.Fprintf(e.stdout, "Den forrige databasen er beholdt som %s.\n", old)
	}
	fmt.Fprintln(e.stdout, "Start serveren igjen (for eksempel «systemctl start digihjelpen»).")
	return nil
}

// lockDatabase takes the lock bbolt takes, so neither a server nor a command can open the
// database while it is replaced. A missing database needs no lock.
func lockDatabase(path string) (unlock func(), err error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return func() {}, os.MkdirAll(filepath.Dir(path), 0o700)
	} else if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, fmt.Errorf("%s er i bruk av en annen prosess (en server som starter eller stopper, eller en annen kommando); prøv igjen når den er ferdig", path)
	}
	return func() { f.Close() }, nil
}

// checkedCopy copies the backup beside the database and checks the copy; it returns the copy
// and a summary of what it holds.
func checkedCopy(ctx context.Context, backup, dbPath string) (tmp, summary string, err error) {
	src, err := os.Open(backup)
	if err != nil {
		return "", "", fmt.Errorf("les sikkerhetskopien: %w", err)
	}
	defer src.Close()
	dst, err := os.CreateTemp(filepath.Dir(dbPath), "."+filepath.Base(dbPath)+".restore-*")
	if err != nil {
		return "", "", fmt.Errorf("copy the backup beside the database: %w", err)
	}
	tmp = dst.Name()
	_, err = io.Copy(dst, src)
	if err == nil {
		err = dst.Sync()
	}
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
		return "", "", fmt.Errorf("copy the backup beside the database: %w", err)
	}
	if summary, err = checkDatabase(ctx, tmp); err != nil {
		os.Remove(tmp)
		return "", "", fmt.Errorf("%s kan ikke brukes som database, ingenting er endret: %w", backup, err)
	}
	return tmp, summary, nil
}

// checkDatabase opens path as the server would (migrating an older schema) and checks it.
// bbolt panics on some damaged pages; that is a damaged backup, not a crash.
func checkDatabase(ctx context.Context, path string) (summary string, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("the file is damaged: %v", p)
		}
	}()
	if err := data.CheckFile(path); err != nil {
		return "", err
	}
	db := data.NewDB(path)
	if err := db.Open(); err != nil {
		return "", err
	}
	defer db.Close()
	if err := db.CheckPages(ctx); err != nil {
		return "", err
	}
	if err := db.Verify(ctx); err != nil {
		return "", fmt.Errorf("the indexes do not agree with the records: %w", err)
	}
	st, err := db.Stats(ctx)
	if err != nil {
		return "", err
	}
	users, err := data.NewUserService(db).CountUsers(ctx)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%d saker, %d brukere, skjemaversjon %d", st.Tickets, users, data.SchemaVersion()), nil
}

// swapIn renames the database out of the way (when there is one) and the checked copy into
// its place, and makes both renames durable.
func swapIn(tmp, dbPath string) (old string, err error) {
	if _, err := os.Stat(dbPath); err == nil {
		old = fmt.Sprintf("%s.before-restore-%s", dbPath, time.Now().UTC().Format("20060102T150405Z"))
		if err := os.Rename(dbPath, old); err != nil {
			return "", fmt.Errorf("keep the old database: %w", err)
		}
	}
	if err := os.Rename(tmp, dbPath); err != nil {
		if old != "" {
			os.Rename(old, dbPath) // put it back: the server must find a database
		}
		return "", fmt.Errorf("put the backup in place: %w", err)
	}
	if dir, err := os.Open(filepath.Dir(dbPath)); err == nil {
		dir.Sync()
		dir.Close()
	}
	return old, nil
}
