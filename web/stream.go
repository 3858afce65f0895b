package web

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"runtime/debug"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
)

// Why a download ended before its producer was done (the cause of its context).
var (
	errClientGone   = errors.New("the client stopped taking the download")
	errShuttingDown = errors.New("the server is shutting down")
	errDownloadDone = errors.New("download finished")
)

// streamBody sends a download (the backup, the ticket export) as produce writes it, after the
// handler has returned, for files that take longer to send than the Write timeout.
//
// fasthttp runs produce (SetBodyStreamWriter) in a goroutine of its own that writes into a
// pipe, which the connection's goroutine copies to the client in chunks. It sets the
// connection's write deadline once, Timeouts.Write ahead, before the response; so every write
// of produce moves that deadline Timeouts.StreamIdle ahead (net.Conn deadlines may be set
// from any goroutine). A download then lasts as long as the client keeps taking it, and one
// that stops is cut off after StreamIdle; the pipe holds only a few chunks, so produce waits
// for the client rather than filling memory.
//
// produce gets a context with the request's values (the actor) that ends when the client is
// gone (a write fails), when the server shuts down (Shutdown waits for produce to return) or
// when the download is over; it must return when its writes fail. When produce returns an
// error or panics, or the server shuts down, the connection is cut before the last chunk, so
// the client sees a broken download rather than a short file that looks whole.
func (s *Server) streamBody(c *fiber.Ctx, what string, produce func(ctx context.Context, w io.Writer) error) error {
	done, ok := s.life.add()
	if !ok {
		return fiber.NewError(fiber.StatusServiceUnavailable)
	}
	ctx, cancel := context.WithCancelCause(context.WithoutCancel(c.UserContext()))
	d := &download{conn: c.Context().Conn(), idle: s.Timeouts.StreamIdle, ctx: ctx, cancel: cancel}
	stopOnShutdown := context.AfterFunc(s.life.ctx, func() {
		cancel(errShuttingDown)
		d.cut()
	})
	log := s.Logger
	c.Context().SetBodyStreamWriter(func(w *bufio.Writer) {
		defer done()
		d.w = w
		err := d.run(produce)
		if !stopOnShutdown() && err == nil { // shutdown came as produce finished
			err = errShuttingDown
		}
		stopped := context.Cause(ctx) // why the context ended under produce, if it did
		cancel(errDownloadDone)
		var p *downloadPanic
		switch {
		case err == nil:
			return
		case errors.As(err, &p):
			log.Error("panic in download", "download", what, "bytes", d.sent, "panic", p.value, "stack", p.stack)
		case stopped != nil:
			log.Info("download stopped", "download", what, "bytes", d.sent, "reason", stopped.Error())
		default:
			log.Error("download failed", "download", what, "bytes", d.sent, "err", err)
		}
		d.cut()
	})
	return nil
}

// download is one streamed response body on its way to the client.
type download struct {
	conn   net.Conn      // the client's connection, kept from the handler
	w      *bufio.Writer // fasthttp's end of the pipe to the connection's goroutine
	idle   time.Duration
	ctx    context.Context
	cancel context.CancelCauseFunc
	sent   int64

	mu    sync.Mutex // orders cut against the deadline moves of Write
	isCut bool
}

// downloadPanic is a panic of a producer, recovered.
type downloadPanic struct{ value, stack string }

func (p *downloadPanic) Error() string { return "panic in download: " + p.value }

// run calls produce and turns a panic (which would stop the whole server in fasthttp's
// goroutine, where recoverPanic cannot reach) into a logged error.
func (d *download) run(produce func(ctx context.Context, w io.Writer) error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &downloadPanic{value: fmt.Sprint(r), stack: string(debug.Stack())}
		}
	}()
	return produce(d.ctx, d)
}

// Write passes p on to the client, first moving the connection's write deadline StreamIdle
// ahead. It fails once the download's context has ended, so a producer stops at its next write.
func (d *download) Write(p []byte) (int, error) {
	if d.ctx.Err() != nil {
		return 0, context.Cause(d.ctx)
	}
	d.mu.Lock()
	cut := d.isCut
	if !cut {
		d.conn.SetWriteDeadline(time.Now().Add(d.idle))
	}
	d.mu.Unlock()
	if cut {
		return 0, errShuttingDown
	}
	n, err := d.w.Write(p)
	d.sent += int64(n)
	if err != nil { // the connection's goroutine gave up: the client went away or stalled
		err = fmt.Errorf("%w: %v", errClientGone, err)
		d.cancel(err)
		return n, err
	}
	return n, nil
}

// cut makes the connection's next write fail at once, so the response ends before its last
// chunk and a write blocked on a client that takes nothing returns.
func (d *download) cut() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.isCut = true
	d.conn.SetWriteDeadline(longAgo)
}

// longAgo is a deadline in the past: it fails a connection's pending and later writes.
var longAgo = time.Unix(1, 0)
