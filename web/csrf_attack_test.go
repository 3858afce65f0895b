package web_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/ks-no/digihjelpen/ticket"
)

// TestCSRFAttacksRefused sends every form of the site, as a signed-in administrator, the ways
// a forged cross-site form or a stolen page could: no token, another person's token, a token
// with one character changed, a token signed with another secret, the right token without the
// cookie it belongs to (a cross-site POST, where SameSite keeps the cookies back), and the path
// dressed as the API (which has no CSRF check). Every attempt is refused, and nothing changes:
// the ticket has no new message.
func TestCSRFAttacksRefused(t *testing.T) {
	e := newAdminEnv(t)
	tk := e.createTicket("Kurs", "kari@lillehammer.kommune.no")
	admin, other := e.browser(), e.browser()
	admin.login("admin@ks.no")
	other.login("agent@ks.no")
	right, othersToken := admin.csrf("/innboks"), other.csrf("/innboks")
	tampered := []byte(right)
	tampered[3] ^= 1
	mac := hmac.New(sha256.New, []byte("en annen hemmelighet, 32 byte lang"))
	mac.Write([]byte("csrf:" + admin.cookies["dh_csrf"]))
	otherSecret := base64.RawURLEncoding.EncodeToString(mac.Sum(nil))

	attacks := []struct {
		name, token string
		noCookie    bool
		pathPrefix  string
	}{
		{"no token", "", false, ""},
		{"another person's token", othersToken, false, ""},
		{"a changed token", string(tampered), false, ""},
		{"a token of another secret", otherSecret, false, ""},
		{"the token without its cookie", right, true, ""},
		{"dressed as the API", "", false, "/api/.."},
	}
	attempts := 0
	for _, r := range e.srv.RouteTable() {
		if r.Method == http.MethodGet || strings.HasPrefix(r.Path, "/api/") {
			continue
		}
		path := strings.NewReplacer(":ref", tk.Ref.String()).Replace(routeParams.Replace(r.Path))
		for _, a := range attacks {
			form := url.Values{"text": {"Forfalsket"}, "status": {"lukket"}, "role": {"admin"}, "email": {"angriper@example.org"}}
			if a.token != "" {
				form.Set("csrf", a.token)
			}
			req := httptest.NewRequest(r.Method, a.pathPrefix+path, strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Origin", "https://angriper.example.org")
			var resp *http.Response
			if a.noCookie {
				resp, _ = e.srv.App().Test(req, -1)
			} else {
				resp = admin.do(req)
			}
			body, _ := io.ReadAll(resp.Body)
			attempts++
			if resp.StatusCode < 400 {
				t.Errorf("%s %s with %s: %d, want it refused\n%.300s", r.Method, path, a.name, resp.StatusCode, body)
			}
		}
	}
	got, err := e.tickets.FindTicketByID(t.Context(), tk.ID)
	if err != nil || got.MessageCount != 1 || got.Status != ticket.StatusNew {
		t.Errorf("the ticket changed: %+v %v", got, err)
	}
	t.Logf("%d CSRF attempts on %d forms, all refused", attempts, attempts/len(attacks))
}
