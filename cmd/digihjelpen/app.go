package main

import (
	"context"
	"fmt"
	"time"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/routing"
	"github.com/ks-no/digihjelpen/ticket"
	"github.com/ks-no/digihjelpen/ticket/compose"
)

// app is the opened database with its services: what every command that touches data needs.
type app struct {
	cfg      Config
	db       *data.DB
	tickets  *data.TicketService
	events   *data.EventService
	users    *data.UserService
	sessions *data.SessionService
	tokens   *data.TokenService
	// agencies are the agencies in force when the command started: the configured ones
	// (defaults) with the administrators' edits from agencyStore, which serve keeps current.
	agencies    ticket.Agencies
	agencyStore *data.AgencyService
	router      ticket.Router
	// places recognises municipalities (the form's picker, the sender's domain).
	places *routing.Places
	// rules keeps the routing rules: it is router, and serves the admin pages (versions,
	// dry-runs); see router.go.
	rules *routing.Admin
	// composer writes outgoing mail; composer.Ack is the AckFunc for intake and the web form.
	composer *compose.Composer
	// retention anonymises closed tickets, audit reads and prunes the audit log (retention.go).
	retention *data.RetentionService
	audit     *data.AuditService
	// mail is what stands in the way of mail in and out, for the admin pages (mailstate.go).
	mail mailState
	// backups are the scheduled backups while serve runs them (nil: off).
	backups *scheduledBackups
	// monitor and metrics watch the server for /readyz, the alarms and /metrics (serve only;
	// nil in the other commands).
	monitor *monitor
	metrics *metrics
	// serving is set while serve runs on the app: commands run for the control socket share
	// it, and their Close leaves the database open (serve closes it with closeDB).
	serving bool
	// register is the municipality register (issue 16): the web's /kommuner and /kart, and
	// the special_need flags the router reads.
	register *data.RegisterService
}

// openApp loads the configuration and opens the database. A command that the running server
// runs for a caller (control.go) gets the server's app instead, with its configuration.
func openApp(configPath string, e env) (*app, error) {
	if e.server != nil {
		return e.server, nil
	}
	cfg, err := LoadConfig(configPath, e.environ)
	if err != nil {
		return nil, err
	}
	places, err := routing.LoadPlaces()
	if err != nil {
		return nil, fmt.Errorf("load municipalities: %w", err)
	}
	composer, err := compose.New(cfg.SMTP.From, cfg.Server.BaseURL)
	if err != nil {
		return nil, &ConfigError{Source: "configuration", Key: "smtp.from", Reason: err.Error()}
	}
	db := data.NewDB(cfg.Storage.Path)
	if err := db.Open(); err != nil {
		return nil, err
	}
	a := &app{
		cfg: cfg, db: db,
		tickets: data.NewTicketService(db), events: data.NewEventService(db), users: data.NewUserService(db),
		sessions: data.NewSessionService(db), tokens: data.NewTokenService(db),
		places: places, composer: composer, retention: data.NewRetentionService(db), audit: data.NewAuditService(db),
		register:    data.NewRegisterService(db),
		agencyStore: data.NewAgencyService(db, mergeAgencies(routing.DefaultAgencies(), cfg.Agencies)),
	}
	if a.agencies, err = a.agencyStore.FindAgencies(context.Background()); err != nil {
		db.Close()
		return nil, fmt.Errorf("read agencies: %w", err)
	}
	a.retention.Default = time.Duration(cfg.Retention.AnonymiseAfter)
	// The templates first: the rules are checked against them.
	if err := a.loadAckTemplates(context.Background()); err != nil {
		db.Close()
		return nil, err
	}
	if err := a.openRules(); err != nil {
		db.Close()
		return nil, err
	}
	return a, nil
}

// loadConfig is the configuration a command works with: the running server's when it runs
// inside it.
func loadConfig(configPath string, e env) (Config, error) {
	if e.server != nil {
		return e.server.cfg, nil
	}
	return LoadConfig(configPath, e.environ)
}

func (a *app) Close() error {
	if a.serving {
		return nil
	}
	return a.closeDB()
}

func (a *app) closeDB() error {
	if err := a.db.Close(); err != nil {
		return fmt.Errorf("close database: %w", err)
	}
	return nil
}

// cliContext marks changes made from the command line in the audit trail.
func cliContext(ctx context.Context) context.Context {
	return ticket.NewContextWithActor(ctx, ticket.Actor{Name: "cli", Role: ticket.RoleAdmin})
}
