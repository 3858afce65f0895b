package mailbridge

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	gomail "github.com/wneessen/go-mail"
	"golang.org/x/oauth2"

	"github.com/ks-no/digihjelpen/mailbridge/oauth"
	"github.com/ks-no/digihjelpen/ticket"
)

// Outbox is what the sender needs of the outbox (ticket.OutboxService has it).
type Outbox interface {
	FindDueMail(ctx context.Context, limit int) ([]*ticket.OutboundMail, error)
	MarkMailSent(ctx context.Context, id uint64) error
	MarkMailFailed(ctx context.Context, id uint64, f ticket.MailFailure) (*ticket.OutboundMail, error)
	NoteMailWaiting(ctx context.Context, ids []uint64, reason string) error
}

// Sender drains the outbox over SMTP with go-mail. Set the exported fields, call Open, then
// Run in a goroutine; call Wake when mail is queued so it goes out at once.
type Sender struct {
	// Addr is host:port of the SMTP server. While it is empty, mail waits in the outbox.
	Addr string
	// TLS is "none", "starttls" (required, never silently plain) or "tls" (implicit TLS).
	TLS string
	// Username and Password authenticate when Username is set.
	Username, Password string
	// Token, when set, authenticates Username with an OAuth2 access token (SASL XOAUTH2, by
	// go-mail) instead of Password.
	Token *oauth.Source
	// ReportState, when set, is told after every connection attempt what keeps mail from going
	// out (a Norwegian sentence), and "" once the server took a connection.
	ReportState func(problem string)
	// Observe, when set, hears what became of every try (for /metrics): a mail sent, refused
	// for now, or parked; and a connection that failed (kind "").
	Observe func(kind ticket.MailKind, outcome SendOutcome)
	// Now is the clock of the back-off (default time.Now).
	Now func() time.Time
	// From is the bare sender address; FromName its display name; ReplyTo defaults to From.
	From, FromName, ReplyTo string
	Outbox                  Outbox
	Logger                  *slog.Logger
	// TLSConfig, when set, replaces the default (system roots, ServerName from Addr).
	TLSConfig *tls.Config
	// Interval is how often the loop looks for due mail besides Wake (default 10s).
	Interval time.Duration
	// Timeout bounds each step of the SMTP conversation (default 30s).
	Timeout time.Duration
	// Batch is how many mails one connection sends before the queue is read again (default 100).
	Batch int

	host string
	port int
	wake chan struct{}
	mu   sync.Mutex // guards the back-off
	off  serverBackoff
}

// SendOutcome is what became of a try, for Observe.
type SendOutcome string

// The outcomes of a try.
const (
	SendSent        SendOutcome = "sent"
	SendRetry       SendOutcome = "retry"       // refused for now (4xx): tried again later
	SendParked      SendOutcome = "parked"      // refused for good, or out of tries
	SendUnreachable SendOutcome = "unreachable" // no connection: every due mail waits
)

// Defaults of the sender.
const (
	DefaultSendInterval = 10 * time.Second
	DefaultSendTimeout  = 30 * time.Second
	DefaultSendBatch    = 100
)

// Open checks the settings and fills in defaults.
func (s *Sender) Open() error {
	if s.Logger == nil {
		s.Logger = slog.Default()
	}
	if s.Now == nil {
		s.Now = time.Now
	}
	s.Interval = orDefault(s.Interval, DefaultSendInterval)
	s.Timeout = orDefault(s.Timeout, DefaultSendTimeout)
	if s.Batch <= 0 {
		s.Batch = DefaultSendBatch
	}
	if s.ReplyTo == "" {
		s.ReplyTo = s.From
	}
	if s.FromName == "" {
		s.FromName = ticket.DefaultFromName
	}
	s.wake = make(chan struct{}, 1)
	if s.Outbox == nil || s.From == "" {
		return fmt.Errorf("smtp sender: outbox and from address are required")
	}
	if s.Token != nil && s.Username == "" {
		return fmt.Errorf("smtp sender: a username (the mailbox address) is required with an OAuth2 token")
	}
	switch s.TLS {
	case "none", "starttls", "tls":
	default:
		return fmt.Errorf("smtp sender: tls must be none, starttls or tls, got %q", s.TLS)
	}
	if s.Addr == "" {
		return nil
	}
	host, port, err := net.SplitHostPort(s.Addr)
	if err != nil {
		return fmt.Errorf("smtp sender: address %q: %w", s.Addr, err)
	}
	if s.port, err = strconv.Atoi(port); err != nil || s.port < 1 || s.port > 65535 {
		return fmt.Errorf("smtp sender: address %q: bad port", s.Addr)
	}
	s.host = host
	return nil
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

// Wake makes the loop look at the outbox now. It never blocks; call it after mail is queued.
func (s *Sender) Wake() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// client returns a go-mail client for one connection, authenticating with tok when it is set.
// go-mail requires STARTTLS by default, so the policy is always set explicitly.
func (s *Sender) client(tok *oauth2.Token) (*gomail.Client, error) {
	tlsConfig := s.TLSConfig
	if tlsConfig == nil {
		tlsConfig = &tls.Config{ServerName: s.host, MinVersion: tls.VersionTLS12}
	}
	opts := []gomail.Option{gomail.WithPort(s.port), gomail.WithTimeout(s.Timeout), gomail.WithTLSConfig(tlsConfig)}
	switch s.TLS {
	case "none":
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	case "starttls":
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	case "tls":
		opts = append(opts, gomail.WithSSL(), gomail.WithTLSPolicy(gomail.NoTLS))
	}
	if tok != nil {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthXOAUTH2), gomail.WithUsername(s.Username), gomail.WithPassword(tok.AccessToken))
	} else if s.Username != "" {
		auth := gomail.SMTPAuthAutoDiscover
		if s.TLS == "none" { // configured so on purpose; Open's caller warns about it
			auth = gomail.SMTPAuthPlainNoEnc
		}
		opts = append(opts, gomail.WithSMTPAuth(auth), gomail.WithUsername(s.Username), gomail.WithPassword(s.Password))
	}
	return gomail.NewClient(s.host, opts...)
}

// failure says what a failed try means for the mail: permanent on a 5xx answer; and whether
// the connection is gone (no SMTP answer at all), so the rest of the batch waits.
func failure(err error) (f ticket.MailFailure, connLost bool) {
	var se *gomail.SendError
	code := 0
	if errors.As(err, &se) {
		code = se.ErrorCode()
	}
	reason := err.Error()
	if i := strings.Index(reason, ", affected message ID"); i > 0 {
		reason = reason[:i]
	}
	if code == 0 {
		return ticket.MailFailure{Reason: "Forbindelsen til SMTP-tjeneren brøt: " + reason}, true
	}
	return ticket.MailFailure{Reason: "SMTP-tjeneren svarte: " + reason, Permanent: code >= 500 && code <= 599}, false
}
