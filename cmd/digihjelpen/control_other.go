//go:build !linux

package main

import (
	"errors"
	"net"
)

// controlSupported: elsewhere than Linux the commands open the database themselves (and
// wait for a stopped server), as before the control socket.
const controlSupported = false

func peerUID(*net.UnixConn) (int, error) { return -1, errors.ErrUnsupported }
