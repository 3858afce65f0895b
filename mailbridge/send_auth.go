package mailbridge

import (
	"context"
	"errors"
	"fmt"
	"net/textproto"

	gomail "github.com/wneessen/go-mail"
	"golang.org/x/oauth2"

	"github.com/ks-no/digihjelpen/mailbridge/oauth"
)

// connect dials the SMTP server and authenticates. With a token, a refused AUTH drops it from
// the cache, and when it was near its expiry one fresh token gets one more try.
func (s *Sender) connect(ctx context.Context) (*gomail.Client, error) {
	c, tok, err := s.dialOnce(ctx)
	if err == nil || s.Token == nil || !authRefused(err) {
		return c, err
	}
	s.Token.Renew()
	if !s.Token.NearExpiry(tok) {
		return nil, err
	}
	s.Logger.Info("smtp refused a token near its expiry; one more try with a fresh token", "smtp", s.Addr)
	c, _, err = s.dialOnce(ctx)
	if err != nil && authRefused(err) {
		s.Token.Renew()
	}
	return c, err
}

func (s *Sender) dialOnce(ctx context.Context) (*gomail.Client, *oauth2.Token, error) {
	var tok *oauth2.Token
	if s.Token != nil {
		var err error
		if tok, err = s.Token.Token(); err != nil {
			return nil, nil, err // a *oauth.TokenError
		}
	}
	c, err := s.client(tok)
	if err != nil {
		return nil, tok, err
	}
	if err := c.DialWithContext(ctx); err != nil {
		return nil, tok, err
	}
	return c, tok, nil
}

// authRefused reports whether the server answered AUTH with 535 (RFC 4954: authentication
// credentials invalid) or another refusal of the credentials.
func authRefused(err error) bool {
	var te *textproto.Error
	return errors.As(err, &te) && (te.Code == 535 || te.Code == 534 || te.Code == 530)
}

// describe is the sentence staff read on the outbox page and the admin page.
func (s *Sender) describe(cause error) string {
	var te *oauth.TokenError
	switch {
	case errors.As(cause, &te):
		return "Fikk ikke tilgangsnøkkel til SMTP: " + te.Norwegian()
	case authRefused(cause):
		return fmt.Sprintf("SMTP-tjeneren %s avviste innloggingen for %s: %v", s.Addr, s.Username, cause)
	}
	return fmt.Sprintf("Fikk ikke kontakt med SMTP-tjeneren %s: %v", s.Addr, cause)
}

func (s *Sender) report(problem string) {
	if s.ReportState != nil {
		s.ReportState(problem)
	}
}
