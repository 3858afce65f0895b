package routing_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/routing"
	"github.com/ks-no/digihjelpen/ticket"
)

func newAdmin(t testing.TB, fileText string) (*routing.Admin, *data.DB) {
	t.Helper()
	db := data.NewDB(filepath.Join(t.TempDir(), "d.db"))
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	a := &routing.Admin{Env: routing.Env{Agencies: routing.DefaultAgencies(), Places: loadPlaces(t)},
		Sets: data.NewRuleSetService(db), Tickets: data.NewTicketService(db)}
	if fileText != "" {
		a.File, a.FileText = "/etc/digihjelpen/regler.toml", []byte(fileText)
	}
	return a, db
}

const kursRules = "[[rules]]\nname = \"Kurs til NAV\"\nwords = [\"kurs*\"]\nagency = \"nav\"\n"

func TestAdminPrecedence(t *testing.T) {
	ctx := ticket.NewContextWithActor(context.Background(), ticket.Actor{Name: "admin@ks.no", Role: ticket.RoleAdmin})
	tk, m := mailTicket("a@hamar.kommune.no", "Kursavgift", "Hva er kursavgiften?")

	a, _ := newAdmin(t, "")
	if err := a.Load(ctx); err != nil {
		t.Fatal(err)
	}
	active, _ := a.ActiveRules(ctx)
	if active.Version != 0 || !strings.Contains(active.Source, "innebygde") || a.Route(tk, m).Agency != "ks" {
		t.Fatalf("nothing configured: %+v", active)
	}

	a, db := newAdmin(t, kursRules)
	if err := a.Load(ctx); err != nil {
		t.Fatal(err)
	}
	active, _ = a.ActiveRules(ctx)
	if !strings.Contains(active.Source, "regelfilen /etc/digihjelpen/regler.toml") || a.Route(tk, m).Agency != "nav" {
		t.Fatalf("rules file: %+v", active)
	}

	// A saved version wins over the file, also after a restart.
	if _, err := a.SaveRules(ctx, string(routing.DefaultRulesText), "standard"); err != nil {
		t.Fatal(err)
	}
	if a.Route(tk, m).Agency != "ks" {
		t.Fatal("the saved version is not in use at once")
	}
	again := &routing.Admin{Env: a.Env, Sets: data.NewRuleSetService(db), Tickets: data.NewTicketService(db), File: a.File, FileText: a.FileText}
	if err := again.Load(ctx); err != nil {
		t.Fatal(err)
	}
	active, _ = again.ActiveRules(ctx)
	if active.Version != 1 || !strings.Contains(active.Source, "versjon 1, lagret") || again.Route(tk, m).Agency != "ks" {
		t.Fatalf("after restart: %+v", active)
	}

	// A broken file is refused even when a saved version shadows it.
	again.FileText = []byte("[[rules]]\nname = \"A\"\nagency = \"x\"\n")
	var errs ticket.RuleErrors
	if err := again.Load(ctx); !errors.As(err, &errs) || errs[0].Line != 3 {
		t.Fatalf("broken file: got %v", err)
	}
}

func TestAdminSaveRestore(t *testing.T) {
	ctx := ticket.NewContextWithActor(context.Background(), ticket.Actor{Name: "admin@ks.no", Role: ticket.RoleAdmin})
	a, db := newAdmin(t, "")
	if err := a.Load(ctx); err != nil {
		t.Fatal(err)
	}
	var errs ticket.RuleErrors
	if _, err := a.SaveRules(ctx, "[[rules]]\nname = \"x\"\n", "feil"); !errors.As(err, &errs) {
		t.Fatalf("a bad set was saved: %v", err)
	}
	if list, _ := a.RuleSets(ctx); len(list) != 0 {
		t.Fatalf("a refused save left %d versions", len(list))
	}
	if _, err := a.SaveRules(ctx, kursRules, "kurs til NAV"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.SaveRules(ctx, string(routing.DefaultRulesText), "tilbake"); err != nil {
		t.Fatal(err)
	}
	back, err := a.RestoreRules(ctx, 1, "likevel")
	if err != nil || back.Version != 3 || back.RestoredFrom != 1 || back.Text != kursRules {
		t.Fatalf("restore: %+v %v", back, err)
	}
	tk, m := mailTicket("a@hamar.kommune.no", "Kurs", "kurs")
	if d := a.Route(tk, m); d.Agency != "nav" || d.Routing.Rule != "Kurs til NAV" {
		t.Fatalf("after restore: %s by %q", d.Agency, d.Routing.Rule)
	}
	active, _ := a.ActiveRules(ctx)
	if active.Version != 3 || !strings.Contains(active.Source, "gjenopprettet fra versjon 1") {
		t.Fatalf("active %+v", active)
	}
	if _, err := a.RestoreRules(ctx, 9, ""); ticket.ErrorCode(err) != ticket.ENOTFOUND {
		t.Fatalf("restore of a missing version: %v", err)
	}
	events, _ := data.NewEventService(db).FindEvents(ctx, 0)
	if len(events) != 3 || events[2].Detail != "gjenopprettet fra versjon 1. likevel" {
		t.Fatalf("audit trail %+v", events)
	}
}
