package mailbridge

import (
	"crypto/tls"
	"errors"
	"fmt"
	"mime"
	"net"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// canIdle reports whether the server has IDLE (IMAP4rev2 includes it).
func canIdle(c *imapclient.Client) bool {
	return c.Caps().Has(imap.CapIdle) || c.Caps().Has(imap.CapIMAP4rev2)
}

// dial connects as TLS says. New-mail notifications (EXISTS) go to newMail.
func (p *Poller) dial(newMail chan<- struct{}) (*imapclient.Client, error) {
	opts := &imapclient.Options{
		TLSConfig:   p.tlsConfig(),
		WordDecoder: &mime.WordDecoder{CharsetReader: charsetReader},
		Dialer:      &net.Dialer{Timeout: 30 * time.Second},
		UnilateralDataHandler: &imapclient.UnilateralDataHandler{Mailbox: func(d *imapclient.UnilateralDataMailbox) {
			if d.NumMessages != nil {
				select {
				case newMail <- struct{}{}:
				default:
				}
			}
		}},
	}
	switch p.TLS {
	case "tls":
		return imapclient.DialTLS(p.Addr, opts)
	case "starttls":
		return imapclient.DialStartTLS(p.Addr, opts)
	case "none", "":
		return imapclient.DialInsecure(p.Addr, opts)
	}
	return nil, fmt.Errorf("unknown TLS mode %q (none, starttls or tls)", p.TLS)
}

func (p *Poller) tlsConfig() *tls.Config {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if p.TLSConfig != nil {
		cfg = p.TLSConfig.Clone()
	}
	if cfg.ServerName == "" {
		cfg.ServerName, _, _ = net.SplitHostPort(p.Addr)
	}
	return cfg
}

// ensureMailbox creates the mailbox when the server does not have it.
func (p *Poller) ensureMailbox(c *imapclient.Client, name string) error {
	list, err := c.List("", name, nil).Collect()
	if err != nil {
		return fmt.Errorf("list %s: %w", name, err)
	}
	if len(list) > 0 {
		return nil
	}
	if err := c.Create(name, nil).Wait(); err != nil {
		return fmt.Errorf("create %s: %w", name, err)
	}
	p.Logger.Info("imap mailbox created", "mailbox", name)
	return nil
}

// errClosed ends a session whose connection the server closed while we waited.
var errClosed = errors.New("connection closed by the server")
