package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// callerFiles are the files a command line names (a backup to write, mail to import, a rules
// file): the files of whoever typed the command, opened with their rights and relative to
// their working directory. A command run by the server on the caller's behalf (control.go)
// gets them through the control socket, so it reads and writes exactly what it would have
// alone, and the server needs no access to the caller's folders.
type callerFiles interface {
	// Open opens a file for reading.
	Open(path string) (*os.File, error)
	// Stat describes a file or folder.
	Stat(path string) (fs.FileInfo, error)
	// Walk lists the regular files beneath root, in lexical order.
	Walk(root string) ([]string, error)
	// Create starts a new file at path that appears there, whole, only on Commit.
	Create(path string) (outputFile, error)
}

// outputFile is a file being written for a command: a temporary file beside its name until
// Commit renames it into place. Abort (or a Commit that fails) leaves nothing behind.
type outputFile interface {
	File() *os.File
	Commit() error
	Abort()
}

// localFiles are the files of this process.
type localFiles struct{}

func (localFiles) Open(path string) (*os.File, error)    { return os.Open(path) }
func (localFiles) Stat(path string) (fs.FileInfo, error) { return os.Stat(path) }

func (localFiles) Walk(root string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			files = append(files, path)
		}
		return nil
	})
	return files, err
}

func (localFiles) Create(path string) (outputFile, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", path, errors.Unwrap(err))
	}
	return &localOutput{f: tmp, path: path}, nil
}

type localOutput struct {
	f    *os.File
	path string
	done bool
}

func (o *localOutput) File() *os.File { return o.f }

// Commit flushes the file to disk and renames it into place: a crash never leaves half a file
// under the name asked for.
func (o *localOutput) Commit() error {
	if o.done {
		return fmt.Errorf("write %s: already finished", o.path)
	}
	o.done = true
	err := o.f.Sync()
	if cerr := o.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(o.f.Name(), o.path)
	}
	if err != nil {
		os.Remove(o.f.Name())
		return fmt.Errorf("write %s: %w", o.path, err)
	}
	return nil
}

func (o *localOutput) Abort() {
	if o.done {
		return
	}
	o.done = true
	o.f.Close()
	os.Remove(o.f.Name())
}

// ctxWriter fails its writes once ctx has ended, so a long copy (the backup of a large store)
// stops when its command is cancelled or the server shuts down.
type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (c ctxWriter) Write(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.w.Write(p)
}
