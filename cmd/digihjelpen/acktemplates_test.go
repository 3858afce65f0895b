package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/ticket"
)

// TestRulesCheckTemplatesInDatabase: «rules check» knows the templates admins created and
// deleted, and says so when it cannot read them (the server holds the database).
func TestRulesCheckTemplatesInDatabase(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "d.db")
	db := data.NewDB(dbPath)
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	s := data.NewTemplateService(db)
	admin := ticket.NewContextWithActor(context.Background(), ticket.Actor{Name: "admin@ks.no", Role: ticket.RoleAdmin})
	if err := s.CreateAckTemplate(admin, &ticket.AckTemplate{Name: "nav-ekstra", Title: "NAV", Text: "{saksnummer} {statuslenke}"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DeleteAckTemplate(admin, "henvisning", 0); err != nil {
		t.Fatal(err)
	}
	rules := writeFile(t, "r.toml", "[[rules]]\nname = \"NAV\"\nagency = \"nav\"\ntemplate = \"nav-ekstra\"\n\n[[rules]]\nname = \"Skatt\"\nagency = \"skatteetaten\"\ntemplate = \"henvisning\"\n")

	// The server runs: the database is locked, so only the built-in templates are known.
	code, out, errOut := runCmd(t, dbPath, "", "rules", "check", rules)
	if code != 0 || !strings.Contains(out, "1 advarsel") || !strings.Contains(errOut, rules+":4: advarsel: regelen «NAV»") ||
		!strings.Contains(errOut, "sjekket mot de innebygde malene") {
		t.Fatalf("locked: code %d, stdout %q, stderr %q", code, out, errOut)
	}
	db.Close()
	tests := []struct {
		name, sub, wantErr string
	}{
		{"check", "check", rules + ":9: advarsel: regelen «Skatt»: template: kvitteringsmalen «henvisning» finnes ikke"},
		{"test", "test", rules + ":9: advarsel: regelen «Skatt»"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCmd(t, dbPath, "", "rules", tt.sub, rules)
			if code != 0 || !strings.Contains(errOut, tt.wantErr) || strings.Contains(errOut, "«NAV»") || strings.Contains(errOut, "innebygde") {
				t.Fatalf("code %d, stdout %q, stderr %q; want only the warning about the deleted template", code, out, errOut)
			}
		})
	}
}

// TestRuleTemplateAcknowledgement runs the whole path as serve wires it: a template an admin
// created is loaded at start, a rule in the rules file picks it, and a new ticket created
// through CreateTicket queues an acknowledgement with its text (delivered to Mailpit when the
// mail stack is up). A rule naming a missing template warns at start, its tickets get the
// default text, and the fallback is logged once, not per mail.
func TestRuleTemplateAcknowledgement(t *testing.T) {
	rules := writeFile(t, "regler.toml", `[[rules]]
name = "Meldekort"
words = ["meldekort"]
agency = "nav"
template = "nav-videre"

[[rules]]
name = "Skattekort"
words = ["skattekort"]
agency = "skatteetaten"
template = "mangler"
`)
	environ := []string{"DIGIHJELPEN_STORAGE_PATH=" + filepath.Join(t.TempDir(), "dh.db"), "DIGIHJELPEN_ROUTING_RULES_FILE=" + rules,
		"DIGIHJELPEN_SMTP_FROM=Digihjelpen <kontakt@digihjelpen.test>"}
	a, err := openApp("", env{environ: environ})
	if err != nil {
		t.Fatal(err)
	}
	admin := ticket.NewContextWithActor(context.Background(), ticket.Actor{Name: "admin@ks.no", Role: ticket.RoleAdmin})
	tpl := &ticket.AckTemplate{Name: "nav-videre", Title: "Videre til NAV", Text: "Hei {navn}! Saken {saksnummer} gjelder {etat}, og vi sender den dit. Følg den her: {statuslenke}"}
	if err := data.NewTemplateService(a.db).CreateAckTemplate(admin, tpl); err != nil {
		t.Fatal(err)
	}
	a.Close()
	if a, err = openApp("", env{environ: environ}); err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	logs := &syncBuffer{}
	warnAckTemplates(a, slog.New(slog.NewTextHandler(logs, nil)))
	if got := logs.String(); !strings.Contains(got, "rule=Skattekort line=11 template=mangler") || strings.Contains(got, "nav-videre") {
		t.Fatalf("start-up warnings %q, want one for the rule naming «mangler»", got)
	}

	stamp := time.Now().UnixNano()
	tests := []struct {
		name, subject, wantText, wantTo, wantFrom string
	}{
		{"named", "Meldekort for en innbygger", "Hei Kari Nordmann! Saken DH-", "nav-videre", ""},
		{"named again", "Meldekortet er borte", "gjelder NAV, og vi sender den dit. Følg den her: http://127.0.0.1:8080/sak/", "nav-videre", ""},
		{"missing template", "Skattekort for ungdom", "takk for spørsmålet ditt til Digihjelpen kontaktpunkt", "standard", "mangler"},
		{"missing again", "Skattekortet", "takk for spørsmålet ditt til Digihjelpen kontaktpunkt", "standard", "mangler"},
	}
	var acks []*ticket.OutboundMail
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			email := fmt.Sprintf("kari+%d-%d@lillehammer.kommune.no", stamp, i)
			tk := &ticket.Ticket{Subject: tt.subject, Status: ticket.StatusNew, Priority: ticket.PriorityNormal, Channel: ticket.ChannelEmail,
				Requester: ticket.Requester{Name: "Kari Nordmann", Email: email}}
			first := &ticket.Message{Direction: ticket.DirectionIn, From: email, Subject: tt.subject, Text: "Hei, kan dere hjelpe?"}
			a.router.Route(tk, first).Apply(tk)
			if err := a.tickets.CreateTicket(context.Background(), tk, first, ticket.CreateOptions{Acknowledge: a.composer.Ack}); err != nil {
				t.Fatal(err)
			}
			out, err := data.NewOutboxService(a.db).FindOutbox(context.Background(), ticket.OutboxFilter{TicketID: &tk.ID})
			if err != nil || len(out) != 1 || out[0].Kind != ticket.MailAck {
				t.Fatalf("outbox %+v %v, want the acknowledgement", out, err)
			}
			if !strings.Contains(out[0].Text, tt.wantText) || !strings.Contains(out[0].Text, tk.Ref.String()) || !strings.HasPrefix(out[0].Subject, "["+tk.Ref.String()+"]") {
				t.Fatalf("acknowledgement %q: %q, want %q", out[0].Subject, out[0].Text, tt.wantText)
			}
			acks = append(acks, out[0])
			events, _ := a.events.FindEvents(context.Background(), tk.ID)
			found := false
			for _, e := range events {
				found = found || (e.Kind == ticket.EventAcknowledged && e.To == tt.wantTo && e.From == tt.wantFrom)
			}
			if !found {
				t.Fatalf("history %+v lacks the acknowledgement with %s (asked %q)", events, tt.wantTo, tt.wantFrom)
			}
		})
	}
	if n := strings.Count(logs.String(), "acknowledgement template not found"); n != 1 {
		t.Fatalf("fallback logged %d times, want once for two mails:\n%s", n, logs.String())
	}

	t.Run("delivered", func(t *testing.T) {
		smtpAddr, api := mailpitAPI(t)
		a.cfg.SMTP.Addr, a.cfg.SMTP.TLS = smtpAddr, "none"
		stop := startJobs(t, func(jobs *jobRunner) error {
			return addOutbox(jobs, a, slog.New(slog.NewTextHandler(io.Discard, nil)))
		})
		defer stop()
		if got := mailpitText(t, api, acks[0].MessageID); !strings.HasPrefix(got, "Hei Kari Nordmann! Saken DH-") || !strings.Contains(got, "gjelder NAV") {
			t.Fatalf("Mailpit has %q, want the template's text", got)
		}
	})
}
