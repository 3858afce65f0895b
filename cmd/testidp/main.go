// Command testidp is a small OpenID Connect provider for the tests and the mail stack, built on
// zitadel's op package (a real provider: discovery, JWKS, PKCE checks, client authentication)
// with an in-memory storage of its own. It listens on loopback only. Never use it for anything
// but tests: its users and secrets are public.
//
// Endpoints (under the issuer): /.well-known/openid-configuration, /keys (JWKS), /authorize,
// /oauth/token, /userinfo, /oauth/introspect, /revoke, /end_session (it redirects to a
// registered post_logout_redirect_uri), and the login page /login. A browser that ends its
// session at /end_session first gets a page that loads the front-channel logout URL of each
// sign-in in it in a hidden iframe: the origin of the sign-in's redirect URI +
// -web-frontchannel-path (default /logg-ut/sso), with iss and sid (frontchannel.go).
//
// Clients:
//   - digihjelpen-mail, secret mail-secret (-mail-secret): grant client_credentials. The scope
//     must be <resource>/.default, as in Entra ID (https://outlook.office365.com/.default);
//     another is refused with invalid_scope. The access token is a JWT (RS256, with kid) with
//     sub = the client id, aud = the resource, exp = now + -token-ttl, and
//     email = -mailbox (helpdesk@example.test): the claim Dovecot's oauth2 passdb compares
//     with the login name (username_attribute = email).
//   - digihjelpen-web, secret web-secret (-web-secret): grant authorization_code, PKCE with
//     S256 required, any redirect URI and post-logout redirect URI on http://127.0.0.1:<port>/.
//     The ID token has email, name, preferred_username, groups (a list), nonce and sid (new
//     for every sign-in, as Entra ID's optional claim sid).
//
// Users of the authorization-code flow, all with the password "passord": admin@ks.test (Ada
// Admin, groups [dh-admins]), agent@ks.test (Agnes Agent, [dh-agents]), leser@ks.test (Leif
// Leser, [dh-lesere]), utenfor@ks.test (Ulla Utenfor, []). The login page is a plain form with
// the fields username and password and the button id="login".
//
// With -dovecot-keys DIR it writes the public signing key to DIR/default/RS256/<kid>, where
// Dovecot reads it with local_validation_key_dict = fs:posix:prefix=DIR/ and
// introspection_mode = local. The key is new at every start.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	if err := run(os.Args[1:], os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "testidp:", err)
		os.Exit(1)
	}
}

func run(args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("testidp", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:9096", "listen address (loopback only)")
	issuer := fs.String("issuer", "", "issuer URL (default http://ADDR)")
	keys := fs.String("dovecot-keys", "", "folder to write the public signing key to, for Dovecot's local_validation_key_dict")
	ttl := fs.Duration("token-ttl", time.Hour, "lifetime of access tokens")
	mailSecret := fs.String("mail-secret", "mail-secret", "client secret of "+mailClientID)
	webSecret := fs.String("web-secret", "web-secret", "client secret of "+webClientID)
	mailbox := fs.String("mailbox", "helpdesk@example.test", "the mailbox the mail client's tokens open (their email claim)")
	frontChannel := fs.String("web-frontchannel-path", "/logg-ut/sso", "the web client's front-channel logout path, on the origin of its redirect URI (empty: none)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	host, _, err := net.SplitHostPort(*addr)
	if err != nil {
		return fmt.Errorf("-addr: %w", err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("-addr %s: only a loopback address is allowed", *addr)
	}
	if *ttl < time.Second {
		return errors.New("-token-ttl must be at least 1s")
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	if *issuer == "" {
		*issuer = "http://" + ln.Addr().String()
	}
	slog.SetDefault(slog.New(slog.NewTextHandler(stderr, nil)))
	p, err := newProvider(options{issuer: *issuer, tokenTTL: *ttl, mailSecret: *mailSecret, webSecret: *webSecret, mailbox: *mailbox,
		frontChannelPath: *frontChannel})
	if err != nil {
		return err
	}
	if *keys != "" {
		path, err := p.key.writeDovecotKey(*keys)
		if err != nil {
			return err
		}
		slog.Info("signing key written for Dovecot", "path", path)
	}
	srv := &http.Server{Handler: p.handler, ReadHeaderTimeout: 10 * time.Second}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
	}()
	slog.Info("testidp listening", "addr", ln.Addr().String(), "issuer", *issuer, "kid", p.key.id, "token_ttl", ttl.String())
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
