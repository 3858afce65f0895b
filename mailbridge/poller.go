package mailbridge

import (
	"context"
	"crypto/tls"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/ks-no/digihjelpen/mailbridge/oauth"
)

// Poller reads an IMAP mailbox into tickets with go-imap v2. It fetches every mail above the
// checkpoint, hands them to Intake (which stores them and advances the checkpoint in the same
// transaction), and only after that commit flags them \Seen and moves them to the processed
// mailbox. It waits for new mail with IDLE when the server has it (and polls anyway every
// PollInterval, in case a notification is lost), and reconnects with backoff when the server
// goes away.
type Poller struct {
	// Addr is host:port; TLS is "none", "starttls" or "tls" (implicit TLS).
	Addr string
	TLS  string
	// TLSConfig is optional (a private CA); the server name is set from Addr when empty.
	TLSConfig          *tls.Config
	Username, Password string
	// Token, when set, logs in with an OAuth2 access token instead of Password (SASL
	// OAUTHBEARER or XOAUTH2, as the server offers; Mechanisms overrides the order).
	Token      *oauth.Source
	Mechanisms []string
	// ReportState, when set, is told after every connection attempt what keeps the mailbox
	// from being read (a Norwegian sentence), and "" once it has been read.
	ReportState func(problem string)
	// MailboxRead, when set, is called after every complete read of the mailbox (for /readyz
	// and /metrics: when was the mailbox last read?).
	MailboxRead func()
	// IdleState, when set, is told whether IDLE works: true when the server took IDLE, false
	// when IDLE failed or its end did not come back (a dead connection).
	IdleState func(alive bool)
	// Mailbox is read; ProcessedMailbox receives what is stored (created when missing).
	Mailbox, ProcessedMailbox string
	PollInterval              time.Duration
	IDLE                      bool
	Intake                    *Intake
	Logger                    *slog.Logger
	// MinBackoff and MaxBackoff bound the wait before a reconnect (defaults 1s and 8s, so
	// intake resumes within about ten seconds of the server coming back). LoginBackoffMin and
	// LoginBackoffMax bound it when the server refused the login or the token (defaults 30s
	// and 5m): a wrong password tried every few seconds can lock the account.
	MinBackoff, MaxBackoff           time.Duration
	LoginBackoffMin, LoginBackoffMax time.Duration
	// BatchSize is how many mails are fetched and committed together (default 50); a batch
	// also stops at 16 MB.
	BatchSize int

	// afterCommit runs after each commit, before the mails are moved; tests use it to stop a
	// session at the worst moment.
	afterCommit func() error
}

const batchBytes = 16 << 20

// DefaultReconnectMax is the longest wait before reconnecting to an IMAP server that could not
// be reached: what bounds the time from the server coming back to intake resuming.
const DefaultReconnectMax = 8 * time.Second

// idleEndTimeout bounds the wait for the server's answer to DONE: on a connection that died
// without a word (no RST) it would never come, and the poller would wait for ever.
const idleEndTimeout = 30 * time.Second

func (p *Poller) defaults() {
	if p.Logger == nil {
		p.Logger = slog.Default()
	}
	if p.MinBackoff <= 0 {
		p.MinBackoff = time.Second
	}
	if p.MaxBackoff < p.MinBackoff {
		p.MaxBackoff = max(DefaultReconnectMax, p.MinBackoff)
	}
	if p.LoginBackoffMin <= 0 {
		p.LoginBackoffMin = authRetryMin
	}
	if p.LoginBackoffMax < p.LoginBackoffMin {
		p.LoginBackoffMax = max(authRetryMax, p.LoginBackoffMin)
	}
	if p.BatchSize <= 0 {
		p.BatchSize = 50
	}
	if p.PollInterval <= 0 {
		p.PollInterval = time.Minute
	}
}

// Run reads mail until ctx is done. A shutdown lets the mails in hand be committed and moved
// first. Connection and server errors are logged and retried with backoff; Run returns only
// when ctx is done.
func (p *Poller) Run(ctx context.Context) error {
	p.defaults()
	failures := 0
	quiet := &repeatLog{}
	for {
		synced, err := p.session(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if synced {
			failures = 0
		} else {
			failures++
			p.report(err)
		}
		lo, hi := p.MinBackoff, p.MaxBackoff
		if loginRefused(err) {
			lo, hi = p.LoginBackoffMin, p.LoginBackoffMax
		}
		backoff := backoffAfter(max(failures, 1), lo, hi)
		wait := backoff/2 + rand.N(backoff/2+1) // jitter, so several servers do not retry in step
		if quiet.first(err) {
			p.Logger.Warn("imap session ended", "addr", p.Addr, "mailbox", p.Mailbox, "err", err, "retry_in", wait.Round(time.Millisecond))
		} else {
			p.Logger.Debug("imap session ended again", "addr", p.Addr, "err", err, "retry_in", wait.Round(time.Millisecond), "failures", failures)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(wait):
		}
	}
}

// repeatLog lets a retry loop warn once per problem, and again every repeatLogEvery while it
// lasts, instead of at every try.
type repeatLog struct {
	last string
	at   time.Time
}

const repeatLogEvery = 5 * time.Minute

func (r *repeatLog) first(err error) bool {
	msg := fmt.Sprint(err)
	if msg == r.last && time.Since(r.at) < repeatLogEvery {
		return false
	}
	r.last, r.at = msg, time.Now()
	return true
}

// session is one connection: log in, select, then sync and wait until something fails or ctx
// is done. synced reports whether at least one sync completed (the backoff then starts over).
func (p *Poller) session(ctx context.Context) (synced bool, err error) {
	newMail := make(chan struct{}, 1)
	c, err := p.connect(newMail)
	if err != nil {
		return false, err
	}
	defer c.Close()
	if err := p.ensureMailbox(c, p.ProcessedMailbox); err != nil {
		return false, err
	}
	sel, err := c.Select(p.Mailbox, nil).Wait()
	if err != nil {
		return false, fmt.Errorf("select %s: %w", p.Mailbox, err)
	}
	p.Logger.Info("imap connected", "addr", p.Addr, "mailbox", p.Mailbox, "messages", sel.NumMessages,
		"idle", p.IDLE && canIdle(c))
	for ctx.Err() == nil {
		if err := p.sync(ctx, c, sel.UIDValidity); err != nil {
			return synced, err
		}
		if !synced {
			p.report(nil)
		}
		if p.MailboxRead != nil {
			p.MailboxRead()
		}
		synced = true
		if ctx.Err() != nil {
			break
		}
		if err := p.wait(ctx, c, newMail); err != nil {
			return true, err
		}
	}
	c.Logout().Wait()
	return synced, nil
}

// wait returns when there may be new mail: an IDLE notification, the poll interval, or ctx.
func (p *Poller) wait(ctx context.Context, c *imapclient.Client, newMail <-chan struct{}) error {
	timer := time.NewTimer(p.PollInterval)
	defer timer.Stop()
	if !p.IDLE || !canIdle(c) {
		select {
		case <-ctx.Done():
		case <-timer.C:
		case <-c.Closed():
			return errClosed
		}
		return nil
	}
	idle, err := c.Idle()
	if err != nil {
		p.idleState(false)
		return fmt.Errorf("idle: %w", err)
	}
	p.idleState(true)
	closed := false
	select {
	case <-ctx.Done():
	case <-newMail:
	case <-timer.C:
	case <-c.Closed():
		closed = true
	}
	if err := p.endIdle(c, idle); err != nil {
		if !closed {
			p.idleState(false)
		}
		return err
	}
	if closed {
		return errClosed
	}
	return nil
}

// endIdle sends DONE and waits for the server's answer, at most idleEndTimeout: then the
// connection is taken for dead and closed.
func (p *Poller) endIdle(c *imapclient.Client, idle *imapclient.IdleCommand) error {
	if err := idle.Close(); err != nil {
		return fmt.Errorf("end idle: %w", err)
	}
	done := make(chan error, 1)
	go func() { done <- idle.Wait() }()
	timeout := time.NewTimer(idleEndTimeout)
	defer timeout.Stop()
	select {
	case err := <-done:
		if err != nil {
			return fmt.Errorf("idle: %w", err)
		}
		return nil
	case <-timeout.C:
		c.Close()
		<-done
		return errIdleDead
	}
}

// errIdleDead ends a session whose server did not answer the end of IDLE.
var errIdleDead = fmt.Errorf("the server did not answer the end of IDLE within %v: connection taken for dead", idleEndTimeout)

func (p *Poller) idleState(alive bool) {
	if p.IdleState != nil {
		p.IdleState(alive)
	}
}
