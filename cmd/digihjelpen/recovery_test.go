package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// Recovery is measured against real servers the tests stop and start: the server must be
// working again within recoveryLimit of its mail server coming back. The outage lasts
// outage(); DIGIHJELPEN_RECOVERY_OUTAGE=2m (make recovery) measures the long outages of the
// issue, the suite a short one that still takes the back-off to its cap.
const recoveryLimit = 10 * time.Second

func outage(t *testing.T, short time.Duration) time.Duration {
	t.Helper()
	if v := os.Getenv("DIGIHJELPEN_RECOVERY_OUTAGE"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			t.Fatalf("DIGIHJELPEN_RECOVERY_OUTAGE: %v", err)
		}
		return d
	}
	return short
}

// TestRecoverySMTP stops Mailpit, queues 50 replies through the API while it is away, and
// starts it again: all 50 arrive, none twice, within recoveryLimit of Mailpit answering (the
// sender backs off per server, capped, and sends everything due once it answers).
func TestRecoverySMTP(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary through a mail server outage")
	}
	mp := newPrivateMailpit(t)
	dbPath := t.TempDir() + "/var/d.db"
	seedServeStore(t, dbPath)
	environ := []string{"DIGIHJELPEN_STORAGE_PATH=" + dbPath}
	_, token, _ := runIn(t, environ, "", "token", "create", "-name", "gjenoppretting")
	srv := startServeAt(t, dbPath, "DIGIHJELPEN_SMTP_ADDR="+mp.smtpAddr, "DIGIHJELPEN_SMTP_TLS=none",
		"DIGIHJELPEN_SMTP_FROM=Digihjelpen kontaktpunkt <kontakt@digihjelpen.test>")
	srv.token = strings.TrimSpace(token)
	ref := strings.Fields(apiRefs(t, srv)[0])[0]

	mp.stop()
	down := outage(t, 15*time.Second)
	began := time.Now()
	for i := range 50 {
		var answer map[string]any
		srv.post(t, "/api/v1/tickets/"+ref+"/replies", fmt.Sprintf(`{"text": "Svar nummer %d mens e-posttjeneren er nede."}`, i), http.StatusAccepted, &answer)
	}
	time.Sleep(down - time.Since(began))
	mp.start()
	back := time.Now()
	var ids []string
	for ; len(ids) < 50; time.Sleep(50 * time.Millisecond) {
		if ids = mp.messageIDs(); time.Since(back) > 3*recoveryLimit {
			t.Fatalf("%d of 50 replies arrived within %v of Mailpit coming back\n%s", len(ids), 3*recoveryLimit, srv.logs)
		}
	}
	took := time.Since(back)
	time.Sleep(time.Second) // a mail sent twice would show up now
	ids = mp.messageIDs()
	if len(ids) != 50 || len(slices.Compact(slices.Sorted(slices.Values(ids)))) != 50 {
		t.Errorf("Mailpit holds %d mails with %d Message-IDs, want 50 and 50: none lost, none twice", len(ids), len(slices.Compact(slices.Sorted(slices.Values(ids)))))
	}
	t.Logf("SMTP down %v with 50 replies queued: all arrived %v after Mailpit came back", down.Round(time.Second), took.Round(10*time.Millisecond))
	if took > recoveryLimit {
		t.Errorf("the last reply arrived %v after Mailpit came back, want within %v", took, recoveryLimit)
	}
	if !strings.Contains(srv.logs.String(), "smtp server reachable again") {
		t.Errorf("log:\n%s", srv.logs)
	}
	srv.stop(t)
}

// TestRecoveryIMAP stops Dovecot under the running binary: /readyz turns 503 with the
// mailbox's reason within three poll intervals; when Dovecot is back, a mail delivered at once
// is a ticket within recoveryLimit and /readyz is 200 again. /metrics, read with the
// Prometheus text parser, has the last read of the mailbox and the mail taken in.
func TestRecoveryIMAP(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary through a mail server outage")
	}
	dv := newPrivateDovecot(t)
	dbPath := t.TempDir() + "/var/d.db"
	seedServeStore(t, dbPath)
	environ := []string{"DIGIHJELPEN_STORAGE_PATH=" + dbPath}
	_, token, _ := runIn(t, environ, "", "token", "create", "-name", "gjenoppretting")
	srv := startServeAt(t, dbPath, "DIGIHJELPEN_IMAP_ADDR="+dv.addr(), "DIGIHJELPEN_IMAP_TLS=none", "DIGIHJELPEN_IMAP_USERNAME=helpdesk",
		"DIGIHJELPEN_IMAP_PASSWORD=secret", "DIGIHJELPEN_IMAP_POLL_INTERVAL=1s")
	srv.token = strings.TrimSpace(token)
	dv.deliver(mailText("Kari <kari@hamar.kommune.no>", "Før stansen", "<for@hamar>", ""))
	waitReady(t, srv, http.StatusOK, 10*time.Second)
	for deadline := time.Now().Add(10 * time.Second); len(apiRefs(t, srv)) < 2; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the mail before the outage is no ticket\n%s", srv.logs)
		}
	}

	dv.down()
	stopped := time.Now()
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("server log:\n%s", srv.logs)
		}
	})
	body := waitReady(t, srv, http.StatusServiceUnavailable, 10*time.Second)
	var ready struct {
		Status string
		Checks map[string]struct {
			OK     bool
			Reason string
		}
	}
	json.Unmarshal([]byte(body), &ready)
	if mb := ready.Checks["mailbox"]; ready.Status != "unavailable" || mb.OK || !strings.Contains(mb.Reason, "Innboksen er ikke lest") || !ready.Checks["database"].OK {
		t.Errorf("/readyz with Dovecot stopped: %s", body)
	}
	t.Logf("/readyz 503 %v after Dovecot stopped: %s", time.Since(stopped).Round(100*time.Millisecond), ready.Checks["mailbox"].Reason)
	down := outage(t, 12*time.Second)
	time.Sleep(down - time.Since(stopped))

	dv.up()
	back := time.Now()
	dv.deliver(mailText("Per <per@gran.kommune.no>", "Etter stansen", "<etter@gran>", ""))
	for len(apiRefs(t, srv)) < 3 {
		if time.Since(back) > 3*recoveryLimit {
			t.Fatalf("no ticket %v after Dovecot came back\n%s", 3*recoveryLimit, srv.logs)
		}
		time.Sleep(50 * time.Millisecond)
	}
	took := time.Since(back)
	t.Logf("Dovecot down %v: the mail delivered when it came back was a ticket %v later", down.Round(time.Second), took.Round(10*time.Millisecond))
	if took > recoveryLimit {
		t.Errorf("intake resumed %v after Dovecot came back, want within %v", took, recoveryLimit)
	}
	waitReady(t, srv, http.StatusOK, 5*time.Second)

	families := scrape(t, srv)
	if v := families["digihjelpen_mailbox_last_read_timestamp_seconds"].GetMetric()[0].GetGauge().GetValue(); time.Since(time.Unix(int64(v), 0)) > 5*time.Second {
		t.Errorf("last read %v", time.Unix(int64(v), 0))
	}
	created := 0.0
	for _, m := range families["digihjelpen_intake_mails_total"].GetMetric() {
		if m.GetLabel()[0].GetValue() == "created" {
			created = m.GetCounter().GetValue()
		}
	}
	if created != 2 {
		t.Errorf("intake created %v, want 2", created)
	}
	srv.stop(t)
}

// waitReady waits until /readyz answers status and returns its body.
func waitReady(t *testing.T, s *serveProcess, status int, limit time.Duration) string {
	t.Helper()
	var code int
	var body string
	for deadline := time.Now().Add(limit); ; time.Sleep(100 * time.Millisecond) {
		resp, err := http.Get(s.base + "/readyz")
		if err == nil {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			code, body = resp.StatusCode, string(b)
			if code == status {
				return body
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("/readyz answered %d, not %d, for %v: %s", code, status, limit, body)
		}
	}
}

// scrape reads /metrics, with the API token, as Prometheus does: with its text parser.
func scrape(t *testing.T, s *serveProcess) map[string]*dto.MetricFamily {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, s.base+"/metrics", nil)
	req.Header.Set("Authorization", "Bearer "+s.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/metrics: %d", resp.StatusCode)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("parse /metrics: %v", err)
	}
	return families
}
