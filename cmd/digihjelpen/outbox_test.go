package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/ticket"
)

// mailpitAPI returns the shared Mailpit's SMTP address and API, or skips (fails under make test).
func mailpitAPI(t *testing.T) (smtpAddr, api string) {
	t.Helper()
	smtpAddr, api = os.Getenv("MAILSTACK_SMTP_ADDR"), os.Getenv("MAILSTACK_MAILPIT_URL")
	if smtpAddr == "" || api == "" {
		if os.Getenv("DIGIHJELPEN_TEST_REQUIRE_MAILSTACK") == "1" {
			t.Fatal("mail stack required but MAILSTACK_SMTP_ADDR is not set")
		}
		t.Skip("mail stack not up")
	}
	return smtpAddr, api
}

// mailpitText waits for the mail with messageID in Mailpit and returns its text.
func mailpitText(t *testing.T, api, messageID string) string {
	t.Helper()
	q := url.QueryEscape(`message-id:"` + strings.Trim(messageID, "<>") + `"`)
	for range 100 {
		var list struct{ Messages []struct{ ID string } }
		if resp, err := http.Get(api + "/api/v1/search?query=" + q); err == nil {
			json.NewDecoder(resp.Body).Decode(&list)
			resp.Body.Close()
		}
		if len(list.Messages) > 0 {
			var m struct{ Text string }
			resp, err := http.Get(api + "/api/v1/message/" + list.Messages[0].ID)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			json.NewDecoder(resp.Body).Decode(&m)
			return m.Text
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s never reached Mailpit", messageID)
	return ""
}

// TestServeSendsTheAcknowledgement: the app loads the acknowledgement an admin saved, a new
// ticket queues it, and the outbox of serve sends it at once (woken by the commit).
func TestServeSendsTheAcknowledgement(t *testing.T) {
	smtpAddr, api := mailpitAPI(t)
	environ := []string{"DIGIHJELPEN_STORAGE_PATH=" + filepath.Join(t.TempDir(), "dh.db"), "DIGIHJELPEN_SMTP_ADDR=" + smtpAddr,
		"DIGIHJELPEN_SMTP_TLS=none", "DIGIHJELPEN_SMTP_FROM=Digihjelpen <kontakt@digihjelpen.test>"}
	a, err := openApp("", env{environ: environ})
	if err != nil {
		t.Fatal(err)
	}
	admin := ticket.NewContextWithActor(context.Background(), ticket.Actor{Name: "admin@ks.no", Role: ticket.RoleAdmin})
	saved := &ticket.AckTemplate{Name: ticket.DefaultAckTemplateName, Title: "Standard", Text: "Takk! Saken heter {saksnummer}: {statuslenke}"}
	if err := data.NewTemplateService(a.db).SaveAckTemplate(admin, saved, 0); err != nil {
		t.Fatal(err)
	}
	a.Close()
	if a, err = openApp("", env{environ: environ}); err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	var logs bytes.Buffer
	stop := startJobs(t, func(jobs *jobRunner) error { return addOutbox(jobs, a, slog.New(slog.NewTextHandler(&logs, nil))) })
	defer stop()

	email := fmt.Sprintf("kari+%d@lillehammer.kommune.no", time.Now().UnixNano())
	tk := &ticket.Ticket{Subject: "Kurs", Status: ticket.StatusNew, Agency: "ks", Priority: ticket.PriorityNormal, Channel: ticket.ChannelWeb,
		Requester: ticket.Requester{Email: email}}
	var ack []*ticket.OutboundMail
	acknowledge := func(t *ticket.Ticket, m *ticket.Message) ([]*ticket.OutboundMail, error) {
		out, err := a.composer.Ack(t, m)
		ack = out
		return out, err
	}
	first := &ticket.Message{Direction: ticket.DirectionIn, From: email, Text: "Hei"}
	if err := a.tickets.CreateTicket(context.Background(), tk, first, ticket.CreateOptions{Acknowledge: acknowledge}); err != nil {
		t.Fatal(err)
	}
	if got := mailpitText(t, api, ack[0].MessageID); !strings.HasPrefix(got, "Takk! Saken heter "+tk.Ref.String()+": http://127.0.0.1:8080/sak/") {
		t.Fatalf("acknowledgement text %q, want the saved template", got)
	}
	stop() // waits for the sender to finish the mail in hand, so the log is complete and no longer written
	if !strings.Contains(logs.String(), "mail sent") {
		t.Fatalf("log %s", logs.String())
	}
}
