package oauth

import (
	"errors"
	"fmt"
	"net"
	"strconv"

	"github.com/emersion/go-sasl"
	"github.com/wneessen/go-mail/smtp"
)

// SASL mechanisms for a bearer token.
const (
	XOAUTH2     = "XOAUTH2"     // Google's and Microsoft's, what Exchange Online offers
	OAUTHBEARER = "OAUTHBEARER" // RFC 7628, the standard one
)

// DefaultMechanisms is the order of preference: OAUTHBEARER when the server offers it (the
// IETF standard, and its failure answer says why in a defined form), else XOAUTH2. Exchange
// Online offers only XOAUTH2, Dovecot and Gmail both.
var DefaultMechanisms = []string{OAUTHBEARER, XOAUTH2}

// ChooseMechanism returns the first of prefer that offered reports the server has, or an
// error naming what was wanted.
func ChooseMechanism(prefer []string, offered func(mech string) bool) (string, error) {
	if len(prefer) == 0 {
		prefer = DefaultMechanisms
	}
	for _, m := range prefer {
		if offered(m) {
			return m, nil
		}
	}
	return "", fmt.Errorf("the server offers none of the SASL mechanisms %v", prefer)
}

// SASLClient returns the client side of mech for username (the mailbox address) and token.
// addr (host:port) goes into OAUTHBEARER's host and port fields. OAUTHBEARER is go-sasl's.
// go-sasl dropped XOAUTH2 as non-standard, so XOAUTH2 is go-mail's (the one its SMTP client
// uses) behind go-sasl's interface: the same bytes on the wire for IMAP and SMTP.
func SASLClient(mech, username, token, addr string) (sasl.Client, error) {
	switch mech {
	case OAUTHBEARER:
		host, port, _ := net.SplitHostPort(addr)
		p, _ := strconv.Atoi(port)
		return sasl.NewOAuthBearerClient(&sasl.OAuthBearerOptions{Username: username, Token: token, Host: host, Port: p}), nil
	case XOAUTH2:
		return xoauth2{smtp.XOAuth2Auth(username, token)}, nil
	}
	return nil, fmt.Errorf("unknown SASL mechanism %q", mech)
}

// xoauth2 adapts go-mail's smtp.Auth to go-sasl's Client. A challenge is the server's JSON
// error; the empty answer go-mail gives to it ends the exchange, and the server's NO follows.
type xoauth2 struct{ auth smtp.Auth }

func (x xoauth2) Start() (string, []byte, error) {
	return x.auth.Start(&smtp.ServerInfo{TLS: true, Auth: []string{XOAUTH2}})
}

func (x xoauth2) Next(challenge []byte) ([]byte, error) { return x.auth.Next(challenge, true) }

// IsRefusal reports whether err from a SASL client is the server's refusal of the token
// (OAUTHBEARER's error challenge), as opposed to a broken exchange.
func IsRefusal(err error) bool {
	var be *sasl.OAuthBearerError
	return errors.As(err, &be)
}
