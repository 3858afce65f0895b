package web

import "time"

// Timeouts bound how long the server waits on a client. A zero field takes its default.
type Timeouts struct {
	// Read is the most a request may take to arrive, headers and body (default 30 s).
	Read time.Duration
	// Write is the most a response that is not streamed may take to go out (default 60 s).
	Write time.Duration
	// Idle is how long a kept-alive connection may wait for its next request (default 2 min).
	Idle time.Duration
	// StreamIdle is how long a streamed download (the backup, the ticket export) may go without
	// anything taken by the client before it is cut off. A download that keeps moving has no
	// limit on its whole length (stream.go). Default: Write.
	StreamIdle time.Duration
}

func (t Timeouts) withDefaults() Timeouts {
	if t.Read <= 0 {
		t.Read = 30 * time.Second
	}
	if t.Write <= 0 {
		t.Write = 60 * time.Second
	}
	if t.Idle <= 0 {
		t.Idle = 2 * time.Minute
	}
	if t.StreamIdle <= 0 {
		t.StreamIdle = t.Write
	}
	return t
}
