package compose_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
	"github.com/ks-no/digihjelpen/ticket/compose"
)

func newComposer(t *testing.T) *compose.Composer {
	t.Helper()
	c, err := compose.New("kontaktpunkt@digihjelpen.ks.no", "https://digihjelpen.ks.no/")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func composeTicket() *ticket.Ticket {
	return &ticket.Ticket{ID: 7, Ref: ticket.Ref{Year: 2026, Number: 42}, Subject: "Kurs i BankID for eldre på biblioteket",
		Status: ticket.StatusNew, StatusToken: "tok-123", CreatedAt: time.Date(2026, 11, 23, 8, 5, 0, 0, time.UTC),
		Requester: ticket.Requester{Name: "Kari Nordmann", Email: "kari@lillehammer.kommune.no",
			Municipality: ticket.Municipality{Number: "3405", Name: "Lillehammer"}, County: ticket.County{Number: "34", Name: "Innlandet"}}}
}

func TestNewComposer(t *testing.T) {
	tests := []struct {
		name, from, wantAddr, wantName string
		wantErr                        bool
	}{
		{"OK with name", "Digihjelpen KS <Kontakt@KS.no>", "kontakt@ks.no", "Digihjelpen KS", false},
		{"OK default name", "kontakt@ks.no", "kontakt@ks.no", ticket.DefaultFromName, false},
		{"ErrNoAddress", "Digihjelpen", "", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := compose.New(tt.from, "http://x")
			if (err != nil) != tt.wantErr {
				t.Fatalf("got err %v, want error %v", err, tt.wantErr)
			}
			if err == nil && (c.From() != tt.wantAddr || c.FromName() != tt.wantName || c.Domain() != "ks.no") {
				t.Fatalf("got %q %q %q, want %q %q ks.no", c.From(), c.FromName(), c.Domain(), tt.wantAddr, tt.wantName)
			}
		})
	}
}

var messageIDPattern = regexp.MustCompile(`^<DH-2026-0042\.[0-9a-f]{24}@digihjelpen\.ks\.no>$`)

func TestNewMessageID(t *testing.T) {
	c := newComposer(t)
	a, b := c.NewMessageID(ticket.Ref{Year: 2026, Number: 42}), c.NewMessageID(ticket.Ref{Year: 2026, Number: 42})
	if !messageIDPattern.MatchString(a) || a == b {
		t.Fatalf("got %q and %q, want two different ids like <DH-2026-0042.hex@digihjelpen.ks.no>", a, b)
	}
	if got := compose.NewMessageID("ks.no", ticket.Ref{}); !strings.HasPrefix(got, "<digihjelpen.") {
		t.Fatalf("got %q, want <digihjelpen.…@ks.no>", got)
	}
}

func TestAck(t *testing.T) {
	c := newComposer(t)
	first := &ticket.Message{Direction: ticket.DirectionIn, From: "kari@lillehammer.kommune.no",
		MessageID: "<q1@lillehammer.kommune.no>", References: []string{"<old@x>"}}
	t.Run("OK", func(t *testing.T) {
		out, err := c.Ack(composeTicket(), first)
		if err != nil || len(out) != 1 {
			t.Fatalf("got %v %v, want one mail", out, err)
		}
		m := out[0]
		if m.Kind != ticket.MailAck || !m.AutoReply || m.To[0] != "kari@lillehammer.kommune.no" {
			t.Fatalf("got %+v", m)
		}
		if m.Subject != "[DH-2026-0042] Kurs i BankID for eldre på biblioteket" {
			t.Errorf("subject %q", m.Subject)
		}
		if !messageIDPattern.MatchString(m.MessageID) || m.InReplyTo != first.MessageID ||
			strings.Join(m.References, " ") != "<old@x> <q1@lillehammer.kommune.no>" {
			t.Errorf("threading: id %q in-reply-to %q refs %v", m.MessageID, m.InReplyTo, m.References)
		}
		for _, want := range []string{"Hei Kari Nordmann,", "sak DH-2026-0042", "https://digihjelpen.ks.no/sak/tok-123"} {
			if !strings.Contains(m.Text, want) {
				t.Errorf("text lacks %q:\n%s", want, m.Text)
			}
		}
		if !strings.Contains(m.HTML, `<a href="https://digihjelpen.ks.no/sak/tok-123">`) {
			t.Errorf("html lacks the link: %s", m.HTML)
		}
	})
	t.Run("template from admin", func(t *testing.T) {
		c := newComposer(t)
		c.SetAckTemplate(&ticket.AckTemplate{Text: "Hei {navn}! Sak {saksnummer}: {statuslenke} ({kommune})", Version: 3})
		tk := composeTicket()
		tk.Requester.Name = ""
		out, _ := c.Ack(tk, first)
		if want := "Hei! Sak DH-2026-0042: https://digihjelpen.ks.no/sak/tok-123 (Lillehammer)"; out[0].Text != want {
			t.Fatalf("got %q, want %q", out[0].Text, want)
		}
	})
	skip := []struct {
		name  string
		email string
		auto  string
	}{
		{"no address", "", ""},
		{"auto-reply", "kari@lillehammer.kommune.no", "auto-replied"},
		{"ourselves", "Kontaktpunkt@digihjelpen.ks.no", ""},
		{"mailer-daemon", "MAILER-DAEMON@lillehammer.kommune.no", ""},
		{"no-reply", "no-reply@nav.no", ""},
	}
	for _, tt := range skip {
		t.Run("none to "+tt.name, func(t *testing.T) {
			tk := composeTicket()
			tk.Requester.Email = tt.email
			out, err := c.Ack(tk, &ticket.Message{Direction: ticket.DirectionIn, From: tt.email, Auto: tt.auto})
			if err != nil || len(out) != 0 {
				t.Fatalf("got %v %v, want no mail", out, err)
			}
		})
	}
}

func TestTextToHTML(t *testing.T) {
	got := compose.TextToHTML("Hei <b>Kari</b> & co,\nse https://example.no/a?b=1&c=2.\n\n> sitat\n> linje to")
	for _, want := range []string{
		"Hei &lt;b&gt;Kari&lt;/b&gt; &amp; co,<br>",
		`<a href="https://example.no/a?b=1&amp;c=2">https://example.no/a?b=1&amp;c=2</a>.`,
		"<blockquote", "sitat<br>\nlinje to",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("html lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "<b>") {
		t.Errorf("markup from the text got through: %s", got)
	}
}
