package mailbridge

import (
	"errors"
	"fmt"
	"net"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"golang.org/x/oauth2"

	"github.com/ks-no/digihjelpen/mailbridge/oauth"
)

// connect dials and logs in: with the password, or with an OAuth2 token. A token the server
// refuses is dropped from the cache, and when it was near its expiry (the server's clock may
// be ahead of ours) one fresh token gets one more try on a new connection.
func (p *Poller) connect(newMail chan<- struct{}) (*imapclient.Client, error) {
	if p.Token == nil {
		c, err := p.dial(newMail)
		if err != nil {
			return nil, fmt.Errorf("connect to %s: %w", p.Addr, err)
		}
		if err := c.Login(p.Username, p.Password).Wait(); err != nil {
			c.Close()
			var ie *imap.Error
			if errors.As(err, &ie) && ie.Type == imap.StatusResponseTypeNo {
				return nil, fmt.Errorf("log in: %w: %w", errLoginRefused, err)
			}
			return nil, fmt.Errorf("log in: %w", err)
		}
		return c, nil
	}
	c, tok, err := p.connectWithToken(newMail)
	if err == nil || !errors.Is(err, errTokenRefused) {
		return c, err
	}
	p.Token.Renew()
	if !p.Token.NearExpiry(tok) {
		return nil, err
	}
	p.Logger.Info("imap refused a token near its expiry; one more try with a fresh token", "addr", p.Addr)
	c, _, err = p.connectWithToken(newMail)
	if errors.Is(err, errTokenRefused) {
		p.Token.Renew()
	}
	return c, err
}

// errTokenRefused marks an AUTHENTICATE the server answered with a refusal; errLoginRefused a
// LOGIN.
var (
	errTokenRefused = errors.New("the server refused the access token")
	errLoginRefused = errors.New("the server refused the login")
)

// loginRefused reports whether a session failed on our credentials (a refused login or token,
// or a token endpoint that refuses us): retried less often than a server that is away.
func loginRefused(err error) bool {
	return errors.Is(err, errTokenRefused) || errors.Is(err, errLoginRefused) || isTokenError(err)
}

func (p *Poller) connectWithToken(newMail chan<- struct{}) (*imapclient.Client, *oauth2.Token, error) {
	tok, err := p.Token.Token()
	if err != nil {
		return nil, nil, err // a *oauth.TokenError: the endpoint and what it said
	}
	c, err := p.dial(newMail)
	if err != nil {
		return nil, tok, fmt.Errorf("connect to %s: %w", p.Addr, err)
	}
	mech, err := oauth.ChooseMechanism(p.Mechanisms, func(m string) bool { return c.Caps().Has(imap.Cap("AUTH=" + m)) })
	if err != nil {
		c.Close()
		return nil, tok, fmt.Errorf("log in to %s: %w", p.Addr, err)
	}
	client, err := oauth.SASLClient(mech, p.Username, tok.AccessToken, p.Addr)
	if err != nil {
		c.Close()
		return nil, tok, err
	}
	if err := c.Authenticate(client); err != nil {
		c.Close()
		var ie *imap.Error
		if oauth.IsRefusal(err) || errors.As(err, &ie) && ie.Type == imap.StatusResponseTypeNo {
			return nil, tok, fmt.Errorf("log in with %s: %w: %w", mech, errTokenRefused, err)
		}
		return nil, tok, fmt.Errorf("log in with %s: %w", mech, err)
	}
	p.Logger.Debug("imap logged in with a token", "addr", p.Addr, "mechanism", mech)
	return c, tok, nil
}

// report tells ReportState what stands in the way, or that nothing does (err nil).
func (p *Poller) report(err error) {
	if p.ReportState == nil {
		return
	}
	if err == nil {
		p.ReportState("")
		return
	}
	p.ReportState(describeIMAPProblem(p.Addr, p.Username, err))
}

// describeIMAPProblem is the admin pages' sentence for a failed session.
func describeIMAPProblem(addr, user string, err error) string {
	var te *oauth.TokenError
	var ne net.Error
	var oe *net.OpError
	switch {
	case errors.As(err, &te):
		return "Fikk ikke tilgangsnøkkel: " + te.Norwegian()
	case errors.Is(err, errTokenRefused):
		return fmt.Sprintf("IMAP-tjeneren %s avviste tilgangsnøkkelen for %s. Sjekk at appen har tilgang til postboksen (%v).", addr, user, err)
	case errors.As(err, &oe) && oe.Op == "dial", errors.As(err, &ne) && ne.Timeout():
		return fmt.Sprintf("Fikk ikke kontakt med IMAP-tjeneren %s (%v).", addr, err)
	}
	return fmt.Sprintf("Feil mot IMAP-tjeneren %s: %v.", addr, err)
}
