package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"time"
)

// The control socket lets the administration commands work while the server runs. bbolt lets
// one process open the database, so a command started beside a running server cannot open it;
// instead it hands its command line to the server through a unix socket beside the database,
// and the server runs the very same command function on its open database:
//
//   - the socket (<storage.path>.sock) is created 0600 by the service's user, and the server
//     also checks each caller's uid (SO_PEERCRED): only that user and root get in;
//   - the caller passes its standard input, output and error as file descriptors (SCM_RIGHTS),
//     so the output is the same bytes in the same place, and a terminal stays a terminal;
//   - the files the command names are opened by the caller, with its rights and relative to
//     its working directory, and passed the same way (callerFiles): the server needs no access
//     to the caller's folders, and cannot reach further than the caller could;
//   - the exit code comes back last; a caller that goes away (Ctrl-C) cancels the command.
//
// Messages are SOCK_SEQPACKET datagrams of JSON, each with the descriptors it carries.

// controlMsg is one message on the control socket.
type controlMsg struct {
	// Op is what the message asks or answers: run (caller: the command line, with stdin,
	// stdout and stderr), open, stat, walk, create, commit, abort (server: file operations on
	// the caller's side), reply (caller: the answer), exit (server: the command is over).
	Op   string   `json:"op"`
	Args []string `json:"args,omitempty"`
	Path string   `json:"path,omitempty"`
	ID   int      `json:"id,omitempty"`
	Code int      `json:"code,omitempty"`
	// Err is a failed operation's error; Errno its system error number, so the server shows
	// the same message the command shows alone ("no such file or directory").
	Err   string       `json:"err,omitempty"`
	Errno int          `json:"errno,omitempty"`
	ErrOp string       `json:"errop,omitempty"`
	Info  *controlStat `json:"info,omitempty"`
	Files []string     `json:"files,omitempty"`
	More  bool         `json:"more,omitempty"`
}

// controlStat is what Stat answers.
type controlStat struct {
	Name    string      `json:"name"`
	Size    int64       `json:"size"`
	Mode    fs.FileMode `json:"mode"`
	ModTime time.Time   `json:"mtime"`
}

func (s *controlStat) fileInfo() fs.FileInfo { return statInfo{s} }

type statInfo struct{ s *controlStat }

func (i statInfo) Name() string       { return i.s.Name }
func (i statInfo) Size() int64        { return i.s.Size }
func (i statInfo) Mode() fs.FileMode  { return i.s.Mode }
func (i statInfo) ModTime() time.Time { return i.s.ModTime }
func (i statInfo) IsDir() bool        { return i.s.Mode.IsDir() }
func (i statInfo) Sys() any           { return nil }

// maxControlMsg bounds one message; longer file lists go in several (More).
const (
	maxControlMsg = 60 << 10
	maxControlFDs = 3
)

// sendMsg sends m with the descriptors files (at most maxControlFDs).
func sendMsg(c *net.UnixConn, m controlMsg, files ...*os.File) error {
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	if len(b) > maxControlMsg {
		return fmt.Errorf("control message of %d bytes is too long", len(b))
	}
	var oob []byte
	if len(files) > 0 {
		fds := make([]int, len(files))
		for i, f := range files {
			fds[i] = int(f.Fd())
		}
		oob = syscall.UnixRights(fds...)
	}
	_, _, err = c.WriteMsgUnix(b, oob, nil)
	return err
}

// recvMsg reads one message and the descriptors that came with it.
func recvMsg(c *net.UnixConn) (controlMsg, []*os.File, error) {
	var m controlMsg
	buf := make([]byte, maxControlMsg+1)
	oob := make([]byte, syscall.CmsgSpace(maxControlFDs*4))
	n, oobn, flags, _, err := c.ReadMsgUnix(buf, oob)
	if err != nil {
		return m, nil, err
	}
	files, ferr := receivedFiles(oob[:oobn])
	switch {
	case ferr != nil:
		closeAll(files)
		return m, nil, ferr
	case flags&(syscall.MSG_TRUNC|syscall.MSG_CTRUNC) != 0:
		closeAll(files)
		return m, nil, errors.New("control message truncated")
	case n == 0:
		closeAll(files)
		return m, nil, errControlClosed
	}
	if err := json.Unmarshal(buf[:n], &m); err != nil {
		closeAll(files)
		return m, nil, fmt.Errorf("read control message: %w", err)
	}
	return m, files, nil
}

// errControlClosed is the other side hanging up (a zero-length read on SOCK_SEQPACKET).
var errControlClosed = errors.New("control connection closed")

func receivedFiles(oob []byte) ([]*os.File, error) {
	if len(oob) == 0 {
		return nil, nil
	}
	msgs, err := syscall.ParseSocketControlMessage(oob)
	if err != nil {
		return nil, fmt.Errorf("parse control message: %w", err)
	}
	var files []*os.File
	for _, cm := range msgs {
		fds, err := syscall.ParseUnixRights(&cm)
		if err != nil {
			return files, fmt.Errorf("parse descriptors: %w", err)
		}
		for _, fd := range fds {
			syscall.CloseOnExec(fd)
			files = append(files, os.NewFile(uintptr(fd), "fd"+strconv.Itoa(fd)))
		}
	}
	return files, nil
}

func closeAll(files []*os.File) {
	for _, f := range files {
		if f != nil {
			f.Close()
		}
	}
}

// errnoOf is the system error number in err, or 0.
func errnoOf(err error) int {
	var n syscall.Errno
	if errors.As(err, &n) {
		return int(n)
	}
	return 0
}

// controlErr turns a reply's error back into the error the operation would have returned in
// this process: an *fs.PathError with the same system error, or the same text wrapping it.
func controlErr(m controlMsg) error {
	if m.Err == "" {
		return nil
	}
	var errno error
	if m.Errno != 0 {
		errno = syscall.Errno(m.Errno)
	}
	if m.ErrOp != "" && errno != nil {
		return &fs.PathError{Op: m.ErrOp, Path: m.Path, Err: errno}
	}
	return &remoteError{text: m.Err, errno: errno}
}

// remoteError is an error of the caller's process: its text, and its system error.
type remoteError struct {
	text  string
	errno error
}

func (e *remoteError) Error() string { return e.text }
func (e *remoteError) Unwrap() error { return e.errno }

// errorReply is the reply for a failed operation.
func errorReply(err error) controlMsg {
	m := controlMsg{Op: "reply", Err: err.Error(), Errno: errnoOf(err)}
	if pe, ok := err.(*fs.PathError); ok {
		m.ErrOp, m.Path = pe.Op, pe.Path
	}
	return m
}

// socketPath is where the server listens for commands: beside the database.
func socketPath(dbPath string) string {
	return dbPath + ".sock"
}

// unixAddr is the address for path. A socket path is limited to 107 bytes; a longer one is
// reached through the folder's descriptor (/proc/self/fd/N/name), which dir holds open.
func unixAddr(path string) (addr *net.UnixAddr, dir *os.File, err error) {
	if len(path) < 100 {
		return &net.UnixAddr{Name: path, Net: "unixpacket"}, nil, nil
	}
	dir, err = os.Open(filepath.Dir(path))
	if err != nil {
		return nil, nil, err
	}
	name := fmt.Sprintf("/proc/self/fd/%d/%s", dir.Fd(), filepath.Base(path))
	return &net.UnixAddr{Name: name, Net: "unixpacket"}, dir, nil
}
