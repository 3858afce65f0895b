package compose_test

import (
	"bytes"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/ks-no/digihjelpen/ticket"
)

// TestAckPicksTemplate: the template the rules put on the ticket makes the text; an unknown or
// deleted one gives the default, with a warning once per name; every mail says which was used.
func TestAckPicksTemplate(t *testing.T) {
	var logs bytes.Buffer
	c := newComposer(t)
	c.SetLogger(slog.New(slog.NewTextHandler(&logs, nil)))
	c.SetAgencies(ticket.Agencies{{Key: "nav", Name: "NAV"}})
	c.SetAckTemplates([]*ticket.AckTemplate{
		{Name: "standard", Title: "Standard", Text: "Standard {saksnummer} {statuslenke}", Version: 4},
		{Name: "nav", Title: "Til NAV", Text: "Til {etat}: {saksnummer} {statuslenke}", Version: 2},
		{Name: "gammel", Title: "Gammel", Version: 3, Deleted: true},
	})
	first := &ticket.Message{Direction: ticket.DirectionIn, From: "kari@lillehammer.kommune.no"}
	tests := []struct {
		name, template, wantText string
		wantUse                  ticket.AckUse
	}{
		{"default when none", "", "Standard DH-2026-0042 https://digihjelpen.ks.no/sak/tok-123", ticket.AckUse{Name: "standard", Title: "Standard", Version: 4}},
		{"default by name", "standard", "Standard DH-2026-0042 https://digihjelpen.ks.no/sak/tok-123", ticket.AckUse{Name: "standard", Title: "Standard", Version: 4}},
		{"named", "nav", "Til NAV: DH-2026-0042 https://digihjelpen.ks.no/sak/tok-123", ticket.AckUse{Name: "nav", Title: "Til NAV", Version: 2}},
		{"unknown falls back", "finnes-ikke", "Standard DH-2026-0042 https://digihjelpen.ks.no/sak/tok-123", ticket.AckUse{Name: "standard", Title: "Standard", Version: 4, Asked: "finnes-ikke"}},
		{"unknown again", "finnes-ikke", "Standard DH-2026-0042 https://digihjelpen.ks.no/sak/tok-123", ticket.AckUse{Name: "standard", Title: "Standard", Version: 4, Asked: "finnes-ikke"}},
		{"deleted falls back", "gammel", "Standard DH-2026-0042 https://digihjelpen.ks.no/sak/tok-123", ticket.AckUse{Name: "standard", Title: "Standard", Version: 4, Asked: "gammel"}},
		{"built-in one not loaded is gone", "henvisning", "Standard DH-2026-0042 https://digihjelpen.ks.no/sak/tok-123", ticket.AckUse{Name: "standard", Title: "Standard", Version: 4, Asked: "henvisning"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tk := composeTicket()
			tk.Agency, tk.Template = "nav", tt.template
			out, err := c.Ack(tk, first)
			if err != nil || len(out) != 1 {
				t.Fatalf("got %v %v, want one mail", out, err)
			}
			if out[0].Text != tt.wantText {
				t.Errorf("got %q, want %q", out[0].Text, tt.wantText)
			}
			if out[0].Template == nil || *out[0].Template != tt.wantUse {
				t.Errorf("got use %+v, want %+v", out[0].Template, tt.wantUse)
			}
		})
	}
	for name, want := range map[string]int{"finnes-ikke": 1, "gammel": 1, "henvisning": 1} {
		if got := strings.Count(logs.String(), "template="+name+" "); got != want {
			t.Errorf("warnings about %s: got %d, want %d:\n%s", name, got, want, logs.String())
		}
	}
}

func TestComposerBuiltinTemplates(t *testing.T) {
	c := newComposer(t)
	for _, b := range ticket.BuiltinAckTemplates() {
		got, ok := c.FindAckTemplate(b.Name)
		if !ok || got.Text != b.Text || got.Version != 0 {
			t.Errorf("%s: got %+v %v, want the built-in text before anything is loaded", b.Name, got, ok)
		}
		if err := b.Validate(); err != nil {
			t.Errorf("built-in %s does not validate: %v", b.Name, err)
		}
	}
	if c.HasAckTemplate("ukjent") {
		t.Error("an unknown template exists")
	}
}

// TestSetAckTemplate: a saved or deleted version goes into use at once, never replaced by an
// older one that arrives later; the default cannot be deleted.
func TestSetAckTemplate(t *testing.T) {
	tests := []struct {
		name    string
		set     []*ticket.AckTemplate
		find    string
		wantOK  bool
		wantVer int
	}{
		{"new version", []*ticket.AckTemplate{{Name: "nav", Text: "a", Version: 1}, {Name: "nav", Text: "b", Version: 2}}, "nav", true, 2},
		{"older arrives late", []*ticket.AckTemplate{{Name: "nav", Text: "b", Version: 2}, {Name: "nav", Text: "a", Version: 1}}, "nav", true, 2},
		{"deleted", []*ticket.AckTemplate{{Name: "nav", Version: 1}, {Name: "nav", Version: 2, Deleted: true}}, "nav", false, 0},
		{"deleted then created", []*ticket.AckTemplate{{Name: "nav", Version: 2, Deleted: true}, {Name: "nav", Version: 3}}, "nav", true, 3},
		{"empty name is the default", []*ticket.AckTemplate{{Text: "x", Version: 5}}, "standard", true, 5},
		{"default never deleted", []*ticket.AckTemplate{{Name: "standard", Version: 5, Deleted: true}}, "standard", true, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newComposer(t)
			for _, a := range tt.set {
				c.SetAckTemplate(a)
			}
			got, ok := c.FindAckTemplate(tt.find)
			if ok != tt.wantOK || (ok && got.Version != tt.wantVer) {
				t.Fatalf("got %+v %v, want found %v version %d", got, ok, tt.wantOK, tt.wantVer)
			}
		})
	}
}

// TestAckWhileSaving runs Ack while templates change, for the race detector.
func TestAckWhileSaving(t *testing.T) {
	c := newComposer(t)
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		for v := 1; v <= 200; v++ {
			c.SetAckTemplate(&ticket.AckTemplate{Name: "nav", Title: "NAV", Text: "{saksnummer} {statuslenke}", Version: v})
		}
	}()
	go func() {
		defer wg.Done()
		tk := composeTicket()
		tk.Template = "nav"
		for range 200 {
			if _, err := c.Ack(tk, &ticket.Message{Direction: ticket.DirectionIn}); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	wg.Wait()
}
