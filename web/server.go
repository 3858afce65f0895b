// Package web serves the staff inbox, the admin pages, the public question form, the private
// status page and the JSON API, with fiber. Pages are server-rendered HTML in bokmål that work
// without JavaScript. It knows the domain (package ticket) and nothing of storage or mail.
package web

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"net/url"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/ks-no/digihjelpen/ticket"
	"github.com/ks-no/digihjelpen/ticket/compose"
	"github.com/ks-no/digihjelpen/ticket/notify"
	"github.com/ks-no/digihjelpen/web/sso"
)

// TicketStore is what the web needs of ticket storage.
type TicketStore interface {
	ticket.TicketService
	ticket.MessageService
	ticket.BulkUpdater
	// FillPreviews gives tickets stored without a preview the preview of their latest
	// message (data.TicketService.FillPreviews).
	FillPreviews(ctx context.Context, list []*ticket.Ticket) error
}

// Server is the web server. Set the exported fields, then call Open.
type Server struct {
	Tickets  TicketStore
	Events   ticket.EventService
	Users    ticket.UserService
	Sessions ticket.SessionService
	Tokens   ticket.TokenService
	// Agencies are the configured agencies: what AgencyStore's versions change, and the list
	// itself when there is no store.
	Agencies ticket.Agencies
	// AgencyStore keeps the administrators' edits of the agencies (/admin/etater); nil: the
	// configured ones, read only. AgenciesChanged, when set, hears of every save (the
	// composer names agencies in acknowledgements).
	AgencyStore     ticket.AgencyService
	AgenciesChanged func(ticket.Agencies)
	// BaseURL is the public address; cookies get Secure when it is https.
	BaseURL string
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names the client (for the
	// per-address limits); empty: the address a connection comes from is the client.
	TrustedProxies []netip.Prefix
	// Secret signs CSRF tokens; keep it stable across restarts.
	Secret []byte
	// Health reports whether storage answers, for /healthz.
	Health func(ctx context.Context) error
	// Readiness checks the database, the mailbox and the outbox for /readyz; nil: /readyz is
	// /healthz.
	Readiness func(ctx context.Context) Readiness
	// Alarms are the operational problems administrators see as a banner on every page
	// (the mailbox not read, mail waiting too long); nil shows none.
	Alarms func(ctx context.Context) []string
	Logger *slog.Logger
	Now    func() time.Time

	// Staff inbox and ticket page (issue 6, staff side).
	// Similar finds answered tickets like the one shown; nil leaves the section out.
	Similar ticket.SimilarFinder
	// Metrics is the Prometheus registry /metrics serves; Open adds the request durations to
	// it. nil: a registry of the web's own.
	Metrics *prometheus.Registry

	// Routing rules and referrals (issue 5).
	// Rules serves the rule pages under /admin/regler; nil leaves them out.
	Rules RulesAdmin
	// Learning is the routing model that learns from staff (issue 15): «Forslag» on the ticket
	// page and its held-out accuracy on /admin/regler; nil leaves both out.
	Learning ticket.RoutingModel
	// Referrals lists the open referrals on /henvisninger; nil leaves the page out.
	Referrals ReferralFinder
	// ReminderAfter is how long an agency has to answer a referral (0: no reminders).
	ReminderAfter time.Duration

	// Outgoing mail (issue 4). Acknowledge composes the acknowledgement of a ticket from the
	// public form (pass it in ticket.CreateOptions).
	Acknowledge ticket.AckFunc
	// Composer writes replies, referrals and notices; Outbox is the queue they go to;
	// Templates holds the acknowledgement text and the canned responses admins edit.
	Composer  *compose.Composer
	Outbox    ticket.OutboxService
	Templates ticket.TemplateService
	// Drafts keeps reply drafts on the server (autosaved, «Lagre utkast»); nil leaves them out.
	Drafts ticket.DraftService

	// Public form, status page and administration.

	// Places lists the municipalities for the form's picker and recognises them by mail domain.
	Places ticket.Places
	// Router decides where a question from the form belongs; nil sends everything to KS.
	Router ticket.Router
	// Backup writes a consistent copy of the database to w (data.DB.Backup), for the admin
	// download; nil hides it.
	Backup func(ctx context.Context, w io.Writer) (int64, error)
	// Retention is the anonymiser: the setting admins change and preview at /admin/oppbevaring,
	// its last run, and the policy the public form states.
	Retention ticket.RetentionService
	// PublicLimit is how many forms one address may send per hour (new questions and additions
	// on status pages); 0 means defaultPublicLimit.
	PublicLimit int
	// Timeouts bound slow clients; the zero value takes the defaults (timeouts.go).
	Timeouts Timeouts

	public *failureLimiter // form submissions per address
	misses *failureLimiter // unknown status links per address

	// Privacy (issue 14): a person's data at /admin/personer and /api/v1/persons (nil leaves
	// them out), and the audit log at /admin/logg (nil leaves it out).
	Persons ticket.PersonService
	Audit   ticket.AuditService

	// Statistics (issue 7): the weekly report, the charts and the exports of /statistikk and
	// /api/v1/stats.
	Stats ticket.StatsService

	// Mail intake: the quarantine of mail that did not become tickets, and deleting tickets
	// for good (admins).
	Quarantine ticket.QuarantineService
	Deleter    TicketDeleter
	// MailboxState reports what keeps mail from being read or sent, for the admin front page
	// and the outbox page (mail_state.go); nil shows nothing.
	MailboxState func() MailState

	// Sign-in (issue 11): staff accounts of the organisation's OpenID provider, and two-factor,
	// self-service and «Glemt passord?» for local accounts (accounts.go). Accounts nil leaves
	// two-factor and reset links out.
	Accounts ticket.AccountService
	// SSO is sign-in with OpenID Connect; an empty Issuer turns it off.
	SSO SSOConfig
	// PasswordLoginOff (server.password_login = false) hides the password form: only local
	// administrators may still use it, at /logg-inn?lokal=1, the way in when the provider fails.
	PasswordLoginOff bool
	// Nothing slips (issue 13): notifications to staff and team webhooks, the live inbox with
	// markers, saved views and searches with their own URL.
	// Notifications keeps each user's settings (/konto/varsler); nil leaves the page out.
	Notifications ticket.NotifyService
	// Webhooks keeps the team webhooks (/admin/webhooker), whose test posts Planner writes.
	Webhooks ticket.WebhookService
	Planner  *notify.Planner
	// Seen remembers who opened which ticket, for the inbox's markers; nil: no markers.
	Seen ticket.SeenService
	// SavedViews and Searches keep the inbox's named views and its search texts.
	SavedViews ticket.SavedViewService
	Searches   ticket.SearchService
	// Changes is a number that moves on whenever a ticket changed (data.DB.TicketsChanged),
	// for the inbox's light poll; nil: the inbox does not update by itself. PollEvery is how
	// often an open inbox asks (default 10 s; tests make it shorter).
	Changes   func() uint64
	PollEvery time.Duration
	sso       *sso.Client
	csp       string // the Content-Security-Policy, with the provider's origin for logout
	resets    *failureLimiter
	// signOuts counts the provider's front-channel logout requests per address (sso_logout.go).
	signOuts *failureLimiter

	requestSeconds *prometheus.HistogramVec
	metricsHandler fiber.Handler

	// Overview is the municipality register, the map and the handbook (issue 16).
	Overview Overview

	app        *fiber.App
	started    time.Time // when Open ran, for the live inbox's change token
	views      *views
	secure     bool
	logins     *loginLimiter
	life       *lifecycle                 // background goroutines and downloads, ended by Shutdown
	presence   *presence                  // who has which ticket open (staff side)
	placeCache atomic.Pointer[placeLists] // placeLists, made once from Places
	table      map[string]route           // the route table by "METHOD /path"
	menus      map[menuSet][]route        // the routes of each menu, in order
}

// Open checks the configuration, parses the templates and builds the routes.
func (s *Server) Open() error {
	if len(s.Secret) < 32 {
		return fmt.Errorf("web: secret must be at least 32 bytes")
	}
	u, err := url.Parse(s.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("web: base URL %q must be an absolute http or https URL", s.BaseURL)
	}
	s.secure = u.Scheme == "https"
	if s.Logger == nil {
		s.Logger = slog.Default()
	}
	if s.Now == nil {
		s.Now = time.Now
	}
	s.started = s.Now()
	if s.views, err = parsedViews(); err != nil {
		return err
	}
	if err := s.openMetrics(); err != nil {
		return fmt.Errorf("web: metrics: %w", err)
	}
	s.logins = newLoginLimiter(s.Now)
	s.presence = newPresence(s.Now)
	s.life = newLifecycle()
	s.life.goUntilShutdown(s.logins.sweep)
	s.openPublic()
	s.openAccounts()
	s.Timeouts = s.Timeouts.withDefaults()
	s.app = fiber.New(fiber.Config{
		AppName:               "digihjelpen",
		ErrorHandler:          s.handleError,
		DisableStartupMessage: true,
		BodyLimit:             maxBodyBytes,
		ReadTimeout:           s.Timeouts.Read,
		WriteTimeout:          s.Timeouts.Write, // the whole response; downloads move it on (stream.go)
		IdleTimeout:           s.Timeouts.Idle,
		// Never fiber's ProxyHeader: it believes the leftmost X-Forwarded-For entry, which the
		// client writes. clientAddr reads the header from trusted proxies only.
		ProxyHeader: "",
	})
	return s.routes()
}

// maxBodyBytes bounds a request body (form uploads included).
const maxBodyBytes = 26 << 20

// App returns the fiber app, for app.Test in tests.
func (s *Server) App() *fiber.App { return s.app }

// Serve answers requests on ln until Shutdown.
func (s *Server) Serve(ln net.Listener) error {
	return s.app.Listener(ln)
}

// Shutdown stops accepting connections and waits for requests in flight, up to the deadline
// of ctx. Streamed downloads still running are cut off at once (a large backup would outlast
// any grace period, and the database closes after this): their producers stop and close their
// read transactions, and Shutdown waits for them and for the server's background goroutines.
func (s *Server) Shutdown(ctx context.Context) error {
	if s.life == nil { // never opened
		return nil
	}
	s.life.close()
	var err error
	if deadline, ok := ctx.Deadline(); ok {
		err = s.app.ShutdownWithTimeout(time.Until(deadline))
	} else {
		err = s.app.Shutdown()
	}
	if werr := s.life.wait(ctx); werr != nil && err == nil {
		err = fmt.Errorf("web: downloads still running at the deadline: %w", werr)
	}
	return err
}
