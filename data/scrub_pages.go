package data

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"
)

// bbolt never changes a page in place: a write copies the pages it changes and frees the old
// ones, which keep their bytes until a later write happens to reuse them. So a forgotten name
// lives on in the file's free pages, and in every backup (tx.WriteTo copies the file whole),
// until then. ScrubFreePages overwrites the free pages with zeros.
//
// That is safe only where no transaction can read a free page: no writer (it holds bbolt's write
// lock, through a write transaction it never commits) and no reader (db.reads: every read
// transaction of this package holds its read lock, and ScrubFreePages takes the write lock, only
// with TryLock, so readers never wait behind it). A reader that began before the last commit
// could still follow a pointer into a page that commit freed; with no reader at all, every free
// page is unreachable from every snapshot that exists or can begin. bbolt's own Tx.Page tells
// which pages are free (the write transaction sees its free list, pending pages included).

// scrubSlice is how many pages one hold of the locks looks at, so readers wait at most for
// one slice to be written.
const scrubSlice = 16384

// scrubPatience is how long ScrubFreePages tries to find a moment without readers for a slice.
var scrubPatience = 30 * time.Second

// errReadersBusy is returned when reads never paused long enough.
var errReadersBusy = errors.New("scrub free pages: read transactions never paused")

// ScrubFreePages overwrites every free page of the file with zeros and returns how many bytes
// it wrote.
func (db *DB) ScrubFreePages(ctx context.Context) (int64, error) {
	f, err := os.OpenFile(db.Path, os.O_WRONLY, 0)
	if err != nil {
		return 0, fmt.Errorf("scrub free pages: %w", err)
	}
	defer f.Close()
	var written int64
	for start := 2; ; { // pages 0 and 1 are the meta pages
		n, next, err := db.scrubSliceWhenQuiet(ctx, f, start)
		written += n
		if err != nil || next < 0 {
			if err == nil {
				err = f.Sync()
			}
			return written, err
		}
		start = next
	}
}

// scrubSliceWhenQuiet scrubs the pages of one slice from start, waiting for a moment without
// readers; it returns the bytes written and the next page (-1 at the end of the file).
func (db *DB) scrubSliceWhenQuiet(ctx context.Context, f *os.File, start int) (int64, int, error) {
	deadline := time.Now().Add(scrubPatience)
	for wait := time.Millisecond; ; wait = min(2*wait, 100*time.Millisecond) {
		n, next, ok, err := db.scrubSlice(f, start)
		if err != nil || ok {
			return n, next, err
		}
		if time.Now().After(deadline) {
			return 0, -1, errReadersBusy
		}
		select {
		case <-ctx.Done():
			return 0, -1, ctx.Err()
		case <-time.After(wait):
		}
	}
}

// scrubSlice holds the write transaction and, if no reader is open, zeroes the free pages of
// one slice. ok is false when readers were open.
func (db *DB) scrubSlice(f *os.File, start int) (written int64, next int, ok bool, err error) {
	btx, err := db.bolt.Begin(true)
	if err != nil {
		return 0, -1, false, fmt.Errorf("scrub free pages: %w", err)
	}
	defer btx.Rollback() // nothing was changed through bbolt: there is nothing to commit
	if !db.reads.TryLock() {
		return 0, start, false, nil
	}
	defer db.reads.Unlock()
	pageSize := int64(db.bolt.Info().PageSize)
	end := int(btx.Size() / pageSize)
	z := zeroer{f: f, pageSize: pageSize, buf: make([]byte, 256*pageSize)}
	next = start
	for ; next < end && next < start+scrubSlice; next++ {
		info, err := btx.Page(next)
		if err != nil {
			return z.written, -1, true, fmt.Errorf("scrub free pages: page %d: %w", next, err)
		}
		if info != nil && info.Type == "free" {
			if err := z.add(next); err != nil {
				return z.written, -1, true, err
			}
		}
	}
	if next >= end {
		next = -1
	}
	return z.written, next, true, z.flush()
}

// zeroer writes zeros over runs of pages, one write per run of neighbours.
type zeroer struct {
	f        *os.File
	pageSize int64
	buf      []byte
	first, n int
	written  int64
}

func (z *zeroer) add(page int) error {
	if z.n > 0 && page == z.first+z.n && int64(z.n+1)*z.pageSize <= int64(len(z.buf)) {
		z.n++
		return nil
	}
	if err := z.flush(); err != nil {
		return err
	}
	z.first, z.n = page, 1
	return nil
}

func (z *zeroer) flush() error {
	if z.n == 0 {
		return nil
	}
	size := int64(z.n) * z.pageSize
	if _, err := z.f.WriteAt(z.buf[:size], int64(z.first)*z.pageSize); err != nil {
		return fmt.Errorf("scrub free pages: write pages %d-%d: %w", z.first, z.first+z.n-1, err)
	}
	z.written += size
	z.n = 0
	return nil
}
