package mailbridge

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
	"github.com/ks-no/digihjelpen/ticket/notify"
)

// WebhookOutbox is what the webhook sender needs of the outbox (data.WebhookService has it).
type WebhookOutbox interface {
	FindDueWebhooks(ctx context.Context, limit int) ([]ticket.WebhookDelivery, error)
	MarkMailSent(ctx context.Context, id uint64) error
	MarkMailFailed(ctx context.Context, id uint64, f ticket.MailFailure) (*ticket.OutboundMail, error)
}

// WebhookSender posts the queued webhook posts of the outbox, signed, as the Sender sends mail:
// at once on Wake, and every Interval. A post the receiver takes (2xx) is marked sent; one it
// refuses for now (5xx, 408, 429, no answer) is tried again after ticket.RetryDelay, up to
// ticket.MaxMailAttempts; one it refuses for good (another 4xx, a redirect) is parked, where
// admins see it on /utboks and can send it again.
type WebhookSender struct {
	Outbox WebhookOutbox
	// Client makes the posts; nil gets one with Timeout that never follows a redirect (a
	// signed post goes only where it was addressed).
	Client *http.Client
	Logger *slog.Logger
	// Interval is how often the loop looks for due posts besides Wake (default 10s).
	Interval time.Duration
	// Timeout bounds one post (default 15s).
	Timeout time.Duration
	// Batch is how many posts one pass sends (default 50).
	Batch int
	// Now is the clock of the signature's timestamp.
	Now func() time.Time

	wake chan struct{}
}

// Open fills in the defaults.
func (s *WebhookSender) Open() error {
	if s.Outbox == nil {
		return errors.New("webhook sender: outbox is required")
	}
	if s.Logger == nil {
		s.Logger = slog.Default()
	}
	s.Interval = orDefault(s.Interval, DefaultSendInterval)
	s.Timeout = orDefault(s.Timeout, 15*time.Second)
	if s.Batch <= 0 {
		s.Batch = 50
	}
	if s.Now == nil {
		s.Now = time.Now
	}
	if s.Client == nil {
		s.Client = &http.Client{Timeout: s.Timeout,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	s.wake = make(chan struct{}, 1)
	return nil
}

// Wake makes the loop look at the queue now; it never blocks.
func (s *WebhookSender) Wake() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Run posts due posts until ctx is done.
func (s *WebhookSender) Run(ctx context.Context) error {
	ticker := time.NewTicker(s.Interval)
	defer ticker.Stop()
	for {
		for ctx.Err() == nil {
			n, err := s.SendDue(ctx)
			if err != nil && ctx.Err() == nil {
				s.Logger.Error("send webhook posts", "err", err)
			}
			if err != nil || n < s.Batch {
				break
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-ticker.C:
		case <-s.wake:
		}
	}
}

// SendDue posts one batch of due posts and returns how many it tried.
func (s *WebhookSender) SendDue(ctx context.Context) (int, error) {
	due, err := s.Outbox.FindDueWebhooks(ctx, s.Batch)
	if err != nil {
		return 0, err
	}
	for i, d := range due {
		if ctx.Err() != nil {
			return i, nil
		}
		if err := s.sendOne(ctx, d); err != nil {
			return i, err
		}
	}
	return len(due), nil
}

// sendOne posts d and records the outcome, even when ctx ends meanwhile.
func (s *WebhookSender) sendOne(ctx context.Context, d ticket.WebhookDelivery) error {
	p := d.Post
	if d.Hook == nil {
		return s.failed(context.WithoutCancel(ctx), p, ticket.MailFailure{Reason: "Webhooken er slettet.", Permanent: true})
	}
	f, ok := s.post(ctx, d)
	ctx = context.WithoutCancel(ctx)
	if ok {
		if err := s.Outbox.MarkMailSent(ctx, p.ID); err != nil {
			return fmt.Errorf("mark webhook post %d sent: %w", p.ID, err)
		}
		s.Logger.Info("webhook post sent", "post_id", p.ID, "webhook_id", p.WebhookID)
		return nil
	}
	return s.failed(ctx, p, f)
}

// post makes one signed POST; ok when the receiver took it.
func (s *WebhookSender) post(ctx context.Context, d ticket.WebhookDelivery) (ticket.MailFailure, bool) {
	body := []byte(d.Post.Text)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.Hook.URL, bytes.NewReader(body))
	if err != nil {
		return ticket.MailFailure{Reason: "Adressen til webhooken kan ikke brukes.", Permanent: true}, false
	}
	ts := s.Now().Unix()
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("User-Agent", "digihjelpen")
	req.Header.Set(notify.HeaderTimestamp, strconv.FormatInt(ts, 10))
	req.Header.Set(notify.HeaderSignature, notify.Sign(d.Hook.Secret, ts, body))
	req.Header.Set(notify.HeaderDelivery, strconv.FormatUint(d.Post.ID, 10))
	resp, err := s.Client.Do(req)
	if err != nil {
		return ticket.MailFailure{Reason: "Webhooken svarte ikke: " + withoutURL(err)}, false
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, 300))
	code := resp.StatusCode
	if code >= 200 && code <= 299 {
		return ticket.MailFailure{}, true
	}
	reason := fmt.Sprintf("Webhooken svarte %s", resp.Status)
	if a := strings.TrimSpace(string(answer)); a != "" && strings.ToValidUTF8(a, "") == a {
		reason += ": " + a
	}
	temporary := code >= 500 || code == http.StatusRequestTimeout || code == http.StatusTooManyRequests
	return ticket.MailFailure{Reason: reason, Permanent: !temporary}, false
}

// withoutURL is the error without the address it was made for: a webhook's address is a
// secret (Teams and Slack put the key in it), and the reason is shown to staff.
func withoutURL(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return err.Error()
}

func (s *WebhookSender) failed(ctx context.Context, p *ticket.OutboundMail, f ticket.MailFailure) error {
	got, err := s.Outbox.MarkMailFailed(ctx, p.ID, f)
	if err != nil {
		return fmt.Errorf("record failure of webhook post %d: %w", p.ID, err)
	}
	attrs := []any{"post_id", p.ID, "webhook_id", p.WebhookID, "attempts", got.Attempts, "permanent", f.Permanent, "reason", f.Reason}
	if got.State == ticket.OutboxParked {
		s.Logger.Warn("webhook post parked; admins can send it again from the outbox page", attrs...)
	} else {
		s.Logger.Info("webhook post refused for now; will retry", append(attrs, "next_try", got.NextTry)...)
	}
	return nil
}
