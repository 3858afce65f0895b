//go:build !unix

package routing_test

import "testing"

// reportCPU reports nothing where getrusage is missing; see cputime_unix_test.go.
func reportCPU(*testing.B) func() { return func() {} }
