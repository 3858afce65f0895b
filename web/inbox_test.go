package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/ks-no/digihjelpen/ticket"
)

func TestInbox(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080")
	a := e.createTicket("Kurs i BankID for seniorer", "kari@lillehammer.kommune.no")
	b := e.createTicket("Spørsmål om skattekort", "per@hamar.kommune.no")
	if _, err := e.tickets.UpdateTicket(context.Background(), b.ID, ticket.TicketUpdate{Status: ptr(ticket.StatusResolved)}); err != nil {
		t.Fatal(err)
	}
	br := e.browser()
	br.login("agent@ks.no")
	tests := []struct {
		name, path   string
		want, absent []string
	}{
		{"active by default", "/innboks", []string{a.Ref.String(), "Kurs i BankID for seniorer", "Lillehammer", "1 sak<"}, []string{b.Ref.String()}},
		{"resolved", "/innboks?vis=løst", []string{b.Ref.String(), "Spørsmål om skattekort"}, []string{a.Ref.String()}},
		{"all", "/innboks?vis=alle", []string{a.Ref.String(), b.Ref.String(), "2 saker"}, nil},
		{"agency without tickets", "/innboks?vis=alle&etat=nav", []string{"Ingen saker her.", "0 saker"}, []string{a.Ref.String()}},
		{"oldest first", "/innboks?vis=alle&sorter=eldste", []string{a.Ref.String()}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkPage(t, br, tt.path, tt.want, tt.absent)
		})
	}
	if resp, _ := br.get("/innboks?vis=tull"); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("unknown view: status %d, want 400", resp.StatusCode)
	}
	if resp, _ := br.get("/innboks"); resp.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("inbox may be cached: %q", resp.Header.Get("Cache-Control"))
	}
}

func TestTicketView(t *testing.T) {
	e := newTestEnv(t, "http://127.0.0.1:8080")
	tk := e.createTicket("Kurs i BankID", "kari@lillehammer.kommune.no")
	br := e.browser()
	br.login("agent@ks.no")
	resp, body := br.get("/saker/" + tk.Ref.String())
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	for _, w := range []string{"Kurs i BankID", "kari@lillehammer.kommune.no", "Hei, &lt;b&gt;hvordan&lt;/b&gt;", "vedlegg.pdf"} {
		if !strings.Contains(body, w) {
			t.Errorf("page lacks %q", w)
		}
	}
	if strings.Contains(body, "<b>hvordan</b>") {
		t.Error("message text was not escaped")
	}
	for _, path := range []string{"/saker/DH-2026-9999", "/saker/ikke-en-sak"} {
		if resp, body := br.get(path); resp.StatusCode != http.StatusNotFound || !strings.Contains(body, "Fant ikke saken") {
			t.Errorf("%s: status %d", path, resp.StatusCode)
		}
	}
}

func ptr[T any](v T) *T { return &v }
