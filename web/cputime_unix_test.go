//go:build unix

package web_test

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time the process has used, user and system. The page benchmarks report
// it per page beside the wall time: on a machine shared with other work the wall time says
// more about the neighbours than about the code.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
