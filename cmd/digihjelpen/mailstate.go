package main

import (
	"fmt"
	"log/slog"
	"sync"

	"github.com/ks-no/digihjelpen/mailbridge"
	"github.com/ks-no/digihjelpen/web"
)

// mailState keeps what the mail loops last reported stands in their way, for the admin front
// page and the outbox page. The zero value is ready.
type mailState struct {
	mu             sync.Mutex
	intake, outbox string
	outboxOff      bool // smtp.addr is empty: mail only waits
}

func (m *mailState) setIntake(problem string) { m.mu.Lock(); defer m.mu.Unlock(); m.intake = problem }
func (m *mailState) setOutbox(problem string) { m.mu.Lock(); defer m.mu.Unlock(); m.outbox = problem }
func (m *mailState) setOutboxOff(off bool)    { m.mu.Lock(); defer m.mu.Unlock(); m.outboxOff = off }

// web is web.Server.MailboxState.
func (m *mailState) web() web.MailState {
	m.mu.Lock()
	defer m.mu.Unlock()
	return web.MailState{Intake: m.intake, Outbox: m.outbox, OutboxOff: m.outboxOff}
}

// wireIntakeAuth gives the poller its OAuth2 token source ([imap] auth = "xoauth2") and the
// state reporter.
func (a *app) wireIntakeAuth(p *mailbridge.Poller, log *slog.Logger) error {
	src, err := a.cfg.IMAP.mailAuth().source(log)
	if err != nil {
		return fmt.Errorf("imap.token_url: %w", err)
	}
	p.Token, p.ReportState = src, a.mail.setIntake
	return nil
}

// wireOutboxAuth does the same for the sender ([smtp] auth = "xoauth2").
func (a *app) wireOutboxAuth(s *mailbridge.Sender, log *slog.Logger) error {
	src, err := a.cfg.SMTP.mailAuth().source(log)
	if err != nil {
		return &ConfigError{Source: "configuration", Key: "smtp.token_url", Reason: err.Error()}
	}
	s.Token, s.ReportState = src, a.mail.setOutbox
	return nil
}
