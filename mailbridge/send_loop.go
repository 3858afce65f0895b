package mailbridge

import (
	"context"
	"errors"
	"fmt"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/ks-no/digihjelpen/ticket"
)

// Run sends due mail until ctx is done: at once, on every Wake and every Interval. A mail the
// server takes is marked sent right after; a crash in between sends it again with the same
// Message-ID, never loses it. Without an SMTP address it only waits, and mail stays queued.
func (s *Sender) Run(ctx context.Context) error {
	if s.Addr == "" {
		s.Logger.Warn("smtp.addr is empty: outgoing mail waits in the outbox until it is set")
		<-ctx.Done()
		return nil
	}
	s.Logger.Info("mail sender started", "smtp", s.Addr, "tls", s.TLS, "auth", s.Username != "", "oauth2", s.Token != nil)
	if s.TLS == "none" && s.Username != "" {
		s.Logger.Warn("smtp.tls is none: the SMTP password or token is sent unencrypted")
	}
	timer := time.NewTimer(s.Interval)
	defer timer.Stop()
	for {
		s.drain(ctx)
		wait := s.Interval
		if ok, at := s.mayTry(); !ok {
			wait = min(wait, at.Sub(s.Now())) // the server's next try: all due mail goes then
		}
		timer.Reset(wait)
		select {
		case <-ctx.Done():
			return nil
		case <-timer.C:
		case <-s.wake:
		}
	}
}

// drain sends batches until the queue has nothing due or a pass fails.
func (s *Sender) drain(ctx context.Context) {
	for ctx.Err() == nil {
		n, err := s.SendDue(ctx)
		if err != nil {
			if ctx.Err() == nil {
				s.Logger.Error("send mail", "err", err)
			}
			return
		}
		if n < s.Batch {
			return
		}
	}
}

// SendDue sends one batch of due mail over one connection and returns how many mails it
// tried. Refusals are recorded on the mails (retry or park); the error is for storage faults
// and for a server that cannot be reached, in which case the mails wait without using up
// their tries and the server is backed off (send_backoff.go): until its next try SendDue
// tries nothing.
func (s *Sender) SendDue(ctx context.Context) (int, error) {
	if ok, _ := s.mayTry(); !ok {
		return 0, nil
	}
	due, err := s.Outbox.FindDueMail(ctx, s.Batch)
	if err != nil || len(due) == 0 {
		return 0, err
	}
	c, err := s.connect(ctx)
	if err != nil {
		return 0, s.unreachable(ctx, due, err)
	}
	defer c.Close()
	s.reachable()
	for i, m := range due {
		if ctx.Err() != nil {
			return i, nil
		}
		lost, err := s.sendOne(ctx, c, m)
		if err != nil {
			return i, err
		}
		if lost {
			return i + 1, nil // the rest waits for the next pass and a new connection
		}
	}
	return len(due), nil
}

// sendOne sends m and records the outcome; lost reports a broken connection. The outcome is
// recorded even when ctx ends meanwhile: a mail the server took must be marked sent.
func (s *Sender) sendOne(ctx context.Context, c *gomail.Client, m *ticket.OutboundMail) (lost bool, err error) {
	ctx = context.WithoutCancel(ctx)
	msg, err := s.message(m)
	if err != nil { // a mail that cannot even be written (a bad address) will never go
		f := ticket.MailFailure{Reason: "E-posten kunne ikke lages: " + err.Error(), Permanent: true}
		return false, s.failed(ctx, m, f)
	}
	sendErr := c.Send(msg)
	var se *gomail.SendError
	if errors.As(sendErr, &se) && se.Reason == gomail.ErrConnCheck {
		return true, nil // the connection went away before this mail began: it stays due as it is
	}
	if sendErr == nil || msg.IsDelivered() { // delivered, even if the RSET after it failed
		if err := s.Outbox.MarkMailSent(ctx, m.ID); err != nil {
			return false, fmt.Errorf("mark mail %d sent: %w", m.ID, err)
		}
		s.Logger.Info("mail sent", "mail_id", m.ID, "kind", m.Kind, "ticket_id", m.TicketID)
		s.observe(m.Kind, SendSent)
		return false, nil
	}
	f, lost := failure(sendErr)
	return lost, s.failed(ctx, m, f)
}

// failed records a failed try and logs it without addresses (they are personal data).
func (s *Sender) failed(ctx context.Context, m *ticket.OutboundMail, f ticket.MailFailure) error {
	got, err := s.Outbox.MarkMailFailed(ctx, m.ID, f)
	if err != nil {
		return fmt.Errorf("record failure of mail %d: %w", m.ID, err)
	}
	attrs := []any{"mail_id", m.ID, "kind", m.Kind, "ticket_id", m.TicketID, "attempts", got.Attempts, "permanent", f.Permanent}
	if got.State == ticket.OutboxParked {
		s.Logger.Warn("mail parked; staff can send it again from the outbox page", attrs...)
		s.observe(m.Kind, SendParked)
	} else {
		s.Logger.Info("mail refused for now; will retry", append(attrs, "next_try", got.NextTry)...)
		s.observe(m.Kind, SendRetry)
	}
	return nil
}
