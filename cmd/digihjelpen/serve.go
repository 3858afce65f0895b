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
	defer a.closeDB()
	// Both listeners before anything else: a start that cannot serve fails at once, with the
	// reason, and changes nothing (no first administrator, no job started).
	ln, err := net.Listen("tcp", a.cfg.Server.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s (server.addr): %w", a.cfg.Server.Addr, err)
	}
	defer ln.Close() // when the start fails; the web server has closed it otherwise
	control, err := listenControl(a.cfg.Storage.Path)
	if err != nil {
		return err
	}
	a.serving = true
	log := newLogger(e.stderr, a.cfg.Server.LogLevel)
	warnAckTemplates(a, log)
	if err := ensureAdmin(ctx, a, e); err != nil {
		closeControl(control, a.cfg.Storage.Path)
		return err
	}
	s, err := wireServe(ctx, a, log, control)
	if err != nil {
		closeControl(control, a.cfg.Storage.Path)
		return err
	}
	log.Info("digihjelpen started", "addr", ln.Addr().String(), "base_url", a.cfg.Server.BaseURL, "db", a.cfg.Storage.Path,
		"control_socket", socketPath(a.cfg.Storage.Path))
	fmt.Fprintf(e.stdout, "Digihjelpen kjører på http://%s/ (innboks: /innboks)\n", ln.Addr())
	return s.run(ctx, ln, shutdownGrace)
}

// server is serve wired: the web server and the background jobs, nothing started yet.
type server struct {
	web  *web.Server
	jobs *jobRunner
	log  *slog.Logger
}

// wireServe builds and connects everything serve runs (the web server, the hooks between
// storage and the mail sender, every background job) and starts none of it, so no job or
// request ever sees a half-wired app.
func wireServe(ctx context.Context, a *app, log *slog.Logger, control *net.UnixListener) (*server, error) {
	jobs := newJobRunner(log)
	a.watch()
	addControl(jobs, a, control, log)
	if err := addOutbox(jobs, a, log); err != nil {
		return nil, err
	}
	if err := addNotifications(jobs, a, log); err != nil {
		return nil, err
	}
	addReferralReminders(jobs, a, log, reminderInterval)
	addRetention(jobs, a, log)
	a.backups = addBackups(jobs, a, log)
	addAutoClose(jobs, a, log, autoCloseEvery)
	addSearchIndexer(jobs, a, log)
	addRoutingLearner(jobs, a, log)
	if err := addStatsMail(jobs, a, log); err != nil {
		return nil, err
	}
	addIntake(jobs, a, log)
	addAlarms(jobs, a, a.monitor, log)
	srv, err := newWebServer(ctx, a, log)
	if err != nil {
		return nil, err
	}
	return &server{web: srv, jobs: jobs, log: log}, nil
}

// run starts the jobs and serves on ln until ctx ends; then the web server (downloads in
// flight included) and the jobs stop together, within grace.
func (s *server) run(ctx context.Context, ln net.Listener, grace time.Duration) error {
	s.jobs.Start(ctx)
	served := make(chan error, 1)
	go func() { served <- s.web.Serve(ln) }()
	select {
	case err := <-served:
		s.stop(grace)
		return fmt.Errorf("web server stopped: %w", err)
	case <-ctx.Done():
	}
	s.log.Info("shutting down", "grace", grace)
	s.stop(grace)
	s.log.Info("stopped")
	return nil
}

// stop shuts the web server down and stops the jobs, both within grace. The jobs' context
// has ended already on a signal, so they wind down while the web server drains.
func (s *server) stop(grace time.Duration) {
	sctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	if err := s.web.Shutdown(sctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		s.log.Error("web shutdown", "err", err)
	}
	s.jobs.Stop(sctx) // logs the jobs that did not stop in time
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
	a.watch()
	srv := &web.Server{
		Tickets: a.tickets, Events: a.events, Users: a.users, Sessions: a.sessions, Tokens: a.tokens,
		Agencies: a.agencyStore.Defaults(), AgencyStore: a.agencyStore, AgenciesChanged: a.composer.SetAgencies,
		BaseURL: a.cfg.Server.BaseURL, Secret: secret, Logger: log, Stats: data.NewStatsService(a.db),
		Health: a.db.Ping, TrustedProxies: proxies,
		// /readyz, /metrics and the administrators' banner
		Readiness: a.monitor.readiness, Metrics: a.metrics.registry, Alarms: a.monitor.alarmTexts,
		// the public form and the admin pages
		Places: a.places, Router: a.router, Backup: a.db.Backup, Retention: a.retention,
		// privacy: a person's data and the audit log
		Persons: data.NewPersonService(a.db), Audit: a.audit,
		// routing rules and referrals
		Rules: a.rules, Referrals: a.tickets, ReminderAfter: time.Duration(a.cfg.Routing.ReferralReminderAfter),
	}
	a.wireMail(srv)
	wireStaffWeb(a, srv)
	wireAccounts(a, srv)
	wireOverview(a, srv)
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
