package mailbridge_test

import (
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/mailbridge/oauth"
)

// The OAuth2 tests log in to the mail stack's Dovecot and Postfix with tokens from the test
// OpenID provider (cmd/testidp). Dovecot's oauth2 passdb checks each token itself: signature,
// expiry, scope and mailbox.

// provider is a token endpoint of the test provider and the mail client's credentials.
type provider struct {
	tokenURL, clientID, secret, scope string
}

// stackProvider is the mail stack's provider (MAILSTACK_IDP=1), with the mail stack's rules:
// skipped without it, required under make test.
func stackProvider(t *testing.T) provider {
	t.Helper()
	u := os.Getenv("MAILSTACK_IDP_TOKEN_URL")
	if u == "" {
		if os.Getenv("DIGIHJELPEN_TEST_REQUIRE_MAILSTACK") == "1" {
			t.Fatal("MAILSTACK_IDP_TOKEN_URL is not set: start the mail stack with MAILSTACK_IDP=1 (make test does)")
		}
		t.Skip("the mail stack's OpenID provider is not running (MAILSTACK_IDP=1)")
	}
	return provider{u, os.Getenv("MAILSTACK_IDP_MAIL_CLIENT_ID"), os.Getenv("MAILSTACK_IDP_MAIL_CLIENT_SECRET"), os.Getenv("MAILSTACK_IDP_MAIL_SCOPE")}
}

// source is a token source for the provider with secret (the right one when "").
func (p provider) source(t *testing.T, secret string, logs io.Writer) *oauth.Source {
	t.Helper()
	if secret == "" {
		secret = p.secret
	}
	s, err := oauth.NewSource(oauth.Config{TokenURL: p.tokenURL, ClientID: p.clientID, ClientSecret: secret,
		Scopes: []string{p.scope}, Logger: slog.New(slog.NewTextHandler(logs, nil)), HTTPClient: nil})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// ownProvider is a test provider of the test's own, for what the shared one must not do (stop,
// refuse, issue tokens that live seconds). Its signing key goes to the stack's key folder, so
// Dovecot accepts its tokens as it does the shared provider's.
type ownProvider struct {
	t    *testing.T
	addr string
	ttl  time.Duration
	mu   sync.Mutex
	cmd  *exec.Cmd
}

func startOwnProvider(t *testing.T, ttl time.Duration, secret string) *ownProvider {
	t.Helper()
	stackProvider(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &ownProvider{t: t, addr: ln.Addr().String(), ttl: ttl}
	ln.Close()
	p.start(secret)
	t.Cleanup(p.stop)
	return p
}

func (p *ownProvider) start(secret string) {
	p.t.Helper()
	bin, keys := os.Getenv("MAILSTACK_IDP_BIN"), os.Getenv("MAILSTACK_IDP_KEYS")
	cmd := exec.Command(bin, "-addr", p.addr, "-dovecot-keys", keys, "-token-ttl", p.ttl.String(), "-mail-secret", secret)
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	if err := cmd.Start(); err != nil {
		p.t.Fatalf("start %s: %v", filepath.Base(bin), err)
	}
	p.mu.Lock()
	p.cmd = cmd
	p.mu.Unlock()
	eventually(p.t, 10*time.Second, "the own provider", func() bool {
		c, err := net.Dial("tcp", p.addr)
		if err == nil {
			c.Close()
		}
		return err == nil
	})
}

func (p *ownProvider) stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cmd != nil {
		p.cmd.Process.Kill()
		p.cmd.Wait()
		p.cmd = nil
	}
}

func (p *ownProvider) restart(secret string) { p.stop(); p.start(secret) }

func (p *ownProvider) provider() provider {
	return provider{"http://" + p.addr + "/oauth/token", "digihjelpen-mail", "mail-secret", "https://outlook.office365.com/.default"}
}

// states records what a poller or sender reports.
type states struct {
	mu   sync.Mutex
	list []string
}

func (s *states) report(problem string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.list = append(s.list, problem)
}

func (s *states) last() (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.list) == 0 {
		return "", false
	}
	return s.list[len(s.list)-1], true
}

// dovecotLog is the stack's Dovecot log, where logins name their mechanism.
func dovecotLog(t *testing.T) string {
	t.Helper()
	b, _ := os.ReadFile(filepath.Join(os.Getenv("MAILSTACK_DIR"), "dovecot", "dovecot.log"))
	return string(b)
}

func quote(s string) string { return strconv.Quote(s) }

func containsAll(s string, parts ...string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}
