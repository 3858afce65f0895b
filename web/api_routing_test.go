package web_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/ks-no/digihjelpen/ticket"
)

// TestAPIRoutingExplained checks that the API explains a ticket's routing as DESIGN.md says:
// routing{rule, reason}.
func TestAPIRoutingExplained(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080")
	admin := e.withRouting()
	tk := &ticket.Ticket{Subject: "Skattekortet", Status: ticket.StatusNew, Priority: ticket.PriorityNormal, Channel: ticket.ChannelEmail,
		Requester: ticket.Requester{Email: "kari@bergen.kommune.no"}}
	m := &ticket.Message{Direction: ticket.DirectionIn, From: "kari@bergen.kommune.no", Text: "Hvordan endrer en innbygger skattekortet?"}
	admin.Route(tk, m).Apply(tk)
	if err := e.tickets.CreateTicket(context.Background(), tk, m, ticket.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	resp, v := e.api(http.MethodGet, "/api/v1/tickets/"+tk.Ref.String(), e.apiToken())
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	r, _ := v["routing"].(map[string]any)
	if v["agency"] != "skatteetaten" || r["rule"] != "Skatt og folkeregister" || r["reason"] != "ord «skattekortet» i emnet" {
		t.Fatalf("routing %v, agency %v", v["routing"], v["agency"])
	}
	muni := v["requester"].(map[string]any)["municipality"].(map[string]any)
	if muni["number"] != "4601" || muni["name"] != "Bergen" {
		t.Fatalf("municipality %v", muni)
	}
}
