package data

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Backup writes a consistent copy of the whole database to w while the server keeps running
// (a read transaction sees one snapshot). It returns the number of bytes written.
func (db *DB) Backup(ctx context.Context, w io.Writer) (int64, error) {
	var n int64
	err := db.view(ctx, func(tx *Tx) (err error) {
		n, err = tx.WriteTo(w)
		return err
	})
	if err != nil {
		return n, fmt.Errorf("backup: %w", err)
	}
	return n, nil
}

// BackupToFile writes the copy to path through a temporary file and a rename, so a crash never
// leaves a half-written backup under the final name.
func (db *DB) BackupToFile(ctx context.Context, path string) (int64, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".backup-*")
	if err != nil {
		return 0, fmt.Errorf("create backup file: %w", err)
	}
	defer os.Remove(tmp.Name())
	n, err := db.Backup(ctx, tmp)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return n, err
	}
	if err := os.Chmod(tmp.Name(), 0o600); err != nil {
		return n, err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return n, fmt.Errorf("rename backup to %s: %w", path, err)
	}
	return n, nil
}

// Secret returns the named server secret (CSRF keys and the like), creating 32 random bytes
// the first time, so that secrets survive restarts without configuration.
func (db *DB) Secret(ctx context.Context, name string) ([]byte, error) {
	var secret []byte
	k := []byte("secret/" + name)
	err := db.view(ctx, func(tx *Tx) error {
		secret = copyBytes(tx.Bucket(bucketMeta).Get(k))
		return nil
	})
	if err != nil || secret != nil {
		return secret, err
	}
	err = db.update(ctx, func(tx *Tx) error {
		if v := tx.Bucket(bucketMeta).Get(k); v != nil { // another goroutine was first
			secret = copyBytes(v)
			return nil
		}
		secret = make([]byte, 32)
		if _, err := rand.Read(secret); err != nil {
			return err
		}
		return tx.Bucket(bucketMeta).Put(k, secret)
	})
	return secret, err
}

// CheckPages runs bbolt's consistency check over every page of the file (no page lost or used
// twice, every branch in order): what a torn or truncated copy fails. It returns the first
// problem and how many there were.
func (db *DB) CheckPages(ctx context.Context) error {
	return db.view(ctx, func(tx *Tx) error {
		var first error
		n := 0
		for err := range tx.Check() { // drained to the end: the checker stops when it is read
			if first == nil {
				first = err
			}
			n++
		}
		if first != nil {
			return fmt.Errorf("%s: %d problems in the file's pages, the first: %w", db.Path, n, first)
		}
		return nil
	})
}
