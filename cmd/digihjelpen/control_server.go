package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"runtime/debug"
	"sync"
	"time"
)

// listenControl opens the control socket beside the database, 0600. serve calls it after it
// has opened the database: whoever holds the database lock owns the socket, so a socket file
// found there was left by a server that is gone, and is replaced.
func listenControl(dbPath string) (*net.UnixListener, error) {
	path := socketPath(dbPath)
	if !controlSupported {
		return nil, nil
	}
	if info, err := os.Lstat(path); err == nil {
		if info.Mode().Type() != fs.ModeSocket {
			return nil, fmt.Errorf("control socket %s: something else is in the way", path)
		}
		if err := os.Remove(path); err != nil {
			return nil, fmt.Errorf("remove the old control socket: %w", err)
		}
	}
	addr, dir, err := unixAddr(path)
	if err != nil {
		return nil, fmt.Errorf("control socket %s: %w", path, err)
	}
	if dir != nil {
		defer dir.Close()
	}
	ln, err := net.ListenUnix("unixpacket", addr)
	if err != nil {
		return nil, fmt.Errorf("control socket %s: %w", path, err)
	}
	ln.SetUnlinkOnClose(false) // removed by its real name in serveControl, whatever name it was bound by
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		os.Remove(path)
		return nil, fmt.Errorf("control socket %s: %w", path, err)
	}
	return ln, nil
}

// closeControl closes a control socket no job took over.
func closeControl(ln *net.UnixListener, dbPath string) {
	if ln != nil {
		ln.Close()
		os.Remove(socketPath(dbPath))
	}
}

// addControl adds the job that runs the commands given on the control socket ln (nil: there
// is none). On shutdown it stops taking commands, cancels those running and waits for them.
func addControl(jobs *jobRunner, a *app, ln *net.UnixListener, log *slog.Logger) {
	if ln == nil {
		return
	}
	cs := &controlServer{app: a, log: log.With("component", "control"), self: os.Geteuid()}
	path := socketPath(a.cfg.Storage.Path)
	jobs.Add("control-socket", func(ctx context.Context) error {
		defer os.Remove(path)
		defer ln.Close()
		return cs.serve(ctx, ln)
	})
}

// controlServer runs commands for callers on the control socket.
type controlServer struct {
	app  *app
	log  *slog.Logger
	self int // our uid: callers must be the same user, or root
}

func (cs *controlServer) serve(ctx context.Context, ln *net.UnixListener) error {
	var wg sync.WaitGroup
	defer wg.Wait()
	stop := context.AfterFunc(ctx, func() { ln.Close() })
	defer stop()
	for {
		conn, err := ln.AcceptUnix()
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("control socket: %w", err)
		}
		wg.Go(func() { cs.serveConn(ctx, conn) })
	}
}

// serveConn runs one command line on the server's database, with the caller's streams and
// files, and sends its exit code.
func (cs *controlServer) serveConn(ctx context.Context, conn *net.UnixConn) {
	defer conn.Close()
	uid, err := peerUID(conn)
	if err != nil || (uid != cs.self && uid != 0) {
		cs.log.Warn("control socket: caller refused", "uid", uid, "err", err)
		return
	}
	m, streams, err := recvMsg(conn)
	if err != nil || m.Op != "run" || len(streams) != 3 || len(m.Args) == 0 {
		closeAll(streams)
		cs.log.Warn("control socket: not a command", "op", m.Op, "err", err)
		return
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	rf := newRemoteFiles(conn, cancel)
	began := time.Now()
	code := cs.run(ctx, m.Args, env{stdin: streams[0], stdout: streams[1], stderr: streams[2], environ: os.Environ(), files: rf, server: cs.app})
	rf.close()
	closeAll(streams) // before the exit message: the caller's copies of our output end with it
	cs.log.Info("command run for the command line", "command", m.Args[0], "uid", uid, "code", code, "took", time.Since(began).Round(time.Millisecond))
	if err := sendMsg(conn, controlMsg{Op: "exit", Code: code}); err != nil && ctx.Err() == nil {
		cs.log.Warn("control socket: send exit code", "err", err)
	}
}

// run runs a command that works on the database; a panic in it is the command's failure, never
// the server's.
func (cs *controlServer) run(ctx context.Context, args []string, e env) (code int) {
	defer func() {
		if p := recover(); p != nil {
			cs.log.Error("panic in a command from the command line", "command", args[0], "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			fmt.Fprintf(e.stderr, "digihjelpen %s: intern feil i serveren (se loggen)\n", args[0])
			code = 1
		}
	}()
	if c, ok := commands[args[0]]; !ok || !c.onServer {
		fmt.Fprintf(e.stderr, "digihjelpen: «%s» kjøres ikke gjennom serveren.\n", args[0])
		return 2
	}
	return run(ctx, args, e)
}

// remoteFiles are the caller's files, reached through the control connection: every operation
// is one request and its reply, one at a time.
type remoteFiles struct {
	conn    *net.UnixConn
	mu      sync.Mutex
	replies chan controlReply
	done    chan struct{} // closed when the caller has hung up
	quit    chan struct{} // closed when the command is over
	open    map[int]*remoteOutput
}

type controlReply struct {
	msg   controlMsg
	files []*os.File
}

// newRemoteFiles reads the caller's replies; when the caller hangs up, cancel ends the command.
func newRemoteFiles(conn *net.UnixConn, cancel context.CancelFunc) *remoteFiles {
	rf := &remoteFiles{conn: conn, replies: make(chan controlReply), done: make(chan struct{}), quit: make(chan struct{}),
		open: map[int]*remoteOutput{}}
	go func() {
		defer close(rf.done)
		for {
			m, files, err := recvMsg(conn)
			if err != nil {
				cancel()
				return
			}
			select {
			case rf.replies <- controlReply{m, files}:
			case <-rf.quit:
				closeAll(files)
				return
			}
		}
	}()
	return rf
}

// close aborts the files the command left unfinished and stops reading replies.
func (rf *remoteFiles) close() {
	rf.abortAll()
	close(rf.quit)
}

// errCallerGone is an operation after the caller hung up.
var errCallerGone = errors.New("the command line that asked for this has gone away")

// call sends m and waits for the reply (several for a walk, until More is false).
func (rf *remoteFiles) call(m controlMsg) ([]controlReply, error) {
	rf.mu.Lock()
	defer rf.mu.Unlock()
	if err := sendMsg(rf.conn, m); err != nil {
		return nil, fmt.Errorf("%w: %v", errCallerGone, err)
	}
	var got []controlReply
	for {
		select {
		case r := <-rf.replies:
			got = append(got, r)
			if !r.msg.More {
				return got, nil
			}
		case <-rf.done:
			for _, r := range got {
				closeAll(r.files)
			}
			return nil, errCallerGone
		}
	}
}

func (rf *remoteFiles) Open(path string) (*os.File, error) {
	f, _, err := rf.oneFile("open", path)
	return f, err
}

// oneFile asks the caller for one file (op "open" or "create") and returns it with the answer.
func (rf *remoteFiles) oneFile(op, path string) (*os.File, controlMsg, error) {
	got, err := rf.call(controlMsg{Op: op, Path: path})
	if err != nil {
		return nil, controlMsg{}, err
	}
	r := got[0]
	if err := controlErr(r.msg); err != nil {
		closeAll(r.files)
		return nil, controlMsg{}, err
	}
	if len(r.files) != 1 {
		closeAll(r.files)
		return nil, controlMsg{}, fmt.Errorf("%s %s: no file came back", op, path)
	}
	return r.files[0], r.msg, nil
}

func (rf *remoteFiles) Stat(path string) (fs.FileInfo, error) {
	got, err := rf.call(controlMsg{Op: "stat", Path: path})
	if err != nil {
		return nil, err
	}
	if err := controlErr(got[0].msg); err != nil {
		return nil, err
	}
	if got[0].msg.Info == nil {
		return nil, fmt.Errorf("stat %s: no answer", path)
	}
	return got[0].msg.Info.fileInfo(), nil
}

func (rf *remoteFiles) Walk(root string) ([]string, error) {
	got, err := rf.call(controlMsg{Op: "walk", Path: root})
	if err != nil {
		return nil, err
	}
	var files []string
	for _, r := range got {
		if err := controlErr(r.msg); err != nil {
			return nil, err
		}
		files = append(files, r.msg.Files...)
	}
	return files, nil
}

func (rf *remoteFiles) Create(path string) (outputFile, error) {
	f, msg, err := rf.oneFile("create", path)
	if err != nil {
		return nil, err
	}
	out := &remoteOutput{rf: rf, id: msg.ID, f: f, path: path}
	rf.mu.Lock()
	rf.open[out.id] = out
	rf.mu.Unlock()
	return out, nil
}

// abortAll aborts the files a command left unfinished.
func (rf *remoteFiles) abortAll() {
	rf.mu.Lock()
	open := make([]*remoteOutput, 0, len(rf.open))
	for _, o := range rf.open {
		open = append(open, o)
	}
	rf.mu.Unlock()
	for _, o := range open {
		o.Abort()
	}
}

// remoteOutput is a file the caller created for the command; the caller renames it into place
// on Commit.
type remoteOutput struct {
	rf   *remoteFiles
	id   int
	f    *os.File
	path string
	done bool
}

func (o *remoteOutput) File() *os.File { return o.f }

func (o *remoteOutput) finish(op string) error {
	if o.done {
		return fmt.Errorf("write %s: already finished", o.path)
	}
	o.done = true
	o.rf.mu.Lock()
	delete(o.rf.open, o.id)
	o.rf.mu.Unlock()
	var err error
	if op == "commit" {
		err = o.f.Sync()
	}
	if cerr := o.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		op = "abort"
	}
	got, cerr := o.rf.call(controlMsg{Op: op, ID: o.id})
	if err == nil && cerr == nil {
		cerr = controlErr(got[0].msg)
	}
	if err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", o.path, err)
	}
	return nil
}

func (o *remoteOutput) Commit() error { return o.finish("commit") }
func (o *remoteOutput) Abort()        { o.finish("abort") }
