package main

import (
	"crypto/rand"
	"fmt"
	"net/http"
	"time"

	"golang.org/x/text/language"

	"github.com/zitadel/oidc/v3/pkg/op"
)

// options are what the flags set.
type options struct {
	issuer                string
	tokenTTL              time.Duration
	mailSecret, webSecret string
	mailbox               string
	// frontChannelPath is the web client's front-channel logout path, on the origin of the
	// redirect URI it signed in with ("" for none).
	frontChannelPath string
}

// loggedOutPath is where end_session sends a browser that names no post_logout_redirect_uri.
const loggedOutPath = "/logget-ut"

// provider is the OpenID provider: zitadel's op serves discovery, JWKS, authorize, token,
// userinfo, introspection, revocation and end_session; this program adds the login page and
// the storage behind them.
type provider struct {
	handler http.Handler
	key     *signingKey
}

func newProvider(o options) (*provider, error) {
	key, err := newSigningKey()
	if err != nil {
		return nil, err
	}
	st := newStorage(newClients(o.mailSecret, o.webSecret, o.mailbox), key, o.tokenTTL)
	cfg := &op.Config{
		DefaultLogoutRedirectURI: loggedOutPath,
		CodeMethodS256:           true,
		AuthMethodPost:           true, // client_secret_post as well as client_secret_basic
		SupportedUILocales:       []language.Tag{language.Norwegian},
	}
	// The key encrypts the web client's opaque access tokens; it lives as long as the process.
	if _, err := rand.Read(cfg.CryptoKey[:]); err != nil {
		return nil, err
	}
	p, err := op.NewProvider(cfg, st, op.StaticIssuer(o.issuer), op.WithAllowInsecure())
	if err != nil {
		return nil, fmt.Errorf("openid provider: %w", err)
	}
	mux := http.NewServeMux()
	// The interceptor puts the issuer in the request's context, which the callback URL needs.
	interceptor := op.NewIssuerInterceptor(p.IssuerFromRequest)
	mux.Handle(loginPath, interceptor.Handler(&login{storage: st, callback: op.AuthCallbackURL(p)}))
	mux.HandleFunc(loggedOutPath, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<!doctype html><html lang="nb"><head><meta charset="utf-8"><title>Logget ut</title></head><body><main><h1>Du er logget ut</h1></main></body></html>`)
	})
	if o.frontChannelPath != "" {
		mux.Handle("/end_session", &frontChannel{storage: st, issuer: o.issuer, path: o.frontChannelPath, next: p})
	}
	mux.Handle("/", p)
	return &provider{handler: mux, key: key}, nil
}
