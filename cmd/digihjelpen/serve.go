package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"time"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/ticket"
	"github.com/ks-no/digihjelpen/web"
)

// shutdownGrace is how long in-flight requests and jobs get to finish after SIGINT/SIGTERM.
const shutdownGrace = 15 * time.Second

func runServe(ctx context.Context, args []string, e env) error {
	fs, configPath := newFlags("serve", e)
	if rest, err := parseFlags(fs, args); err != nil {
		return err
	} else if len(rest) > 0 {
		return fmt.Errorf("%w: serve takes no arguments, got %q", errUsage, rest)
	}
	a, err := openApp(*configPath, e)
	if err != nil {
		return err
	}
	defer a.Close()
	log := newLogger(e.stderr, a.cfg.Server.LogLevel)
	warnAckTemplates(a, log)
	if err := ensureAdmin(ctx, a, e); err != nil {
		return err
	}
	reminders, stopReminders := context.WithCancel(ctx)
	defer func(wait func()) { stopReminders(); wait() }(startReferralReminders(reminders, a, log, reminderInterval))
	srv, err := newWebServer(ctx, a, log)
	if err != nil {
		return err
	}
	defer startRetention(ctx, a, log)()
	stopOutbox, err := startOutbox(ctx, a, log)
	if err != nil {
		return err
	}
	defer stopOutbox()
	defer startSearchIndexer(ctx, a, log)()
	defer startRoutingLearner(ctx, a, log)()
	stopStats, err := startStatsMail(ctx, a, log)
	if err != nil {
		return err
	}
	defer stopStats()
	ln, err := net.Listen("tcp", a.cfg.Server.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s (server.addr): %w", a.cfg.Server.Addr, err)
	}
	log.Info("digihjelpen started", "addr", ln.Addr().String(), "base_url", a.cfg.Server.BaseURL, "db", a.cfg.Storage.Path)
	fmt.Fprintf(e.stdout, "Digihjelpen kjører på http://%s/ (innboks: /innboks)\n", ln.Addr())

	waitIntake := startIntake(ctx, a, log, shutdownGrace)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return fmt.Errorf("web server stopped: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down", "grace", shutdownGrace)
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		log.Error("web shutdown", "err", err)
	}
	waitIntake()
	log.Info("stopped")
	return nil
}

func newWebServer(ctx context.Context, a *app, log *slog.Logger) (*web.Server, error) {
	secret, err := a.db.Secret(ctx, "web")
	if err != nil {
		return nil, fmt.Errorf("web secret: %w", err)
	}
	proxies, err := web.ParseTrustedProxies(a.cfg.Server.TrustedProxies)
	if err != nil {
		return nil, fmt.Errorf("server.trusted_proxies: %w", err)
	}
	srv := &web.Server{
		Tickets: a.tickets, Events: a.events, Users: a.users, Sessions: a.sessions, Tokens: a.tokens,
		Agencies: a.agencies, BaseURL: a.cfg.Server.BaseURL, Secret: secret, Logger: log, Stats: data.NewStatsService(a.db),
		Health: a.db.Ping, TrustedProxies: proxies,
		// the public form and the admin pages
		Places: a.places, Router: a.router, Backup: a.db.Backup, Retention: a.retention,
		RetainFor: time.Duration(a.cfg.Retention.AnonymiseAfter),
		// routing rules and referrals
		Rules: a.rules, Referrals: a.tickets, ReminderAfter: time.Duration(a.cfg.Routing.ReferralReminderAfter),
	}
	a.wireMail(srv)
	wireStaffWeb(a, srv)
	srv.Quarantine, srv.Deleter = newIntake(a, true), a.tickets // mail intake
	if err := srv.Open(); err != nil {
		return nil, err
	}
	return srv, nil
}

// ensureAdmin creates the first administrator on an empty database and prints the password
// once. It is never stored in clear or logged.
func ensureAdmin(ctx context.Context, a *app, e env) error {
	n, err := a.users.CountUsers(ctx)
	if err != nil || n > 0 {
		return err
	}
	password := web.GeneratePassword()
	hash, err := web.HashPassword(password)
	if err != nil {
		return err
	}
	u := &ticket.User{Email: a.cfg.Server.AdminEmail, Name: "Administrator", Role: ticket.RoleAdmin, PasswordHash: hash}
	if err := a.users.CreateUser(cliContext(ctx), u); err != nil {
		return fmt.Errorf("create first admin: %w", err)
	}
	fmt.Fprintf(e.stdout, "Første administrator er opprettet.\n  E-post:  %s\n  Passord: %s\nPassordet vises bare denne ene gangen.\n", u.Email, password)
	return nil
}
