package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// mix weighs the kinds of request a session picks.
type mix struct{ inbox, ticket, search, reply int }

// inboxViews are the views and filters staff use; searches are what they type.
var (
	inboxViews = []string{"/innboks", "/innboks?vis=ny", "/innboks?vis=aktive&etat=nav", "/innboks?vis=forfalt",
		"/innboks?vis=aktive&tildelt=meg", "/innboks?vis=aktive&tildelt=ingen", "/innboks?vis=aktive&fylke=34&kanal=web",
		"/innboks?vis=alle&kommune=0301", "/innboks?vis=lukket&etat=skatteetaten", "/innboks?vis=venter&sorter=eldste"}
	searches = []string{"skattekort", "dagpenger", "bankid", "kursmateriell seniorer", "meldekort", "prosjektmidler bibliotek",
		`"logge inn"`, "skattemeldingen -eldre", "d-nummer", "frivillige"}
)

// loadTest signs every session in, finds tickets to work on, and runs the sessions until the
// time is up or the requests are done.
func loadTest(ctx context.Context, c config, out io.Writer) (*results, error) {
	transport := &http.Transport{MaxIdleConns: c.sessions * 2, MaxIdleConnsPerHost: c.sessions * 2, IdleConnTimeout: time.Minute}
	sessions := make([]*session, c.sessions)
	fmt.Fprintf(out, "signing in %d sessions at %s ...\n", c.sessions, c.base)
	for i := range sessions {
		sessions[i] = newSession(c.base, transport, uint64(i+1))
		if err := sessions[i].login(fmt.Sprintf(c.users, i+1), c.password); err != nil {
			return nil, err
		}
	}
	active, err := sessions[0].collectRefs([]string{"/innboks?vis=aktive", "/innboks?vis=ny", "/innboks?vis=venter"}, 8)
	if err != nil {
		return nil, err
	}
	others, err := sessions[0].collectRefs([]string{"/innboks?vis=lukket", "/innboks?vis=løst", "/innboks?vis=alle&etat=nav"}, 4)
	if err != nil {
		return nil, err
	}
	if len(active) < c.sessions {
		return nil, fmt.Errorf("found %d active tickets; the sessions need %d to answer apart", len(active), c.sessions)
	}
	fmt.Fprintf(out, "%d active and %d other tickets to work on; running for %s or %d requests, a pause of %s on average between a session's requests ...\n",
		len(active), len(others), c.duration, c.requests, c.think)
	res := newResults()
	ctx, cancel := context.WithTimeout(ctx, c.duration)
	defer cancel()
	var done atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for i, s := range sessions {
		// each session answers its own tickets, so no two replies meet on one ticket
		var mine []string
		for j := i; j < len(active); j += c.sessions {
			mine = append(mine, active[j])
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.work(ctx, c, &done, res, mine, append(active, others...))
		}()
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	return res, nil
}

// work sends requests of the mix until ctx ends or the bound on requests is reached.
func (s *session) work(ctx context.Context, c config, done *atomic.Int64, res *results, mine, all []string) {
	total := c.mix.inbox + c.mix.ticket + c.mix.search + c.mix.reply
	record := func(kind string, d time.Duration, err error) {
		if ctx.Err() == nil || err == nil { // a request cut by the end of the run is no error
			res.add(kind, d, err)
		}
		done.Add(1)
	}
	for ctx.Err() == nil && (c.requests == 0 || done.Load() < int64(c.requests)) {
		if c.think > 0 && !s.pause(ctx, c.think) {
			return
		}
		n := s.rng.IntN(total)
		switch {
		case n < c.mix.inbox:
			path := inboxViews[s.rng.IntN(len(inboxViews))]
			start := time.Now()
			_, err := s.get(path)
			record("inbox", time.Since(start), err)
		case n < c.mix.inbox+c.mix.ticket:
			start := time.Now()
			_, err := s.get("/saker/" + all[s.rng.IntN(len(all))])
			record("ticket", time.Since(start), err)
		case n < c.mix.inbox+c.mix.ticket+c.mix.search:
			start := time.Now()
			err := s.search(searches[s.rng.IntN(len(searches))])
			record("search", time.Since(start), err)
		default:
			s.reply(mine[s.rng.IntN(len(mine))], record)
		}
	}
}

// pause waits a time drawn from an exponential distribution with the given mean, as people
// who read a page before the next click; false when ctx ended meanwhile.
func (s *session) pause(ctx context.Context, mean time.Duration) bool {
	t := time.NewTimer(time.Duration(s.rng.ExpFloat64() * float64(mean)))
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
