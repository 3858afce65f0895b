package mailbridge_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"go/build"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The tests send to real Mailpit: the shared one of the mail stack (make test), or a private
// one a test starts for what it must not do to the shared one (refuse mail, require TLS).
// Every test finds its mail by Message-ID, never by listing or deleting everything.

// mailstack returns the SMTP address and API of the shared Mailpit, or skips the test when the
// stack is not up (make test sets DIGIHJELPEN_TEST_REQUIRE_MAILSTACK=1 to fail instead).
func mailstack(t testing.TB) (smtpAddr string, api mailpit) {
	t.Helper()
	smtpAddr, u := os.Getenv("MAILSTACK_SMTP_ADDR"), os.Getenv("MAILSTACK_MAILPIT_URL")
	if smtpAddr == "" || u == "" {
		if os.Getenv("DIGIHJELPEN_TEST_REQUIRE_MAILSTACK") == "1" {
			t.Fatal("mail stack required but MAILSTACK_SMTP_ADDR/MAILSTACK_MAILPIT_URL are not set")
		}
		t.Skip("mail stack not up (scripts/mailstack-up.sh): MAILSTACK_SMTP_ADDR is empty")
	}
	return smtpAddr, mailpit(u)
}

// mailpit is the base URL of a Mailpit API.
type mailpit string

type mpAddress struct{ Name, Address string }

type mpMessage struct {
	ID, MessageID, Subject, Text, HTML string
	From                               mpAddress
	To, ReplyTo                        []mpAddress
	Attachments                        []struct{ FileName, ContentType string }
}

func (api mailpit) get(t testing.TB, path string, v any) {
	t.Helper()
	resp, err := http.Get(string(api) + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, resp.StatusCode, body)
	}
	if s, ok := v.(*string); ok {
		*s = string(body)
	} else if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
}

// count returns how many messages Mailpit holds with messageID (angle brackets or not).
func (api mailpit) count(t testing.TB, messageID string) []string {
	t.Helper()
	var list struct{ Messages []struct{ ID string } }
	q := url.QueryEscape(`message-id:"` + strings.Trim(messageID, "<>") + `"`)
	api.get(t, "/api/v1/search?query="+q, &list)
	var ids []string
	for _, m := range list.Messages {
		ids = append(ids, m.ID)
	}
	return ids
}

// find waits for the message with messageID and returns it with its headers.
func (api mailpit) find(t testing.TB, messageID string) (*mpMessage, map[string][]string) {
	t.Helper()
	for range 100 {
		if ids := api.count(t, messageID); len(ids) > 0 {
			var m mpMessage
			api.get(t, "/api/v1/message/"+ids[0], &m)
			h := map[string][]string{}
			api.get(t, "/api/v1/message/"+ids[0]+"/headers", &h)
			return &m, h
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("message %s not in Mailpit", messageID)
	return nil, nil
}

func (api mailpit) raw(t *testing.T, id string) string {
	t.Helper()
	var s string
	api.get(t, "/api/v1/message/"+id+"/raw", &s)
	return s
}

// chaos makes a private Mailpit (started with --enable-chaos) refuse every recipient with
// code, or stop refusing with code 0.
func (api mailpit) chaos(t *testing.T, code int) {
	t.Helper()
	body := `{"Recipient":{"ErrorCode":451,"Probability":0}}`
	if code != 0 {
		body = fmt.Sprintf(`{"Recipient":{"ErrorCode":%d,"Probability":100}}`, code)
	}
	req, _ := http.NewRequest(http.MethodPut, string(api)+"/api/v1/chaos", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("set chaos: %d", resp.StatusCode)
	}
}

// freeAddr returns a 127.0.0.1 address nothing listens on (just now).
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// startMailpit runs a private Mailpit for one test and stops it after.
func startMailpit(t *testing.T, args ...string) (smtpAddr string, api mailpit) {
	t.Helper()
	mailstack(t) // same skip rule: the binary comes with the stack
	bin := os.Getenv("MAILPIT_BIN")
	if bin == "" {
		if bin, _ = exec.LookPath("mailpit"); bin == "" {
			bin = filepath.Join(build.Default.GOPATH, "bin", "mailpit")
		}
	}
	smtpAddr, httpAddr := freeAddr(t), freeAddr(t)
	base := []string{"--listen", httpAddr, "--smtp", smtpAddr, "--database", filepath.Join(t.TempDir(), "mailpit.db"),
		"--smtp-auth-accept-any", "--smtp-disable-rdns", "--disable-version-check"}
	if !strings.Contains(strings.Join(args, " "), "--smtp-require-") { // Mailpit refuses both at once
		base = append(base, "--smtp-auth-allow-insecure")
	}
	cmd := exec.Command(bin, append(base, args...)...)
	out := &strings.Builder{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", bin, err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	api = mailpit("http://" + httpAddr)
	for range 200 {
		if resp, err := http.Get(string(api) + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return smtpAddr, api
			}
		}
		time.Sleep(25 * time.Millisecond)
	}
	t.Fatalf("private mailpit did not start: %s", out)
	return "", ""
}

// selfSignedCert writes a certificate for 127.0.0.1 and its key, and returns their files and
// a pool that trusts it.
func selfSignedCert(t *testing.T) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600)
	cert, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}
