package ticket

import (
	"context"
	"net"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Webhook is a team's channel (Microsoft Teams, Slack or anything that takes a JSON POST)
// told about the notifications of the agencies it covers. Each post is signed with Secret
// (HMAC-SHA256) and goes through the outbox, so it is retried like mail.
type Webhook struct {
	ID   uint64
	Name string
	URL  string
	// Secret signs every post; it is shown once, when the webhook is made or given a new one.
	Secret string
	// Agencies limits the webhook to tickets of these agencies (empty: all).
	Agencies []string
	// Kinds are the notifications it posts.
	Kinds     []NotifyKind
	Format    WebhookFormat
	CreatedBy string
	CreatedAt time.Time
}

// WebhookFormat is the JSON a webhook gets.
type WebhookFormat string

// The formats.
const (
	// WebhookMessage is a message card with a "text": what Slack's incoming webhooks and the
	// Microsoft Teams connector («Incoming Webhook») both show.
	WebhookMessage WebhookFormat = "melding"
	// WebhookAdaptiveCard is an Adaptive Card in a message, what a Teams channel takes through
	// a Workflows webhook («Post to a channel when a webhook request is received»).
	WebhookAdaptiveCard WebhookFormat = "adaptivt-kort"
)

// Label is the format as the admin page names it.
func (f WebhookFormat) Label() string {
	switch f {
	case WebhookMessage:
		return "Melding (Slack, Teams-koblingen «Incoming Webhook»)"
	case WebhookAdaptiveCard:
		return "Adaptivt kort (Teams Workflows)"
	}
	return string(f)
}

// WebhookFormats are the formats in the order the form offers them.
var WebhookFormats = []WebhookFormat{WebhookMessage, WebhookAdaptiveCard}

// Wants reports whether the webhook posts a notification of kind k about a ticket of agency.
func (w *Webhook) Wants(k NotifyKind, agency string) bool {
	return slices.Contains(w.Kinds, k) && (len(w.Agencies) == 0 || slices.Contains(w.Agencies, agency))
}

// MaxWebhookNameLen bounds a webhook's name.
const MaxWebhookNameLen = 80

// Validate checks a webhook from the admin form. The address must be https, or http to this
// machine (a receiver on the same host, as in the tests): a secret and ticket subjects never
// go out in clear over a network.
func (w *Webhook) Validate(agencies Agencies) error {
	var errs FieldErrors
	w.Name = strings.TrimSpace(w.Name)
	if w.Name == "" {
		errs = append(errs, FieldError("navn", "Gi webhooken et navn, for eksempel teamets navn."))
	} else if utf8.RuneCountInString(w.Name) > MaxWebhookNameLen {
		errs = append(errs, FieldError("navn", "Navnet kan være høyst %d tegn.", MaxWebhookNameLen))
	}
	if err := checkWebhookURL(w.URL); err != nil {
		errs = append(errs, err)
	}
	if len(w.Kinds) == 0 {
		errs = append(errs, FieldError("varsel", "Velg minst ett varsel webhooken skal få."))
	}
	for _, k := range w.Kinds {
		if !k.Valid() {
			errs = append(errs, FieldError("varsel", "Ukjent varsel «%s».", k))
		}
	}
	for _, a := range w.Agencies {
		if _, ok := agencies.Find(a); !ok {
			errs = append(errs, FieldError("etat", "Ukjent etat «%s».", a))
		}
	}
	if !slices.Contains(WebhookFormats, w.Format) {
		errs = append(errs, FieldError("format", "Velg et format."))
	}
	return errs.Err()
}

func checkWebhookURL(raw string) *Error {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") || u.User != nil {
		return FieldError("adresse", "Skriv hele adressen webhooken har fått, som begynner med https://.")
	}
	if u.Scheme == "http" {
		ip := net.ParseIP(u.Hostname())
		if u.Hostname() != "localhost" && (ip == nil || !ip.IsLoopback()) {
			return FieldError("adresse", "Adressen må begynne med https:// (http:// bare til denne maskinen).")
		}
	}
	return nil
}

// EventWebhook records that an admin made, changed or deleted a webhook (TicketID 0).
const EventWebhook EventKind = "webhook"

// WebhookDelivery is a due post from the outbox with the webhook it goes to (nil when the
// webhook was deleted since it was queued).
type WebhookDelivery struct {
	Post *OutboundMail
	Hook *Webhook
}

// WebhookService keeps the webhooks.
type WebhookService interface {
	FindWebhooks(ctx context.Context) ([]*Webhook, error)
	FindWebhook(ctx context.Context, id uint64) (*Webhook, error)
	// CreateWebhook validates and stores w, setting ID and CreatedAt.
	CreateWebhook(ctx context.Context, w *Webhook) error
	// SetWebhookSecret gives the webhook a new secret.
	SetWebhookSecret(ctx context.Context, id uint64, secret string) error
	DeleteWebhook(ctx context.Context, id uint64) error
	// QueueWebhookPost puts one post to the webhook in the outbox (a test post from the
	// admin page).
	QueueWebhookPost(ctx context.Context, post *OutboundMail) error
}
