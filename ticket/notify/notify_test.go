package notify_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
	"github.com/ks-no/digihjelpen/ticket/notify"
)

var (
	now     = time.Date(2026, 11, 23, 10, 0, 0, 0, ticket.Oslo)
	kari    = &ticket.User{ID: 1, Email: "kari@ks.no", Name: "Kari", Role: ticket.RoleAgent}
	ola     = &ticket.User{ID: 2, Email: "ola@ks.no", Name: "Ola", Role: ticket.RoleAdmin}
	leder   = &ticket.User{ID: 3, Email: "leder@ks.no", Name: "Leder", Role: ticket.RoleReader}
	sluttet = &ticket.User{ID: 4, Email: "sluttet@ks.no", Name: "Sluttet", Role: ticket.RoleAgent, Disabled: true}
	planner = &notify.Planner{BaseURL: "https://kontakt.ks.no/", Domain: "ks.no",
		Agencies: ticket.Agencies{{Key: "ks", Name: "KS"}, {Key: "nav", Name: "NAV"}}}
)

func tk(id uint64, agency, assignee string) *ticket.Ticket {
	return &ticket.Ticket{ID: id, Ref: ticket.Ref{Year: 2026, Number: int(id)}, Subject: "Sak " + agency, Agency: agency,
		Assignee: assignee, Status: ticket.StatusOpen, CreatedAt: now, Requester: ticket.Requester{Email: "per@x.no"},
		Referrals: []ticket.Referral{{Agency: "nav", By: "ola@ks.no", Status: ticket.ReferralSent}}}
}

func ev(id uint64, kind ticket.EventKind, actor, from, to string, t *ticket.Ticket) ticket.NotifyEvent {
	return ticket.NotifyEvent{Event: &ticket.Event{ID: id, TicketID: t.ID, Kind: kind, Actor: actor, From: from, To: to, At: now}, Ticket: t}
}

// TestPlanRecipients is who is told what, by the rules in recipients.go.
func TestPlanRecipients(t *testing.T) {
	follows := map[uint64]ticket.NotifySettings{
		1: {UserID: 1, Kinds: ticket.NotifyKinds, Agencies: []string{"nav"}},
		3: {UserID: 3, Kinds: ticket.NotifyKinds, Agencies: []string{"nav", "ks"}},
		4: {UserID: 4, Kinds: ticket.NotifyKinds, Agencies: []string{"nav", "ks"}},
	}
	mine, navOpen := tk(1, "ks", "kari@ks.no"), tk(2, "nav", "")
	answered := tk(3, "ks", "kari@ks.no")
	answered.FirstResponseAt = now
	tests := []struct {
		name     string
		events   []ticket.NotifyEvent
		settings map[uint64]ticket.NotifySettings
		want     map[string]int // recipient -> notifications in their mail
	}{
		{"assigned by another", []ticket.NotifyEvent{ev(1, ticket.EventAssigned, "ola@ks.no", "", "kari@ks.no", mine)}, nil, map[string]int{"kari@ks.no": 1}},
		{"assigned to oneself", []ticket.NotifyEvent{ev(1, ticket.EventAssigned, "kari@ks.no", "", "kari@ks.no", mine)}, nil, nil},
		{"assigned, then to another in the burst", []ticket.NotifyEvent{ev(1, ticket.EventAssigned, "ola@ks.no", "", "ola@ks.no", mine)}, nil, nil},
		{"requester's reply on mine", []ticket.NotifyEvent{ev(1, ticket.EventMessage, "per@x.no", "", "per@x.no", mine)}, nil, map[string]int{"kari@ks.no": 1}},
		{"automatic reply", []ticket.NotifyEvent{ev(1, ticket.EventMessage, "per@x.no", ticket.AutoReply, "per@x.no", mine)}, nil, nil},
		{"reply on nobody's ticket", []ticket.NotifyEvent{ev(1, ticket.EventMessage, "per@x.no", "", "per@x.no", navOpen)}, nil, nil},
		{"agency's answer is one notification", []ticket.NotifyEvent{ev(1, ticket.EventMessage, "nav@nav.no", "", "nav@nav.no", mine),
			ev(2, ticket.EventAnswered, "nav@nav.no", "", "nav", mine)}, nil, map[string]int{"kari@ks.no": 1}},
		{"new ticket, defaults", []ticket.NotifyEvent{ev(1, ticket.EventCreated, "per@x.no", "", "web", navOpen)}, nil, nil},
		{"new ticket, followed; never readers or the disabled", []ticket.NotifyEvent{ev(1, ticket.EventCreated, "per@x.no", "", "web", navOpen)}, follows, map[string]int{"kari@ks.no": 1}},
		{"new ticket, not followed", []ticket.NotifyEvent{ev(1, ticket.EventCreated, "per@x.no", "", "web", tk(4, "ks", ""))}, follows, nil},
		{"referral overdue goes to who sent it", []ticket.NotifyEvent{ev(1, ticket.EventOverdue, "system", "", "nav", mine)},
			map[uint64]ticket.NotifySettings{2: {UserID: 2, Kinds: ticket.NotifyKinds}}, map[string]int{"ola@ks.no": 1}},
		{"due soon, unassigned, followed", []ticket.NotifyEvent{ev(1, ticket.EventFirstResponseDue, "system", "", "nav", navOpen)}, follows, map[string]int{"kari@ks.no": 1}},
		{"due soon, answered meanwhile", []ticket.NotifyEvent{ev(1, ticket.EventFirstResponseDue, "system", "", "ks", answered)}, follows, nil},
		{"a deleted ticket", []ticket.NotifyEvent{{Event: &ticket.Event{ID: 1, Kind: ticket.EventAssigned, Actor: "ola@ks.no", To: "kari@ks.no"}}}, nil, nil},
		{"note", []ticket.NotifyEvent{ev(1, ticket.EventNote, "ola@ks.no", "", "", mine)}, follows, nil},
		{"new ticket a rule gave to Kari", []ticket.NotifyEvent{ev(1, ticket.EventCreated, "per@x.no", "", "email", mine)}, nil, map[string]int{"kari@ks.no": 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := planner.Plan(ticket.NotifyBatch{Events: tt.events, Users: []*ticket.User{kari, ola, leder, sluttet}, Settings: tt.settings, Now: now})
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]int{}
			for _, m := range p.Mails {
				if len(m.To) != 1 || m.Kind != ticket.MailNotification || m.MessageID == "" {
					t.Errorf("mail %+v", m)
				}
				got[m.To[0]] = strings.Count(m.Text, "https://kontakt.ks.no/saker/")
			}
			if len(got) != len(tt.want) {
				t.Fatalf("told %v, want %v", got, tt.want)
			}
			for to, n := range tt.want {
				if got[to] != n {
					t.Errorf("%s: %d notifications, want %d", to, got[to], n)
				}
			}
		})
	}
}

func TestPlanDigestHoldsItems(t *testing.T) {
	mine := tk(1, "ks", "kari@ks.no")
	p, err := planner.Plan(ticket.NotifyBatch{Events: []ticket.NotifyEvent{ev(9, ticket.EventAssigned, "ola@ks.no", "", "kari@ks.no", mine)},
		Users: []*ticket.User{kari, ola}, Settings: map[uint64]ticket.NotifySettings{1: {UserID: 1, Kinds: ticket.NotifyKinds, Digest: true}}, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Mails) != 0 || len(p.Digest[1]) != 1 || p.Digest[1][0].ActorName != "Ola" {
		t.Fatalf("plan %+v", p)
	}
	m, err := planner.Digest(kari, p.Digest[1], now)
	if err != nil || m.Kind != ticket.MailDigest || !strings.Contains(m.Text, "Tildelt deg av Ola") || !strings.Contains(m.Subject, "23.11.2026") {
		t.Fatalf("digest %+v, %v", m, err)
	}
}

// TestWebhookPayloads: both formats are JSON a Teams or Slack webhook takes: a message card
// with a text (Slack's incoming webhook and the Teams connector read "text"), or an Adaptive
// Card in a message (Teams Workflows); both carry the notifications for programs.
func TestWebhookPayloads(t *testing.T) {
	mine := tk(7, "nav", "kari@ks.no")
	mine.Subject = "Dagpenger <og> & sånt"
	for _, f := range ticket.WebhookFormats {
		t.Run(string(f), func(t *testing.T) {
			w := &ticket.Webhook{ID: 3, Name: "NAV-teamet", Kinds: []ticket.NotifyKind{ticket.NotifyAssigned}, Format: f}
			p, err := planner.Plan(ticket.NotifyBatch{Events: []ticket.NotifyEvent{ev(1, ticket.EventAssigned, "kari@ks.no", "", "kari@ks.no", mine)},
				Users: []*ticket.User{kari}, Webhooks: []*ticket.Webhook{w}, Now: now})
			if err != nil || len(p.Webhooks) != 1 {
				t.Fatalf("%d posts, %v", len(p.Webhooks), err)
			}
			post := p.Webhooks[0]
			var body map[string]any
			if err := json.Unmarshal([]byte(post.Text), &body); err != nil {
				t.Fatalf("not JSON: %v", err)
			}
			data, _ := body["digihjelpen"].(map[string]any)
			items, _ := data["notifications"].([]any)
			if len(items) != 1 || items[0].(map[string]any)["url"] != "https://kontakt.ks.no/saker/DH-2026-0007" {
				t.Errorf("notifications %v", data)
			}
			switch f {
			case ticket.WebhookMessage:
				text, _ := body["text"].(string)
				if !strings.Contains(text, "DH-2026-0007 Tatt av Kari: Dagpenger &lt;og&gt; &amp; sånt https://kontakt.ks.no/saker/DH-2026-0007") {
					t.Errorf("text %q", text)
				}
			case ticket.WebhookAdaptiveCard:
				att, _ := body["attachments"].([]any)
				if body["type"] != "message" || len(att) != 1 || att[0].(map[string]any)["contentType"] != "application/vnd.microsoft.card.adaptive" {
					t.Errorf("not an adaptive card message: %s", post.Text)
				}
			}
		})
	}
}

func TestSignVerify(t *testing.T) {
	body := []byte(`{"text":"hei"}`)
	sig := notify.Sign("hemmelig", now.Unix(), body)
	if !strings.HasPrefix(sig, "sha256=") || len(sig) != 7+64 {
		t.Fatalf("signature %q", sig)
	}
	ts := "1795424400"
	sig = notify.Sign("hemmelig", 1795424400, body)
	at := time.Unix(1795424400, 0)
	tests := []struct {
		name, secret, sig, ts string
		body                  []byte
		now                   time.Time
		ok                    bool
	}{
		{"OK", "hemmelig", sig, ts, body, at, true},
		{"wrong secret", "feil", sig, ts, body, at, false},
		{"body changed", "hemmelig", sig, ts, []byte(`{"text":"hei!"}`), at, false},
		{"replayed later", "hemmelig", sig, ts, body, at.Add(10 * time.Minute), false},
		{"no timestamp", "hemmelig", sig, "", body, at, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := notify.Verify(tt.secret, tt.sig, tt.ts, tt.body, tt.now, 5*time.Minute)
			if (err == nil) != tt.ok {
				t.Errorf("got %v, want ok=%v", err, tt.ok)
			}
		})
	}
}

// TestPlanRuleAssignment: a new ticket a routing rule gave to Kari tells her it is hers; one
// created and then given to her by Ola in the same burst tells her once, that Ola did.
func TestPlanRuleAssignment(t *testing.T) {
	mine := tk(1, "ks", "kari@ks.no")
	for _, tt := range []struct {
		name   string
		events []ticket.NotifyEvent
		want   string
	}{
		{"by a rule", []ticket.NotifyEvent{ev(1, ticket.EventCreated, "per@x.no", "", "email", mine)}, "[Digihjelpen] Tildelt deg: DH-2026-0001"},
		{"by Ola in the burst", []ticket.NotifyEvent{ev(1, ticket.EventCreated, "per@x.no", "", "email", mine),
			ev(2, ticket.EventAssigned, "ola@ks.no", "", "kari@ks.no", mine)}, "[Digihjelpen] Tildelt deg av Ola: DH-2026-0001"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p, err := planner.Plan(ticket.NotifyBatch{Events: tt.events, Users: []*ticket.User{kari, ola}, Now: now})
			if err != nil || len(p.Mails) != 1 || !strings.HasPrefix(p.Mails[0].Subject, tt.want) {
				t.Fatalf("mails %v, %v; want one %q", p.Mails, err, tt.want)
			}
		})
	}
}
