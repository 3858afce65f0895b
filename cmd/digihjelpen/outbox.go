package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/mailbridge"
	"github.com/ks-no/digihjelpen/web"
)

// wireMail gives the web server what it needs of outgoing mail.
func (a *app) wireMail(srv *web.Server) {
	srv.Acknowledge = a.composer.Ack
	srv.Composer = a.composer
	srv.Outbox = data.NewOutboxService(a.db)
	srv.Templates = data.NewTemplateService(a.db)
	srv.MailboxState = a.mail.web
}

// startOutbox starts the sender that drains the outbox over SMTP, woken at once by every
// commit that queues mail. The returned stop ends it and waits for the mail in flight, at
// most shutdownGrace (a mail cut off then stays queued and goes again).
func startOutbox(ctx context.Context, a *app, log *slog.Logger) (stop func(), err error) {
	c := a.cfg.SMTP
	s := &mailbridge.Sender{Addr: c.Addr, TLS: c.TLS, Username: c.Username, Password: c.Password,
		From: a.composer.From(), FromName: a.composer.FromName(), Outbox: data.NewOutboxService(a.db),
		Logger: log.With("component", "outbox")}
	if err := a.wireOutboxAuth(s, s.Logger); err != nil {
		return nil, err
	}
	if err := s.Open(); err != nil {
		return nil, &ConfigError{Source: "configuration", Key: "smtp.addr", Reason: err.Error()}
	}
	a.db.MailQueued = s.Wake
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := s.Run(ctx); err != nil {
			log.Error("mail sender stopped", "err", err)
		}
	}()
	return func() {
		cancel()
		select {
		case <-done:
		case <-time.After(shutdownGrace):
			log.Warn("mail sender did not stop in time; unsent mail stays queued")
		}
		// a.db.MailQueued stays set: Wake never blocks, and clearing it here would race with
		// jobs that still commit during shutdown.
	}, nil
}
