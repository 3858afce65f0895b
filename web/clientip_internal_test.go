package web

import (
	"net/http/httptest"
	"testing"

	"github.com/gofiber/fiber/v2"
)

// app.Test connections come from 0.0.0.0.
func TestClientKey(t *testing.T) {
	tests := []struct {
		name    string
		trusted []string
		xff     []string
		want    string
	}{
		{"NoProxyIgnoresHeader", nil, []string{"203.0.113.7"}, "ip:0.0.0.0"},
		{"UntrustedPeerIgnoresHeader", []string{"10.0.0.0/8"}, []string{"203.0.113.7"}, "ip:0.0.0.0"},
		{"TrustedProxy", []string{"0.0.0.0"}, []string{"203.0.113.7"}, "ip:203.0.113.7"},
		{"ForgedLeftEntriesIgnored", []string{"0.0.0.0"}, []string{"1.2.3.4, 5.6.7.8, 203.0.113.7"}, "ip:203.0.113.7"},
		{"ChainOfTrustedProxies", []string{"0.0.0.0", "10.0.0.0/8"}, []string{"1.2.3.4, 203.0.113.7, 10.1.2.3"}, "ip:203.0.113.7"},
		{"RepeatedHeaders", []string{"0.0.0.0", "10.0.0.0/8"}, []string{"1.2.3.4", "203.0.113.7", "10.1.2.3"}, "ip:203.0.113.7"},
		{"MalformedHopStops", []string{"0.0.0.0", "10.0.0.0/8"}, []string{"1.2.3.4, unknown, 10.1.2.3"}, "ip:10.1.2.3"},
		{"NoHeader", []string{"0.0.0.0"}, nil, "ip:0.0.0.0"},
		{"IPv6CountsPer64", []string{"0.0.0.0"}, []string{"2001:db8:1:2:aaaa::1"}, "ip:2001:db8:1:2::/64"},
		{"IPv4MappedIPv6", []string{"0.0.0.0"}, []string{"::ffff:203.0.113.7"}, "ip:203.0.113.7"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			proxies, err := ParseTrustedProxies(tt.trusted)
			if err != nil {
				t.Fatal(err)
			}
			s := &Server{TrustedProxies: proxies}
			app := fiber.New()
			app.Get("/", func(c *fiber.Ctx) error { return c.SendString(s.clientKey(c)) })
			req := httptest.NewRequest("GET", "/", nil)
			for _, h := range tt.xff {
				req.Header.Add("X-Forwarded-For", h)
			}
			resp, err := app.Test(req)
			if err != nil {
				t.Fatal(err)
			}
			buf := make([]byte, 100)
			n, _ := resp.Body.Read(buf)
			if got := string(buf[:n]); got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestParseTrustedProxies(t *testing.T) {
	for _, bad := range []string{"proxy.ks.no", "10.0.0.0/33", ""} {
		if _, err := ParseTrustedProxies([]string{bad}); err == nil {
			t.Errorf("%q: got nil error", bad)
		}
	}
	got, err := ParseTrustedProxies([]string{"10.1.2.3/8", "::1"})
	if err != nil || got[0].String() != "10.0.0.0/8" || got[1].String() != "::1/128" {
		t.Fatalf("got %v, %v", got, err)
	}
}
