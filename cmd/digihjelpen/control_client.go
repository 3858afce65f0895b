package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"sync"
	"syscall"
)

// runOnServer hands the command line to the server running on the same database, and returns
// its exit code. handled is false when no server answers there: the command then runs in this
// process, on the database file.
func runOnServer(ctx context.Context, args []string, e env) (code int, handled bool) {
	dbPath, err := LoadStoragePath(configFlag(args[1:]), e.environ)
	if err != nil {
		return 0, false // the command itself reports it, as it always has
	}
	path := socketPath(dbPath)
	conn, err := dialControl(path)
	switch {
	case errors.Is(err, syscall.EACCES) || errors.Is(err, syscall.EPERM):
		fmt.Fprintf(e.stderr, "digihjelpen %s: serveren kan ikke nås gjennom %s (%v). Kjør kommandoen som tjenestens bruker, for eksempel «sudo -u digihjelpen digihjelpen %s».\n",
			args[0], path, errors.Unwrap(err), args[0])
		return 1, true
	case err != nil:
		return 0, false // no socket, or one left by a server that is gone
	}
	defer conn.Close()
	code, err = callServer(ctx, conn, args, e)
	if err != nil {
		fmt.Fprintf(e.stderr, "digihjelpen %s: %v\n", args[0], err)
		return 1, true
	}
	return code, true
}

// configFlag finds -config FILE (or -config=FILE) in a command line whose flags it does not
// know otherwise; the flag package accepts one or two dashes.
func configFlag(args []string) string {
	for i, a := range args {
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || name != "config" {
			continue
		}
		if hasValue {
			return value
		}
		if i+1 < len(args) {
			return args[i+1]
		}
	}
	return ""
}

func dialControl(path string) (*net.UnixConn, error) {
	if !controlSupported {
		return nil, errors.ErrUnsupported
	}
	addr, dir, err := unixAddr(path)
	if err != nil {
		return nil, err
	}
	if dir != nil {
		defer dir.Close()
	}
	return net.DialUnix("unixpacket", nil, addr)
}

// callServer runs args on the server: it passes the standard streams, serves the server's
// requests for the caller's files until the exit message, and returns the exit code. When ctx
// ends (Ctrl-C), it hangs up, which cancels the command on the server.
func callServer(ctx context.Context, conn *net.UnixConn, args []string, e env) (int, error) {
	streams, err := passStreams(e)
	if err != nil {
		return 0, err
	}
	defer streams.close()
	err = sendMsg(conn, controlMsg{Op: "run", Args: args}, streams.send...)
	streams.sent()
	if errors.Is(err, syscall.EPIPE) || errors.Is(err, syscall.ECONNRESET) {
		// the server hung up before it read the command (it refuses a caller at once)
		return 0, fmt.Errorf("forbindelsen til serveren brøt før kommandoen var ferdig: %w", err)
	} else if err != nil {
		return 0, fmt.Errorf("send the command to the server: %w", err)
	}
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	caller := &callerSide{files: e.fs(), outputs: map[int]outputFile{}}
	defer caller.abortAll()
	for {
		m, files, err := recvMsg(conn)
		closeAll(files) // the server sends none
		if err != nil {
			if ctx.Err() != nil {
				return 0, errors.New("avbrutt; serveren avbryter kommandoen")
			}
			return 0, fmt.Errorf("forbindelsen til serveren brøt før kommandoen var ferdig: %w", err)
		}
		if m.Op == "exit" {
			streams.wait()
			return m.Code, nil
		}
		if err := caller.answer(conn, m); err != nil {
			return 0, fmt.Errorf("answer the server: %w", err)
		}
	}
}

// callerSide does the file operations the server asks for, in this process.
type callerSide struct {
	files   callerFiles
	outputs map[int]outputFile
	nextID  int
}

func (c *callerSide) answer(conn *net.UnixConn, m controlMsg) error {
	switch m.Op {
	case "open":
		f, err := c.files.Open(m.Path)
		if err != nil {
			return sendMsg(conn, errorReply(err))
		}
		defer f.Close() // the server has its own copy
		return sendMsg(conn, controlMsg{Op: "reply"}, f)
	case "stat":
		info, err := c.files.Stat(m.Path)
		if err != nil {
			return sendMsg(conn, errorReply(err))
		}
		return sendMsg(conn, controlMsg{Op: "reply", Info: &controlStat{Name: info.Name(), Size: info.Size(), Mode: info.Mode(), ModTime: info.ModTime()}})
	case "walk":
		return c.walk(conn, m.Path)
	case "create":
		out, err := c.files.Create(m.Path)
		if err != nil {
			return sendMsg(conn, errorReply(err))
		}
		c.nextID++
		c.outputs[c.nextID] = out
		return sendMsg(conn, controlMsg{Op: "reply", ID: c.nextID}, out.File())
	case "commit", "abort":
		out, ok := c.outputs[m.ID]
		if !ok {
			return sendMsg(conn, controlMsg{Op: "reply", Err: fmt.Sprintf("no file %d", m.ID)})
		}
		delete(c.outputs, m.ID)
		if m.Op == "abort" {
			out.Abort()
			return sendMsg(conn, controlMsg{Op: "reply"})
		}
		if err := out.Commit(); err != nil {
			return sendMsg(conn, errorReply(err))
		}
		return sendMsg(conn, controlMsg{Op: "reply"})
	}
	return sendMsg(conn, controlMsg{Op: "reply", Err: fmt.Sprintf("unknown operation %q", m.Op)})
}

// walk sends the list in as many messages as it takes.
func (c *callerSide) walk(conn *net.UnixConn, root string) error {
	list, err := c.files.Walk(root)
	if err != nil {
		return sendMsg(conn, errorReply(err))
	}
	for {
		chunk, size := 0, 0
		for chunk < len(list) && size+len(list[chunk]) < maxControlMsg/2 {
			size += len(list[chunk]) + 8
			chunk++
		}
		if chunk == 0 && len(list) > 0 {
			return sendMsg(conn, controlMsg{Op: "reply", Err: "file name too long: " + list[0]})
		}
		if err := sendMsg(conn, controlMsg{Op: "reply", Files: list[:chunk], More: chunk < len(list)}); err != nil {
			return err
		}
		if list = list[chunk:]; len(list) == 0 {
			return nil
		}
	}
}

// abortAll removes the files the command began and never finished.
func (c *callerSide) abortAll() {
	for id, out := range c.outputs {
		out.Abort()
		delete(c.outputs, id)
	}
}

// passedStreams are stdin, stdout and stderr as descriptors for the server: the caller's own
// files where they are files (a terminal stays a terminal), else pipes copied to and from them.
type passedStreams struct {
	send   []*os.File // stdin, stdout, stderr, as sent
	ours   []*os.File // pipe ends the server gets, closed here once sent
	reads  []*os.File // our ends of output pipes, closed after their copies end
	writes []*os.File // our end of the stdin pipe
	copies sync.WaitGroup
}

func passStreams(e env) (*passedStreams, error) {
	p := &passedStreams{}
	if f, ok := e.stdin.(*os.File); ok {
		p.send = append(p.send, f)
	} else {
		r, w, err := os.Pipe()
		if err != nil {
			return nil, err
		}
		p.send, p.ours, p.writes = append(p.send, r), append(p.ours, r), append(p.writes, w)
		go func() {
			if e.stdin != nil {
				io.Copy(w, e.stdin)
			}
			w.Close()
		}()
	}
	out, err := p.output(e.stdout)
	if err != nil {
		p.close()
		return nil, err
	}
	errOut := out
	if !sameWriter(e.stdout, e.stderr) {
		if errOut, err = p.output(e.stderr); err != nil {
			p.close()
			return nil, err
		}
	}
	p.send = append(p.send, out, errOut)
	return p, nil
}

// output is the descriptor for w: w itself when it is a file, else a pipe copied into w.
func (p *passedStreams) output(w io.Writer) (*os.File, error) {
	if f, ok := w.(*os.File); ok {
		return f, nil
	}
	r, pw, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	p.ours, p.reads = append(p.ours, pw), append(p.reads, r)
	p.copies.Go(func() { io.Copy(w, r) })
	return pw, nil
}

// sent closes this process's copies of the pipe ends the server now holds, so a pipe ends
// when the server closes its end.
func (p *passedStreams) sent() {
	closeAll(p.ours)
	p.ours = nil
}

// wait waits until the server's output has been copied out.
func (p *passedStreams) wait() { p.copies.Wait() }

func (p *passedStreams) close() {
	closeAll(p.ours)
	closeAll(p.writes)
	closeAll(p.reads)
}

// sameWriter reports whether a and b are the same writer (as exec.Cmd does for Stdout and
// Stderr), so both go through one pipe and are written in order, never at once.
func sameWriter(a, b io.Writer) (same bool) {
	defer func() {
		if recover() != nil {
			same = false // not comparable
		}
	}()
	return a == b
}
