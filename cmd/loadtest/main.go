// Command loadtest drives a running digihjelpen server over HTTP as staff do: sessions sign in,
// then work the inbox (views and filters), open tickets, search, and answer, for a while or a
// number of requests, and it reports throughput, the median, the 99th percentile and the
// errors, per kind of request and in all. scripts/loadtest.sh (make loadtest) starts the real
// binary on a copy of the million-ticket store and runs it; DESIGN.md's budgets are checked
// with -max-p99.
//
//	loadtest -base http://127.0.0.1:8090 -users loadtest%d@ks.no -password ... -sessions 50 -duration 60s
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

// config is what a run is told.
type config struct {
	base     string
	users    string // a pattern with %d: the session's number from 1
	password string
	sessions int
	duration time.Duration
	requests int           // at most this many timed requests in all (0: no bound)
	maxP99   time.Duration // fail the run above it (0: report only)
	think    time.Duration // a session's mean pause between requests (0: none, a stress test)
	mix      mix
}

func run(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("loadtest", flag.ContinueOnError)
	var c config
	fs.StringVar(&c.base, "base", "http://127.0.0.1:8090", "the server's address")
	fs.StringVar(&c.users, "users", "loadtest%d@ks.no", "the staff accounts, %d numbered from 1")
	fs.StringVar(&c.password, "password", os.Getenv("LOADTEST_PASSWORD"), "their password (or LOADTEST_PASSWORD)")
	fs.IntVar(&c.sessions, "sessions", 50, "concurrent staff sessions")
	fs.DurationVar(&c.duration, "duration", 60*time.Second, "how long to run")
	fs.IntVar(&c.requests, "requests", 200_000, "stop after this many requests in all (0: no bound)")
	fs.DurationVar(&c.maxP99, "max-p99", 0, "fail when the 99th percentile of all requests is above this (e.g. 50ms)")
	fs.DurationVar(&c.think, "think", time.Second, "mean pause of a session between requests, drawn exponentially (0: none)")
	fs.IntVar(&c.mix.inbox, "inbox", 45, "weight of inbox pages")
	fs.IntVar(&c.mix.ticket, "ticket", 35, "weight of ticket pages")
	fs.IntVar(&c.mix.search, "search", 15, "weight of searches")
	fs.IntVar(&c.mix.reply, "reply", 5, "weight of replies (each opens the ticket, then sends)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if c.password == "" {
		return fmt.Errorf("no password: give -password or LOADTEST_PASSWORD")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	res, err := loadTest(ctx, c, out)
	if err != nil {
		return err
	}
	res.print(out, c)
	return res.check(c)
}
