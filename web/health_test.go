package web_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/ks-no/digihjelpen/web"
)

// TestReadyz: 200 with every check when all work; 503 with the reason of the one that does not,
// as JSON, and its cause and figures only for a caller with an API token; a check that is off
// does not count.
func TestReadyz(t *testing.T) {
	verdict := web.Readiness{"database": {OK: true}, "mailbox": {OK: true}, "outbox": {OK: true, Off: true}}
	e := newTestEnv(t, "http://127.0.0.1:8080", func(s *web.Server) {
		s.Readiness = func(context.Context) web.Readiness { return verdict }
	})
	get := func(token ...string) (int, map[string]any) {
		req := httptest.NewRequest(http.MethodGet, "/readyz", nil)
		if len(token) > 0 {
			req.Header.Set("Authorization", "Bearer "+token[0])
		}
		resp, err := e.srv.App().Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		var body map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
			t.Fatal(err)
		}
		if resp.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("Cache-Control %q", resp.Header.Get("Cache-Control"))
		}
		return resp.StatusCode, body
	}
	if code, body := get(); code != http.StatusOK || body["status"] != "ok" {
		t.Fatalf("all well: %d %v", code, body)
	}
	verdict["mailbox"] = web.Check{Reason: "Innboksen er ikke lest på 4 minutter.", Cause: "Fikk ikke kontakt med IMAP-tjeneren imap.ks.no:993.",
		Detail: map[string]any{"last_read": "2026-12-02T10:00:00Z"}}
	code, body := get()
	mailbox, _ := body["checks"].(map[string]any)["mailbox"].(map[string]any)
	if code != http.StatusServiceUnavailable || body["status"] != "unavailable" || mailbox["ok"] != false ||
		mailbox["reason"] != "Innboksen er ikke lest på 4 minutter." || mailbox["cause"] != nil || mailbox["detail"] != nil {
		t.Fatalf("mailbox down, without a token (no server names): %d %v", code, body)
	}
	code, body = get(e.apiToken())
	mailbox, _ = body["checks"].(map[string]any)["mailbox"].(map[string]any)
	if code != http.StatusServiceUnavailable || mailbox["cause"] != "Fikk ikke kontakt med IMAP-tjeneren imap.ks.no:993." ||
		mailbox["detail"].(map[string]any)["last_read"] == nil {
		t.Fatalf("mailbox down, with a token: %d %v", code, body)
	}
}

// TestMetrics: /metrics needs a token, and serves the registry in the Prometheus text format
// as the Prometheus parser reads it, with the time requests took by route (an unknown path is
// "other", so scans add no series) beside what the wiring registered.
func TestMetrics(t *testing.T) {
	reg := prometheus.NewRegistry()
	gauge := prometheus.NewGauge(prometheus.GaugeOpts{Name: "digihjelpen_test_gauge", Help: "A gauge of the wiring."})
	gauge.Set(7)
	reg.MustRegister(gauge)
	e := newTestEnv(t, "http://127.0.0.1:8080", func(s *web.Server) { s.Metrics = reg })
	for _, path := range []string{"/logg-inn", "/logg-inn", "/finnes-ikke-1", "/finnes-ikke-2", "/saker/DH-2026-0001"} {
		e.srv.App().Test(httptest.NewRequest(http.MethodGet, path, nil), -1)
	}
	req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
	if resp, _ := e.srv.App().Test(req, -1); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("without token: status %d, want 401", resp.StatusCode)
	}
	req.Header.Set("Authorization", "Bearer "+e.apiToken())
	resp, _ := e.srv.App().Test(req, -1)
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain; version=0.0.4") {
		t.Fatalf("metrics: %d %q\n%s", resp.StatusCode, resp.Header.Get("Content-Type"), b)
	}
	families := parseMetrics(t, string(b))
	if g := families["digihjelpen_test_gauge"]; g == nil || g.GetMetric()[0].GetGauge().GetValue() != 7 {
		t.Errorf("the wiring's gauge: %v", g)
	}
	counts := map[string]uint64{}
	for _, m := range families["digihjelpen_http_request_duration_seconds"].GetMetric() {
		labels := map[string]string{}
		for _, l := range m.GetLabel() {
			labels[l.GetName()] = l.GetValue()
		}
		counts[labels["method"]+" "+labels["route"]] = m.GetHistogram().GetSampleCount()
	}
	for key, want := range map[string]uint64{"GET /logg-inn": 2, "GET other": 2, "GET /saker/:ref": 1} {
		if counts[key] != want {
			t.Errorf("requests %s: %d, want %d (all: %v)", key, counts[key], want, counts)
		}
	}
}

// parseMetrics reads an exposition with the Prometheus text parser.
func parseMetrics(t *testing.T, text string) map[string]*dto.MetricFamily {
	t.Helper()
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(strings.NewReader(text))
	if err != nil {
		t.Fatalf("parse /metrics: %v\n%s", err, text)
	}
	return families
}

// TestAlarmBanner: administrators see the alarms on every page, agents do not.
func TestAlarmBanner(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080", func(s *web.Server) {
		s.Alarms = func(context.Context) []string { return []string{"Innboksen er ikke lest på 12 minutter."} }
	})
	admin := e.browser()
	admin.login("admin@ks.no")
	for _, path := range []string{"/innboks", "/admin", "/konto"} {
		if _, body := admin.get(path); !strings.Contains(body, `id="driftsvarsel"`) || !strings.Contains(body, "Innboksen er ikke lest på 12 minutter.") {
			t.Errorf("admin on %s: no banner", path)
		}
	}
	agent := e.browser()
	agent.login("agent@ks.no")
	if _, body := agent.get("/innboks"); strings.Contains(body, "driftsvarsel") {
		t.Error("an agent sees the banner")
	}
}

// TestBrowserAlarmBanner: the banner on the inbox and the admin page passes axe in Chromium.
func TestBrowserAlarmBanner(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080", func(s *web.Server) {
		s.Alarms = func(context.Context) []string {
			return []string{"Innboksen er ikke lest på 12 minutter (siden 02.12.2026 kl. 10:03): ny e-post blir ikke til saker.",
				"E-post har ventet i 31 minutter i utboksen (4 i kø): svar og kvitteringer kommer ikke fram."}
		}
	})
	c := newChrome(t, e)
	c.visit("/logg-inn")
	c.do(chromedp.SendKeys(chromedp.ID("email"), "admin@ks.no"), chromedp.SendKeys(chromedp.ID("password"), testPassword))
	c.clickLoad(`button[type="submit"]`)
	c.do(chromedp.WaitVisible(chromedp.ID("driftsvarsel")))
	if got := c.text("#driftsvarsel"); !strings.Contains(got, "Innboksen er ikke lest på 12 minutter") {
		t.Fatalf("banner %q", got)
	}
	c.audit("driftsvarsel-innboks")
	c.visit("/admin")
	c.audit("driftsvarsel-admin")
}
