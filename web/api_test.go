package web_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/ks-no/digihjelpen/ticket"
	"github.com/ks-no/digihjelpen/web"
)

func (e *testEnv) apiToken() string {
	e.t.Helper()
	secret, id := web.NewTokenSecret()
	if err := e.tokens.CreateToken(context.Background(), &ticket.Token{ID: id, Name: "test", Role: ticket.RoleAgent}); err != nil {
		e.t.Fatal(err)
	}
	return secret
}

func (e *testEnv) api(method, path, token string) (*http.Response, map[string]any) {
	e.t.Helper()
	req := httptest.NewRequest(method, path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := e.srv.App().Test(req, -1)
	if err != nil {
		e.t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	var v map[string]any
	if err := json.Unmarshal(body, &v); err != nil {
		e.t.Fatalf("%s %s: not JSON: %s", method, path, body)
	}
	return resp, v
}

func TestAPIAuth(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080")
	for name, token := range map[string]string{"ErrNoToken": "", "ErrBadToken": "dh_feil"} {
		resp, v := e.api(http.MethodGet, "/api/v1/tickets", token)
		if resp.StatusCode != http.StatusUnauthorized || resp.Header.Get("WWW-Authenticate") == "" {
			t.Errorf("%s: status %d", name, resp.StatusCode)
		}
		if v["error"].(map[string]any)["code"] != ticket.EUNAUTHORIZED {
			t.Errorf("%s: body %v", name, v)
		}
	}
}

func TestAPITickets(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080")
	token := e.apiToken()
	tk := e.createTicket("Kurs i BankID for seniorer", "kari@lillehammer.kommune.no")
	e.createTicket("Annen sak", "per@hamar.kommune.no")

	resp, v := e.api(http.MethodGet, "/api/v1/tickets?limit=1", token)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %v", resp.StatusCode, v)
	}
	list := v["tickets"].([]any)
	if len(list) != 1 || v["next"] == "" {
		t.Fatalf("got %v, want one ticket and a next cursor", v)
	}
	_, v = e.api(http.MethodGet, "/api/v1/tickets?limit=1&cursor="+v["next"].(string), token)
	if got := v["tickets"].([]any)[0].(map[string]any)["ref"]; got != tk.Ref.String() {
		t.Fatalf("second page ref %v, want %s", got, tk.Ref)
	}

	resp, v = e.api(http.MethodGet, "/api/v1/tickets/"+tk.Ref.String(), token)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	for _, k := range []string{"ref", "subject", "status", "agency", "priority", "channel", "assignee", "tags", "created_at",
		"updated_at", "first_response_at", "resolved_at", "requester", "routing", "referrals", "message_count", "messages"} {
		if _, ok := v[k]; !ok {
			t.Errorf("ticket JSON lacks %q", k)
		}
	}
	req := v["requester"].(map[string]any)
	if req["municipality"].(map[string]any)["number"] != "3405" || v["status"] != "ny" {
		t.Errorf("ticket JSON: %v", v)
	}
	msg := v["messages"].([]any)[0].(map[string]any)
	for _, k := range []string{"id", "direction", "from", "to", "subject", "text", "created_at", "message_id", "attachments"} {
		if _, ok := msg[k]; !ok {
			t.Errorf("message JSON lacks %q", k)
		}
	}
	if msg["attachments"].([]any)[0].(map[string]any)["name"] != "vedlegg.pdf" {
		t.Errorf("attachments: %v", msg["attachments"])
	}

	resp, v = e.api(http.MethodGet, "/api/v1/tickets/DH-2026-9999", token)
	if resp.StatusCode != http.StatusNotFound || v["error"].(map[string]any)["code"] != ticket.ENOTFOUND {
		t.Errorf("missing ticket: %d %v", resp.StatusCode, v)
	}
	resp, _ = e.api(http.MethodGet, "/api/v1/tickets?status=ferdig", token)
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("bad status filter: %d", resp.StatusCode)
	}
}
