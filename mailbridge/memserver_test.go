package mailbridge_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"log"
	"math/big"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
)

// memServer is go-imap's in-process IMAP server: fast, and able to speak TLS from the start
// and STARTTLS, which the mail stack's Dovecot does not (it runs without TLS).
type memServer struct {
	addr string
	user *imapmemserver.User
	ca   *x509.CertPool
}

type literal struct{ *bytes.Reader }

func (l literal) Size() int64 { return l.Reader.Size() }

func startMemServer(t *testing.T, mode string) *memServer {
	t.Helper()
	cert, pool := selfSigned(t)
	mem := imapmemserver.New()
	user := imapmemserver.NewUser("helpdesk", "hemmelig")
	if err := user.Create("INBOX", nil); err != nil {
		t.Fatal(err)
	}
	mem.AddUser(user)
	opts := &imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return mem.NewSession(), nil, nil
		},
		InsecureAuth: mode == "none",
		Logger:       log.New(io.Discard, "", 0),
		Caps:         imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapIMAP4rev2: {}},
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	switch mode {
	case "starttls":
		opts.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}}
	case "tls":
		ln = tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{cert}})
		opts.InsecureAuth = true // the connection is TLS already
	}
	srv := imapserver.New(opts)
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return &memServer{addr: ln.Addr().String(), user: user, ca: pool}
}

func (m *memServer) deliver(t *testing.T, raw []byte) {
	t.Helper()
	if _, err := m.user.Append("INBOX", literal{bytes.NewReader(raw)}, &imap.AppendOptions{}); err != nil {
		t.Fatal(err)
	}
}

// selfSigned makes a certificate for 127.0.0.1 and the pool that trusts it.
func selfSigned(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, IsCA: true, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}

// TestPollerTLSModes reads mail over each of imap.tls = none, starttls and tls, verifying the
// server's certificate.
func TestPollerTLSModes(t *testing.T) {
	for _, mode := range []string{"none", "starttls", "tls"} {
		t.Run(mode, func(t *testing.T) {
			srv := startMemServer(t, mode)
			srv.deliver(t, question(1, "tls-"+mode))
			s := newStore(t)
			acct := imapAccount{addr: srv.addr, user: "helpdesk", pass: "hemmelig"}
			p := acct.poller(s.mailbridge(), "INBOX", "Behandlet", &syncBuffer{})
			p.TLS, p.TLSConfig = mode, &tls.Config{RootCAs: srv.ca}
			start(t, p)
			eventually(t, 10*time.Second, "the mail moved", func() bool {
				st, err := srv.user.Status("Behandlet", &imap.StatusOptions{NumMessages: true})
				return err == nil && *st.NumMessages == 1
			})
			srv.deliver(t, question(2, "tls-"+mode))
			eventually(t, 10*time.Second, "the second mail (IDLE)", func() bool {
				st, _ := srv.user.Status("Behandlet", &imap.StatusOptions{NumMessages: true})
				return *st.NumMessages == 2
			})
		})
	}
}

// TestPollerRefusesUntrustedCertificate: with TLS, a certificate nobody vouches for is refused,
// and nothing is read.
func TestPollerRefusesUntrustedCertificate(t *testing.T) {
	srv := startMemServer(t, "tls")
	srv.deliver(t, question(1, "untrusted"))
	s := newStore(t)
	logs := &syncBuffer{}
	p := imapAccount{addr: srv.addr, user: "helpdesk", pass: "hemmelig"}.poller(s.mailbridge(), "INBOX", "Behandlet", logs)
	p.TLS = "tls"
	stop := start(t, p)
	eventually(t, 10*time.Second, "a logged certificate error", func() bool { return strings.Contains(logs.String(), "certificate") })
	stop()
	if st, err := srv.user.Status("INBOX", &imap.StatusOptions{NumMessages: true}); err != nil || *st.NumMessages != 1 {
		t.Errorf("INBOX got %v %v, want the mail untouched", st, err)
	}
}

// TestPollerWrongPasswordRetries: a refused login is logged (once, not at every try) without
// the password, and retried with backoff; no mail is touched.
func TestPollerWrongPasswordRetries(t *testing.T) {
	srv := startMemServer(t, "none")
	srv.deliver(t, question(1, "login"))
	s := newStore(t)
	logs := &syncBuffer{}
	p := imapAccount{addr: srv.addr, user: "helpdesk", pass: "feil-passord"}.poller(s.mailbridge(), "INBOX", "Behandlet", logs)
	var tries atomic.Int32
	p.ReportState = func(string) { tries.Add(1) }
	start(t, p)
	eventually(t, 10*time.Second, "three failed logins", func() bool { return tries.Load() >= 3 })
	if n := strings.Count(logs.String(), "log in: the server refused the login"); n != 1 {
		t.Errorf("the refusal is logged %d times, want once:\n%s", n, logs)
	}
	if strings.Contains(logs.String(), "feil-passord") {
		t.Errorf("the password is in the log:\n%s", logs)
	}
	if st, _ := srv.user.Status("INBOX", &imap.StatusOptions{NumMessages: true}); *st.NumMessages != 1 {
		t.Errorf("INBOX got %d mails, want 1 untouched", *st.NumMessages)
	}
}
