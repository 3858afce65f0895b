package main

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/ks-no/digihjelpen/mailbridge/oauth"
)

// How [imap] and [smtp] log in: auth = "password" (the default) or "xoauth2", an OAuth2 access
// token by the client-credentials grant (Microsoft 365: Exchange Online has no passwords for
// IMAP, and is retiring them for SMTP). The keys token_url, client_id, client_secret and scope
// are a contract; the secret is better given as DIGIHJELPEN_IMAP_CLIENT_SECRET or
// DIGIHJELPEN_SMTP_CLIENT_SECRET than in the file.
const (
	authPassword = "password"
	authXOAUTH2  = "xoauth2"
)

// mailAuth is the login part of [imap] or [smtp].
type mailAuth struct {
	Auth, Username, TokenURL, ClientID, ClientSecret, Scope string
}

func (c *IMAPConfig) mailAuth() mailAuth {
	return mailAuth{c.Auth, c.Username, c.TokenURL, c.ClientID, c.ClientSecret, c.Scope}
}

func (c *SMTPConfig) mailAuth() mailAuth {
	return mailAuth{c.Auth, c.Username, c.TokenURL, c.ClientID, c.ClientSecret, c.Scope}
}

// validate checks auth always, and the keys xoauth2 needs when the section is in use (an addr).
func (m mailAuth) validate(section string, inUse bool, bad func(key, reason string) error) error {
	switch m.Auth {
	case authPassword:
		return nil
	case authXOAUTH2:
	default:
		return bad(section+".auth", fmt.Sprintf(`expected "password" or "xoauth2", got %q`, m.Auth))
	}
	if !inUse {
		return nil
	}
	with := fmt.Sprintf(` (needed with %s.auth = "xoauth2")`, section)
	if m.TokenURL == "" {
		return bad(section+".token_url", "expected the token endpoint, such as https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token"+with)
	}
	if !httpsOrLoopback(m.TokenURL) {
		return bad(section+".token_url", fmt.Sprintf("expected an https:// address (http:// only on 127.0.0.1), got %q", m.TokenURL))
	}
	if m.ClientID == "" {
		return bad(section+".client_id", "expected the application (client) ID of the app registration"+with)
	}
	if m.ClientSecret == "" {
		return bad(section+".client_secret", fmt.Sprintf("expected the client secret, best in the environment variable DIGIHJELPEN_%s_CLIENT_SECRET%s", strings.ToUpper(section), with))
	}
	if len(strings.Fields(m.Scope)) == 0 {
		return bad(section+".scope", "expected the scope, for Exchange Online https://outlook.office365.com/.default"+with)
	}
	if m.Username == "" {
		return bad(section+".username", "expected the mailbox address, such as kontakt@ks.no"+with)
	}
	return nil
}

// httpsOrLoopback reports whether raw is an https address, or plain http to this machine (the
// test provider): client secrets and tokens never cross a network in clear.
func httpsOrLoopback(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return false
	}
	if u.Scheme == "https" {
		return true
	}
	host := u.Hostname()
	ip := net.ParseIP(host)
	return u.Scheme == "http" && (host == "localhost" || ip != nil && ip.IsLoopback())
}

// source is the token source of a section with auth = "xoauth2", nil with "password".
func (m mailAuth) source(log *slog.Logger) (*oauth.Source, error) {
	if m.Auth != authXOAUTH2 {
		return nil, nil
	}
	return oauth.NewSource(oauth.Config{TokenURL: m.TokenURL, ClientID: m.ClientID, ClientSecret: m.ClientSecret,
		Scopes: strings.Fields(m.Scope), Logger: log})
}

// withLine adds to a validation error the line of the key it names, when the key is in the
// file; for a key that is missing, the line of the section's auth key or else its header.
func withLine(err error, path string) error {
	var ce *ConfigError
	if path == "" || !errors.As(err, &ce) || ce.Line > 0 || ce.Source != path || ce.Key == "" {
		return err
	}
	text, rerr := os.ReadFile(path)
	if rerr != nil {
		return err
	}
	key := toml.Key(strings.Split(ce.Key, "."))
	ce.Line = lineOfKey(string(text), key)
	if ce.Line == 0 && len(key) == 2 {
		if ce.Line = lineOfKey(string(text), toml.Key{key[0], "auth"}); ce.Line == 0 {
			ce.Line = lineOfKey(string(text), key[:1])
		}
	}
	return ce
}
