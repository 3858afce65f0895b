package oauth_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/mailbridge/oauth"
)

const secret = "s3cr3t-verdi-som-aldri-logges"

// tokenEndpoint is an in-process token endpoint: it checks the client's secret and scope as
// Entra ID does, and issues numbered tokens that live for lifetime.
type tokenEndpoint struct {
	*httptest.Server
	issued   atomic.Int32
	lifetime time.Duration
	mu       sync.Mutex
	answer   func(w http.ResponseWriter) bool // when set and true, it answered instead
}

func newTokenEndpoint(t *testing.T, lifetime time.Duration) *tokenEndpoint {
	e := &tokenEndpoint{lifetime: lifetime}
	e.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e.mu.Lock()
		answer := e.answer
		e.mu.Unlock()
		if answer != nil && answer(w) {
			return
		}
		id, sec, ok := r.BasicAuth()
		if !ok { // client_secret_post, which x/oauth2 falls back to
			id, sec = r.PostFormValue("client_id"), r.PostFormValue("client_secret")
		}
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.PostFormValue("grant_type") != "client_credentials":
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprint(w, `{"error":"unsupported_grant_type"}`)
		case id != "digihjelpen" || sec != secret:
			w.WriteHeader(http.StatusUnauthorized)
			// Some servers echo what they got; the secret must not reach our log through it.
			fmt.Fprintf(w, `{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided (%s)."}`, sec)
		case r.PostFormValue("scope") != "https://outlook.office365.com/.default":
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprint(w, `{"error":"invalid_scope","error_description":"AADSTS1002012: The provided value for scope is not valid."}`)
		default:
			n := e.issued.Add(1)
			json.NewEncoder(w).Encode(map[string]any{"access_token": fmt.Sprintf("token-%d", n), "token_type": "Bearer",
				"expires_in": int(e.lifetime.Seconds())})
		}
	}))
	t.Cleanup(e.Close)
	return e
}

func (e *tokenEndpoint) setAnswer(f func(w http.ResponseWriter) bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.answer = f
}

func newSource(t *testing.T, e *tokenEndpoint, clientSecret, scope string, logs *bytes.Buffer) *oauth.Source {
	t.Helper()
	s, err := oauth.NewSource(oauth.Config{TokenURL: e.URL + "/tenant/oauth2/v2.0/token", ClientID: "digihjelpen", ClientSecret: clientSecret,
		Scopes: []string{scope}, Logger: slog.New(slog.NewTextHandler(logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

const scope = "https://outlook.office365.com/.default"

func TestSourceCachesAndRenewsBeforeExpiry(t *testing.T) {
	e := newTokenEndpoint(t, 3*time.Second)
	s := newSource(t, e, secret, scope, &bytes.Buffer{})
	first, err := s.Token()
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := s.Token(); again.AccessToken != first.AccessToken || e.issued.Load() != 1 {
		t.Fatalf("second call: %q after %d requests, want the cached %q", again.AccessToken, e.issued.Load(), first.AccessToken)
	}
	// RefreshBefore is 5 minutes, but at most a third of the lifetime counts: the 3 s token is
	// renewed after about 2 s, a second before it expires.
	deadline := time.Now().Add(5 * time.Second)
	for {
		tok, err := s.Token()
		if err != nil {
			t.Fatal(err)
		}
		if tok.AccessToken != first.AccessToken {
			if left := time.Until(first.Expiry); left <= 0 {
				t.Fatalf("renewed only %v after the old token expired", -left)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the token was never renewed")
		}
		time.Sleep(50 * time.Millisecond)
	}
	if n := e.issued.Load(); n != 2 {
		t.Errorf("%d tokens fetched, want 2", n)
	}
}

func TestSourceRenewAndNearExpiry(t *testing.T) {
	e := newTokenEndpoint(t, time.Hour)
	s := newSource(t, e, secret, scope, &bytes.Buffer{})
	first, _ := s.Token()
	if s.NearExpiry(first) {
		t.Error("a token with an hour left is near expiry")
	}
	s.Renew()
	second, err := s.Token()
	if err != nil || second.AccessToken == first.AccessToken {
		t.Fatalf("after Renew: %v %v, want a new token", second, err)
	}
	second.Expiry = time.Now().Add(9 * time.Minute)
	if !s.NearExpiry(second) {
		t.Error("a token with 9 minutes left (RefreshBefore 5m) is not near expiry")
	}
}

func TestSourceRefusals(t *testing.T) {
	e := newTokenEndpoint(t, time.Hour)
	down := httptest.NewServer(http.NotFoundHandler())
	down.Close()
	tests := []struct {
		name          string
		secret, scope string
		url           string
		answer        func(w http.ResponseWriter) bool
		code, text    string // Code of the TokenError, and a part of its text
	}{
		{"ErrWrongSecret", "feil-hemmelighet-1234", scope, "", nil, "invalid_client", "AADSTS7000215"},
		{"ErrWrongScope", secret, "https://outlook.office365.com/IMAP.AccessAsApp", "", nil, "invalid_scope", "AADSTS1002012"},
		{"ErrNotOAuth", secret, scope, "", func(w http.ResponseWriter) bool {
			w.WriteHeader(http.StatusBadGateway)
			fmt.Fprint(w, "<html>proxy error</html>")
			return true
		}, "http_502", "Bad Gateway"},
		{"ErrUnreachable", secret, scope, down.URL, nil, "", "connection refused"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.setAnswer(tt.answer)
			defer e.setAnswer(nil)
			logs := &bytes.Buffer{}
			cfg := oauth.Config{TokenURL: e.URL + "/tenant/oauth2/v2.0/token", ClientID: "digihjelpen", ClientSecret: tt.secret,
				Scopes: []string{tt.scope}, Logger: slog.New(slog.NewTextHandler(logs, nil))}
			if tt.url != "" {
				cfg.TokenURL = tt.url + "/token"
			}
			s, err := oauth.NewSource(cfg)
			if err != nil {
				t.Fatal(err)
			}
			_, err = s.Token()
			var te *oauth.TokenError
			if !errors.As(err, &te) || te.Code != tt.code || te.Refused() != (tt.code != "") {
				t.Fatalf("got %#v, want code %q", err, tt.code)
			}
			for _, text := range []string{err.Error(), te.Norwegian(), logs.String()} {
				if !strings.Contains(text, cfg.TokenURL) {
					t.Errorf("%q does not name the endpoint", text)
				}
				if strings.Contains(text, tt.secret) {
					t.Errorf("%q holds the secret", text)
				}
			}
			if !strings.Contains(err.Error(), tt.text) || !strings.Contains(logs.String(), tt.text) {
				t.Errorf("error %q / log %q lack %q", err, logs, tt.text)
			}
			if tt.code != "" && !strings.Contains(logs.String(), "error="+tt.code) {
				t.Errorf("log lacks error=%s: %s", tt.code, logs)
			}
		})
	}
}

// TestLogHoldsNeitherSecretNorToken: a token fetched and a token refused leave lines in the
// log with the endpoint, and neither the secret nor a token.
func TestLogHoldsNeitherSecretNorToken(t *testing.T) {
	e := newTokenEndpoint(t, time.Hour)
	logs := &bytes.Buffer{}
	tok, err := newSource(t, e, secret, scope, logs).Token()
	if err != nil {
		t.Fatal(err)
	}
	newSource(t, e, secret+"-feil", scope, logs).Token()
	out := logs.String()
	if !strings.Contains(out, "oauth token fetched") || !strings.Contains(out, "oauth token request failed") || !strings.Contains(out, e.URL) {
		t.Fatalf("log lacks the lines: %s", out)
	}
	if strings.Contains(out, secret) || strings.Contains(out, tok.AccessToken) {
		t.Fatalf("log holds the secret or the token: %s", out)
	}
}

func TestNewSourceChecks(t *testing.T) {
	for _, cfg := range []oauth.Config{{ClientID: "x"}, {TokenURL: "https://login.example/token"}, {TokenURL: "login.example/token", ClientID: "x"}} {
		if _, err := oauth.NewSource(cfg); err == nil {
			t.Errorf("%+v accepted", cfg)
		}
	}
}
