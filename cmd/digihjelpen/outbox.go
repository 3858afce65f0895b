package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/mailbridge"
	"github.com/ks-no/digihjelpen/web"
)

// loadAckTemplate puts the acknowledgement text admins saved into the composer, so that
// a.composer.Ack (the AckFunc of intake and the form) never reads storage.
func (a *app) loadAckTemplate(ctx context.Context) error {
	t, err := data.NewTemplateService(a.db).FindAckTemplate(ctx)
	if err != nil {
		return fmt.Errorf("load acknowledgement template: %w", err)
	}
	a.composer.SetAckTemplate(t)
	return nil
}

// wireMail gives the web server what it needs of outgoing mail.
func (a *app) wireMail(srv *web.Server) {
	srv.Acknowledge = a.composer.Ack
	srv.Composer = a.composer
	srv.Outbox = data.NewOutboxService(a.db)
	srv.Templates = data.NewTemplateService(a.db)
}

// startOutbox starts the sender that drains the outbox over SMTP, woken at once by every
// commit that queues mail. The returned stop ends it and waits for the mail in flight, at
// most shutdownGrace (a mail cut off then stays queued and goes again).
func startOutbox(ctx context.Context, a *app, log *slog.Logger) (stop func(), err error) {
	c := a.cfg.SMTP
	s := &mailbridge.Sender{Addr: c.Addr, TLS: c.TLS, Username: c.Username, Password: c.Password,
		From: a.composer.From(), FromName: a.composer.FromName(), Outbox: data.NewOutboxService(a.db),
		Logger: log.With("component", "outbox")}
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
