package mailbridge_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
	"github.com/emersion/go-sasl"

	"github.com/ks-no/digihjelpen/ticket"
)

// tokenSession is an in-process IMAP session that logs in with OAUTHBEARER only, for tokens
// accept takes.
type tokenSession struct {
	imapserver.Session
	accept func(token string) bool
}

func (s *tokenSession) AuthenticateMechanisms() []string { return []string{sasl.OAuthBearer} }

func (s *tokenSession) Authenticate(mech string) (sasl.Server, error) {
	return sasl.NewOAuthBearerServer(func(o sasl.OAuthBearerOptions) *sasl.OAuthBearerError {
		if o.Username != "helpdesk@example.test" || !s.accept(o.Token) {
			return &sasl.OAuthBearerError{Status: "invalid_token", Schemes: "bearer"}
		}
		if err := s.Session.Login("helpdesk", "hemmelig"); err != nil {
			return &sasl.OAuthBearerError{Status: "invalid_token"}
		}
		return nil
	}), nil
}

// TestPollerTokenRetryNearExpiry: the server refuses the first token. When it was near its
// expiry, the poller gets one fresh token and tries once more at once; when it was fresh, the
// session ends (and the next one, after the back-off, fetches a new token).
func TestPollerTokenRetryNearExpiry(t *testing.T) {
	tests := []struct {
		name     string
		lifetime time.Duration // RefreshBefore is 5 minutes: near expiry is less than 10 left
		retried  bool
	}{
		{"NearExpiryRetried", 6 * time.Minute, true},
		{"FreshNotRetried", time.Hour, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var issued atomic.Int32
			endpoint := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				json.NewEncoder(w).Encode(map[string]any{"access_token": fmt.Sprintf("token-%d", issued.Add(1)),
					"token_type": "Bearer", "expires_in": int(tt.lifetime.Seconds())})
			}))
			defer endpoint.Close()

			mem := imapmemserver.New()
			user := imapmemserver.NewUser("helpdesk", "hemmelig")
			user.Create("INBOX", nil)
			mem.AddUser(user)
			user.Append("INBOX", literal{bytes.NewReader(question(1, "retry"))}, &imap.AppendOptions{})
			var auths atomic.Int32
			srv := imapserver.New(&imapserver.Options{
				NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
					return &tokenSession{Session: mem.NewSession(), accept: func(tok string) bool { auths.Add(1); return tok != "token-1" }}, nil, nil
				},
				InsecureAuth: true, Logger: log.New(io.Discard, "", 0),
				Caps: imap.CapSet{imap.CapIMAP4rev1: {}}, // the wrapper hides the session's IMAP4rev2 methods
			})
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			go srv.Serve(ln)
			defer srv.Close()

			s := newStore(t)
			logs := &syncBuffer{}
			acct := imapAccount{addr: ln.Addr().String(), user: "helpdesk@example.test"}
			p := acct.poller(s.mailbridge(), "INBOX", "Behandlet", logs)
			p.Token = provider{endpoint.URL, "digihjelpen-mail", "hemmelig", "https://outlook.office365.com/.default"}.source(t, "", logs)
			start(t, p)
			defer func() {
				if t.Failed() {
					t.Log(logs.String())
				}
			}()
			eventually(t, 10*time.Second, "the mail stored", func() bool {
				_, n, _ := s.tickets.FindTickets(context.Background(), ticket.TicketFilter{})
				return n == 1
			})
			out := logs.String()
			if got := strings.Contains(out, "one more try with a fresh token"); got != tt.retried {
				t.Errorf("retried at once: %v, want %v\n%s", got, tt.retried, out)
			}
			if got := strings.Contains(out, "imap session ended"); got == tt.retried {
				t.Errorf("a session ended: %v, want %v\n%s", got, !tt.retried, out)
			}
			if n, a := issued.Load(), auths.Load(); n != 2 || a != 2 {
				t.Errorf("%d tokens fetched and %d AUTHENTICATE, want 2 and 2", n, a)
			}
		})
	}
}
