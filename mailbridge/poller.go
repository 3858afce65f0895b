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
	// Mailbox is read; ProcessedMailbox receives what is stored (created when missing).
	Mailbox, ProcessedMailbox string
	PollInterval              time.Duration
	IDLE                      bool
	Intake                    *Intake
	Logger                    *slog.Logger
	// MinBackoff and MaxBackoff bound the wait before a reconnect (defaults 1s and 5m).
	MinBackoff, MaxBackoff time.Duration
	// BatchSize is how many mails are fetched and committed together (default 50); a batch
	// also stops at 16 MB.
	BatchSize int

	// afterCommit runs after each commit, before the mails are moved; tests use it to stop a
	// session at the worst moment.
	afterCommit func() error
}

const batchBytes = 16 << 20

func (p *Poller) defaults() {
	if p.Logger == nil {
		p.Logger = slog.Default()
	}
	if p.MinBackoff <= 0 {
		p.MinBackoff = time.Second
	}
	if p.MaxBackoff < p.MinBackoff {
		p.MaxBackoff = max(5*time.Minute, p.MinBackoff)
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
	backoff := p.MinBackoff
	for {
		synced, err := p.session(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if synced {
			backoff = p.MinBackoff
		} else {
			p.report(err)
		}
		wait := backoff/2 + rand.N(backoff/2+1) // jitter, so several servers do not retry in step
		p.Logger.Warn("imap session ended", "addr", p.Addr, "mailbox", p.Mailbox, "err", err, "retry_in", wait.Round(time.Millisecond))
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(wait):
		}
		backoff = min(backoff*2, p.MaxBackoff)
	}
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
		return fmt.Errorf("idle: %w", err)
	}
	closed := false
	select {
	case <-ctx.Done():
	case <-newMail:
	case <-timer.C:
	case <-c.Closed():
		closed = true
	}
	if err := idle.Close(); err != nil {
		return fmt.Errorf("end idle: %w", err)
	}
	if err := idle.Wait(); err != nil {
		return fmt.Errorf("idle: %w", err)
	}
	if closed {
		return errClosed
	}
	return nil
}
