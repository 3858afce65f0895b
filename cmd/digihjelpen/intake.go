package main

import (
	"log/slog"
	"net/mail"
	"time"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/mailbridge"
)

// newIntake wires mail intake: parsing in mailbridge, the transaction in data, routing by
// a.router and, when ack is true, the acknowledgement the outbox composes.
func newIntake(a *app, ack bool) *mailbridge.Intake {
	store := data.NewIntakeService(a.db)
	store.Router, store.Agencies = a.router, a.agencyStore.Defaults() // data applies the edits
	store.OwnAddresses = ownAddresses(a.cfg)
	if ack {
		store.Acknowledge = a.composer.Ack
	}
	in := &mailbridge.Intake{Store: store, OwnAddresses: store.OwnAddresses, MaxMessageBytes: a.cfg.IMAP.MaxMessageBytes}
	if a.metrics != nil {
		in.Observe = a.metrics.intakeObserved
	}
	return in
}

// ownAddresses are the contact point's own addresses, whose mail intake never takes as a
// question (a loop): the sender of outgoing mail, and the IMAP account when it is an address.
func ownAddresses(cfg Config) []string {
	var own []string
	for _, s := range []string{cfg.SMTP.From, cfg.IMAP.Username} {
		if a, err := mail.ParseAddress(s); err == nil {
			own = append(own, a.Address)
		}
	}
	return own
}

// addIntake adds the reading of the IMAP mailbox to jobs when imap.addr is set. On shutdown
// the poller commits and moves the mail in hand before it returns.
func addIntake(jobs *jobRunner, a *app, log *slog.Logger) {
	a.watch()
	c := a.cfg.IMAP
	if c.Addr == "" {
		log.Info("mail intake off: imap.addr is empty")
		return
	}
	p := &mailbridge.Poller{
		Addr: c.Addr, TLS: c.TLS, Username: c.Username, Password: c.Password, Mailbox: c.Mailbox,
		ProcessedMailbox: c.ProcessedMailbox, PollInterval: time.Duration(c.PollInterval), IDLE: c.IDLE,
		Intake: newIntake(a, true), Logger: log.With("component", "imap"),
		MailboxRead: a.monitor.mailboxRead, IdleState: a.monitor.idleState,
	}
	if err := a.wireIntakeAuth(p, p.Logger); err != nil {
		log.Error("mail intake off", "err", err)
		return
	}
	jobs.Add("imap-intake", p.Run)
}
