package data

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"hash/fnv"
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

// bbolt's file format (version 2): a page header of 16 bytes, then on pages 0 and 1 the meta:
// magic, version, page size, flags, root bucket (page, sequence), freelist page, high water
// mark (pages in use), transaction id, and an FNV-64a checksum of all before it.
const (
	boltMagic      = 0xED0CDAED
	boltVersion    = 2
	boltPageHeader = 16
	boltMetaSum    = 56 // bytes of the meta before its checksum
)

type boltMeta struct {
	pageSize              uint32
	root, freelist, pages uint64
	txid                  uint64
	valid                 bool
}

// CheckFile checks, without opening it, that path is a bbolt file holding every page its
// newest valid meta page names. bbolt maps the file and reads pages by number, so a short file
// (a torn or truncated copy) kills the process with SIGBUS, which nothing can recover from:
// restore runs this before it opens a backup.
func CheckFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return err
	}
	first := readBoltMeta(f, 0)
	pageSize := int64(first.pageSize)
	if !first.valid {
		pageSize = int64(os.Getpagesize())
	}
	meta := first
	if second := readBoltMeta(f, pageSize); second.valid && (!meta.valid || second.txid > meta.txid) {
		meta = second
	}
	switch {
	case !meta.valid:
		return fmt.Errorf("%s is not a database of this program (no valid bbolt meta page)", path)
	case meta.root >= meta.pages || (meta.freelist >= meta.pages && meta.freelist != ^uint64(0)):
		return fmt.Errorf("%s: the meta page names pages beyond its end", path)
	case info.Size() < int64(meta.pages)*int64(meta.pageSize):
		return fmt.Errorf("%s is cut short: %d bytes, but its pages take %d", path, info.Size(), int64(meta.pages)*int64(meta.pageSize))
	}
	return nil
}

// readBoltMeta reads the meta of the page at offset; valid says whether its magic, version
// and checksum are right.
func readBoltMeta(f *os.File, offset int64) boltMeta {
	buf := make([]byte, boltPageHeader+boltMetaSum+8)
	if _, err := f.ReadAt(buf, offset); err != nil {
		return boltMeta{}
	}
	m := buf[boltPageHeader:]
	le := binary.NativeEndian // bbolt writes its structs in the machine's order
	sum := fnv.New64a()
	sum.Write(m[:boltMetaSum])
	meta := boltMeta{pageSize: le.Uint32(m[8:]), root: le.Uint64(m[16:]), freelist: le.Uint64(m[32:]),
		pages: le.Uint64(m[40:]), txid: le.Uint64(m[48:])}
	meta.valid = le.Uint32(m[0:]) == boltMagic && le.Uint32(m[4:]) == boltVersion && le.Uint64(m[boltMetaSum:]) == sum.Sum64() &&
		meta.pageSize >= 512
	return meta
}
