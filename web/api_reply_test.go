package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/ks-no/digihjelpen/ticket"
)

func TestAPIReplyNoteReferral(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080")
	token := e.apiToken()
	tk := e.createTicket("Dagpenger", "kari@lillehammer.kommune.no")
	base := "/api/v1/tickets/" + tk.Ref.String()
	tests := []struct {
		name, method, path, body string
		wantStatus               int
		wantCode                 string
	}{
		{"ErrNotJSON", http.MethodPost, "/replies", `text=hei`, 400, ticket.EINVALID},
		{"ErrUnknownField", http.MethodPost, "/replies", `{"tekst":"hei"}`, 400, ticket.EINVALID},
		{"ErrEmptyReply", http.MethodPost, "/replies", `{"text":" "}`, 400, ticket.EINVALID},
		{"ErrNoTicket", http.MethodPost, "/api/v1/tickets/DH-2026-9999/replies", `{"text":"hei"}`, 404, ticket.ENOTFOUND},
		{"reply", http.MethodPost, "/replies", `{"text":"Se håndboken."}`, 202, ""},
		{"note", http.MethodPost, "/notes", `{"text":"Internt."}`, 201, ""},
		{"ErrReferralAgency", http.MethodPost, "/referrals", `{"agency":"ukjent","note":"x"}`, 400, ticket.EINVALID},
		{"referral", http.MethodPost, "/referrals", `{"agency":"nav","note":"Gjelder dagpenger."}`, 202, ""},
		{"ErrPatchAgency", http.MethodPatch, "", `{"agency":"ukjent"}`, 400, ticket.EINVALID},
		{"ErrPatchAssignee", http.MethodPatch, "", `{"assignee":"ukjent@ks.no"}`, 400, ticket.EINVALID},
		{"ErrPatchStatus", http.MethodPatch, "", `{"status":"borte"}`, 400, ticket.EINVALID},
		{"patch", http.MethodPatch, "", `{"status":"løst","assignee":"agent@ks.no","agency":"nav"}`, 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := base + tt.path
			if strings.HasPrefix(tt.path, "/api/") {
				path = tt.path
			}
			status, v := e.apiSend(tt.method, path, token, tt.body)
			if status != tt.wantStatus {
				t.Fatalf("got %d %v, want %d", status, v, tt.wantStatus)
			}
			if tt.wantCode != "" {
				if code := v["error"].(map[string]any)["code"]; code != tt.wantCode {
					t.Fatalf("got code %v, want %s", code, tt.wantCode)
				}
			}
		})
	}
	got, _ := e.tickets.FindTicketByID(context.Background(), tk.ID)
	if got.Status != ticket.StatusResolved || got.Assignee != "agent@ks.no" || got.Agency != "nav" || len(got.Referrals) != 1 || got.MessageCount != 4 {
		t.Fatalf("ticket %+v", got)
	}
	// A move through the API is staff's choice like one on the page: the routing model learns it.
	if agency, source, ok := got.RoutingLabel(); got.Routing.Rule != ticket.RuleManual || !ok || agency != "nav" || source != ticket.LabelMoved {
		t.Errorf("routing %+v, label %s %s %v; want a manual move to nav", got.Routing, agency, source, ok)
	}
	kinds := map[ticket.MailKind]int{}
	for _, m := range e.outbox(tk) {
		kinds[m.Kind]++
	}
	if kinds[ticket.MailReply] != 1 || kinds[ticket.MailReferral] != 1 || len(kinds) != 2 {
		t.Fatalf("outbox %v, want one reply and one referral", kinds)
	}
	events, _ := e.srv.Events.FindEvents(context.Background(), tk.ID)
	if last := events[len(events)-1]; last.Actor != "token:test" {
		t.Fatalf("last event by %q, want the token", last.Actor)
	}
}

func TestAPIReplyAnswer(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080")
	tk := e.createTicket("Kurs", "kari@lillehammer.kommune.no")
	status, v := e.apiSend(http.MethodPost, "/api/v1/tickets/"+tk.Ref.String()+"/replies", e.apiToken(), `{"text":"Hei!","status":"venter"}`)
	if status != http.StatusAccepted {
		t.Fatalf("status %d %v", status, v)
	}
	msg := v["message"].(map[string]any)
	if v["ticket"].(map[string]any)["status"] != "venter" || msg["direction"] != "out" || msg["text"] != "Hei!" || msg["message_id"] == "" {
		t.Fatalf("answer %v", v)
	}
}
