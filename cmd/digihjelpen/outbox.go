package main

import (
	"log/slog"

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
	srv.Drafts = data.NewDraftService(a.db)
	a.mail.setOutboxOff(a.cfg.SMTP.Addr == "")
	srv.MailboxState = a.mail.web
}

// addOutbox wires the sender that drains the outbox over SMTP and adds it to jobs: every
// commit that queues mail wakes it at once (DB.MailQueued, set here, before any job starts).
// On shutdown it finishes the mail in flight within the grace period; a mail cut off then
// stays queued and goes again.
func addOutbox(jobs *jobRunner, a *app, log *slog.Logger) error {
	a.watch()
	c := a.cfg.SMTP
	s := &mailbridge.Sender{Addr: c.Addr, TLS: c.TLS, Username: c.Username, Password: c.Password,
		From: a.composer.From(), FromName: a.composer.FromName(), Outbox: data.NewOutboxService(a.db),
		Logger: log.With("component", "outbox"), Observe: a.metrics.sendObserved}
	if err := a.wireOutboxAuth(s, s.Logger); err != nil {
		return err
	}
	if err := s.Open(); err != nil {
		return &ConfigError{Source: "configuration", Key: "smtp.addr", Reason: err.Error()}
	}
	// It stays set after the sender stops: Wake never blocks, and clearing it would race with
	// jobs that still commit during shutdown.
	a.db.MailQueued = s.Wake
	jobs.Add("outbox", s.Run)
	return nil
}
