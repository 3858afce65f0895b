package mailbridge

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ks-no/digihjelpen/mailbridge/oauth"
	"github.com/ks-no/digihjelpen/ticket"
)

// The sender backs off per SMTP server, never per mail: a server that cannot be reached is
// tried again after connRetryMin, twice as long after each failure in a row, at most
// connRetryMax, however many mails wait; the mails keep their turn and their tries, and when a
// connection succeeds every due mail goes at once. A server that refuses our login, or a token
// endpoint that refuses us, is tried less often (authRetryMin to authRetryMax): a wrong password
// tried every few seconds can lock the account. connRetryMax is what bounds the time from a
// server coming back to the mail going out.
const (
	connRetryMin = time.Second
	connRetryMax = 8 * time.Second
	authRetryMin = 30 * time.Second
	authRetryMax = 5 * time.Minute
)

// serverBackoff is the state of the back-off: failures in a row and when to try again.
type serverBackoff struct {
	failures int
	retryAt  time.Time
}

// next is the wait after failure number n (1, 2, ...) between lo and hi.
func backoffAfter(n int, lo, hi time.Duration) time.Duration {
	wait := lo
	for i := 1; i < n && wait < hi; i++ {
		wait *= 2
	}
	return min(wait, hi)
}

// mayTry reports whether the server may be tried now, and else when.
func (s *Sender) mayTry() (bool, time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return !s.Now().Before(s.off.retryAt), s.off.retryAt
}

// errUnreachable marks a pass that could not reach the SMTP server.
var errUnreachable = errors.New("smtp server unreachable")

// unreachable records a failed connection: the next try of the server is backed off, and the
// waiting mails say why, keeping their turn and their tries.
func (s *Sender) unreachable(ctx context.Context, due []*ticket.OutboundMail, cause error) error {
	reason := s.describe(cause)
	lo, hi := connRetryMin, connRetryMax
	if authRefused(cause) || isTokenError(cause) {
		lo, hi = authRetryMin, authRetryMax
	}
	s.mu.Lock()
	s.off.failures++
	after := backoffAfter(s.off.failures, lo, hi)
	s.off.retryAt = s.Now().Add(after)
	failures := s.off.failures
	s.mu.Unlock()
	s.report(reason)
	s.observe("", SendUnreachable)
	ids := make([]uint64, len(due))
	for i, m := range due {
		ids[i] = m.ID
	}
	if err := s.Outbox.NoteMailWaiting(ctx, ids, reason); err != nil {
		return fmt.Errorf("note why %d mails wait: %w", len(ids), err)
	}
	return fmt.Errorf("%w (%s); %d mails wait, next try in %s (failure %d in a row): %v", errUnreachable, s.Addr, len(due), after, failures, cause)
}

// reachable ends the back-off: the server took a connection.
func (s *Sender) reachable() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.off.failures > 0 {
		s.Logger.Info("smtp server reachable again; sending every due mail", "smtp", s.Addr, "failures", s.off.failures)
	}
	s.off = serverBackoff{}
	s.report("")
}

func isTokenError(err error) bool {
	var te *oauth.TokenError
	return errors.As(err, &te)
}

func (s *Sender) observe(kind ticket.MailKind, outcome SendOutcome) {
	if s.Observe != nil {
		s.Observe(kind, outcome)
	}
}
