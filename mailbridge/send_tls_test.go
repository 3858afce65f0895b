package mailbridge_test

import (
	"context"
	"crypto/tls"
	"io"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/mailbridge"
	"github.com/ks-no/digihjelpen/ticket"
)

func newEvents(f *fixture) *data.EventService { return data.NewEventService(f.db) }

// proxy forwards TCP connections from one address to another: an SMTP server that "comes
// back" on the address the sender was given.
type proxy struct {
	ln    net.Listener
	count atomic.Int32
	wg    sync.WaitGroup
}

func (p *proxy) conns() int { return int(p.count.Load()) }

func startProxy(t *testing.T, listen, target string) *proxy {
	t.Helper()
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{ln: ln}
	t.Cleanup(func() { ln.Close(); p.wg.Wait() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			p.count.Add(1)
			p.wg.Add(1)
			go func() {
				defer p.wg.Done()
				defer c.Close()
				up, err := net.Dial("tcp", target)
				if err != nil {
					return
				}
				defer up.Close()
				go io.Copy(up, c)
				io.Copy(c, up)
			}()
		}
	}()
	return p
}

func TestSendTLSModes(t *testing.T) {
	shared, sharedAPI := mailstack(t)
	cert, key, pool := selfSignedCert(t)
	starttls, starttlsAPI := startMailpit(t, "--smtp-tls-cert", cert, "--smtp-tls-key", key, "--smtp-require-starttls")
	implicit, implicitAPI := startMailpit(t, "--smtp-tls-cert", cert, "--smtp-tls-key", key, "--smtp-require-tls")
	trust := func(s *mailbridge.Sender) {
		s.TLSConfig = &tls.Config{RootCAs: pool, ServerName: "127.0.0.1", MinVersion: tls.VersionTLS12}
	}
	tests := []struct {
		name, addr, mode, user string
		api                    mailpit
		wantErr                string
	}{
		{"none with auth (PLAIN without TLS, as configured)", shared, "none", "helpdesk", sharedAPI, ""},
		{"starttls with auth", starttls, "starttls", "helpdesk", starttlsAPI, ""},
		{"tls (implicit) with auth", implicit, "tls", "helpdesk", implicitAPI, ""},
		{"starttls is required, never silently plain", shared, "starttls", "", sharedAPI, "STARTTLS"},
		{"tls to a plain server fails", shared, "tls", "", sharedAPI, "unreachable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			_, _, ack := f.newTicket("TLS "+tt.mode, f.requester("tls"))
			s := f.sender(tt.addr, trust, func(s *mailbridge.Sender) { s.TLS, s.Username, s.Password = tt.mode, tt.user, "hemmelig" })
			n, err := s.SendDue(f.ctx())
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error()+f.mail(ack.ID).LastError, tt.wantErr) {
					t.Fatalf("got %d %v (%s), want an error with %q", n, err, f.mail(ack.ID).LastError, tt.wantErr)
				}
				if got := f.mail(ack.ID); got.State != ticket.OutboxQueued {
					t.Fatalf("mail %s, want it still queued", got.State)
				}
				return
			}
			if err != nil || n != 1 {
				t.Fatalf("SendDue: %d %v", n, err)
			}
			tt.api.find(t, ack.MessageID)
		})
	}
}

// TestRunLoop: queued mail goes out at once when the store wakes the sender, and Run returns
// when its context ends.
func TestRunLoop(t *testing.T) {
	smtpAddr, api := mailstack(t)
	f := newFixture(t)
	s := f.sender(smtpAddr, func(s *mailbridge.Sender) { s.Interval = time.Hour })
	f.db.MailQueued = s.Wake
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	time.Sleep(50 * time.Millisecond) // the loop's first, empty pass
	_, _, ack := f.newTicket("Vekket", f.requester("wake"))
	api.find(t, ack.MessageID) // well before the hour-long tick
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
}

func TestRunWithoutSMTPAddressWaits(t *testing.T) {
	f := newFixture(t)
	_, _, ack := f.newTicket("Venter", f.requester("vent"))
	s := f.sender("")
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if err := s.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if got := f.mail(ack.ID); got.State != ticket.OutboxQueued {
		t.Fatalf("mail %s, want queued", got.State)
	}
	if !strings.Contains(f.logs.String(), "smtp.addr is empty") {
		t.Fatalf("log %q", f.logs)
	}
}
