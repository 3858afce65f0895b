package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/data/datagen"
	"github.com/ks-no/digihjelpen/ticket"
)

func writeFile(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

const navRules = "[[rules]]\nname = \"Alt med kurs til NAV\"\nwords = [\"kurs*\"]\nagency = \"nav\"\n"

func TestRulesCommand(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "db", "d.db")
	good := writeFile(t, "regler.toml", navRules)
	bad := writeFile(t, "feil.toml", "[[rules]]\nname = \"A\"\nagency = \"nav\"\n\n[[rules]]\nname = \"B\"\nagency = \"skatt\"\nwords = [\"sk*\"]\n")
	agencyCfg := writeFile(t, "config.toml", "[[agencies]]\nkey = \"husbanken\"\nname = \"Husbanken\"\n")
	withAgency := writeFile(t, "husbanken.toml", "[[rules]]\nname = \"Bostøtte\"\nwords = [\"bostøtte\"]\nagency = \"husbanken\"\n")
	unknownTpl := writeFile(t, "mal.toml", "[[rules]]\nname = \"A\"\nagency = \"nav\"\ntemplate = \"finnes-ikke\"\n\n[[rules]]\nname = \"B\"\ntemplate = \"henvisning\"\n")
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantOut  string
		wantErr  []string
	}{
		{"check ok", []string{"rules", "check", good}, 0, "1 regler, ingen feil", nil},
		{"check the default rules", []string{"rules", "check", "../../routing/rules_default.toml"}, 0, "21 regler, ingen feil.\n", nil},
		{"check warns of an unknown template", []string{"rules", "check", unknownTpl}, 0, "2 regler, ingen feil, 1 advarsel.", []string{unknownTpl + ":4: advarsel: regelen «A»: template: kvitteringsmalen «finnes-ikke» finnes ikke"}},
		{"ErrCheck names file and lines", []string{"rules", "check", bad}, 1, "", []string{bad + ":7: regelen «B»: agency: ukjent etat «skatt»", bad + ":8: regelen «B»: words: «sk*»: et ord med stjerne"}},
		{"ErrCheck missing file", []string{"rules", "check", "/finnes/ikke.toml"}, 1, "", []string{"cannot read /finnes/ikke.toml"}},
		{"check against configured agencies", []string{"rules", "check", withAgency, "-config", agencyCfg}, 0, "ingen feil", nil},
		{"ErrCheck agency not configured", []string{"rules", "check", withAgency}, 1, "", []string{"ukjent etat «husbanken»"}},
		{"ErrUsage", []string{"rules"}, 2, "", []string{"rules check FILE"}},
		{"ErrUsageSub", []string{"rules", "save", good}, 2, "", []string{"rules check FILE"}},
		{"ErrUsageNoFile", []string{"rules", "test"}, 2, "", []string{"rules test FILE"}},
		{"ErrSince", []string{"rules", "test", good, "-since", "i fjor"}, 2, "", []string{"-since", "2026-01-01"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCmd(t, dbPath, "", tt.args...)
			if code != tt.wantCode || !strings.Contains(out, tt.wantOut) {
				t.Fatalf("code %d, stdout %q, stderr %q; want %d with %q", code, out, errOut, tt.wantCode, tt.wantOut)
			}
			for _, w := range tt.wantErr {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr %q lacks %q", errOut, w)
				}
			}
		})
	}
}

func TestRulesTestCommandOnGeneratedStore(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "gen.db")
	db := data.NewDB(dbPath)
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	opt := datagen.Options{N: 300, From: time.Date(2026, 1, 1, 0, 0, 0, 0, ticket.Oslo), To: time.Date(2026, 11, 1, 0, 0, 0, 0, ticket.Oslo), Seed: 3}
	if err := datagen.Generate(context.Background(), db, opt); err != nil {
		t.Fatal(err)
	}
	db.Close()
	code, out, errOut := runCmd(t, dbPath, "", "rules", "test", writeFile(t, "r.toml", navRules), "-since", "2026-06-01")
	if code != 0 {
		t.Fatalf("code %d: %s", code, errOut)
	}
	for _, want := range []string{"Prøvekjøring på saker opprettet fra 01.06.2026", "ville fått en annen etat", "Kompetanse Norge (HK-dir) → NAV", "Endrede saker", "regel «Alt med kurs til NAV»: ord «kurs",
		"Saker saksbehandlerne har avgjort (flyttet eller løst): ", "saksbehandlerne: Kompetanse Norge (HK-dir) (løst); reglene: NAV (regel «Alt med kurs til NAV»)"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	// The default rules agree with the generator's agencies: nothing moves.
	code, out, _ = runCmd(t, dbPath, "", "rules", "test", "../../routing/rules_default.toml")
	if code != 0 || !strings.Contains(out, "300 saker, 0 ville fått en annen etat") {
		t.Fatalf("default rules: code %d\n%s", code, out)
	}
}

func TestServeRefusesBadRulesFile(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "db", "d.db")
	rules := writeFile(t, "regler.toml", "[[rules]]\nname = \"A\"\nagency = \"nav\"\npriority = \"kjapt\"\n")
	cfg := writeFile(t, "config.toml", "[server]\naddr = \"127.0.0.1:0\"\n[routing]\nrules_file = \""+rules+"\"\n")
	code, _, errOut := runCmd(t, dbPath, "", "serve", "-config", cfg)
	if code != 1 || !strings.Contains(errOut, rules+":4: regelen «A»: priority:") {
		t.Fatalf("code %d, stderr %q", code, errOut)
	}
}

// TestRouterIsTheRulesAdmin checks the wiring: what the admin pages save is what intake and
// the form route with.
func TestRouterIsTheRulesAdmin(t *testing.T) {
	ctx := ticket.NewContextWithActor(context.Background(), ticket.Actor{Name: "admin@ks.no", Role: ticket.RoleAdmin})
	a, err := openApp("", env{environ: []string{"DIGIHJELPEN_STORAGE_PATH=" + filepath.Join(t.TempDir(), "d.db")}})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	tk := &ticket.Ticket{Subject: "Kursavgift", Channel: ticket.ChannelEmail}
	m := &ticket.Message{Direction: ticket.DirectionIn, From: "a@hamar.kommune.no", Text: "Hva koster kursavgiften?"}
	if d := a.router.Route(tk, m); d.Agency != "ks" || d.Municipality.Name != "Hamar" {
		t.Fatalf("default rules: %s, %v", d.Agency, d.Municipality)
	}
	if _, err := a.rules.SaveRules(ctx, navRules, "kurs til NAV"); err != nil {
		t.Fatal(err)
	}
	if d := a.router.Route(tk, m); d.Agency != "nav" || d.Routing.Rule != "Alt med kurs til NAV" {
		t.Fatalf("after save: %s by %q", d.Agency, d.Routing.Rule)
	}
}

// syncBuffer is a log the job writes while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestReferralReminderJob(t *testing.T) {
	var logs syncBuffer
	a, err := openApp("", env{environ: []string{"DIGIHJELPEN_STORAGE_PATH=" + filepath.Join(t.TempDir(), "d.db"), "DIGIHJELPEN_ROUTING_REFERRAL_REMINDER_AFTER=2d"}})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, ticket.Oslo)
	a.db.Now = func() time.Time { return now }
	ctx := context.Background()
	tk := &ticket.Ticket{Subject: "Meldekort", Status: ticket.StatusNew, Agency: "nav", Priority: ticket.PriorityNormal, Channel: ticket.ChannelEmail}
	if err := a.tickets.CreateTicket(ctx, tk, &ticket.Message{Direction: ticket.DirectionIn, From: "a@hamar.kommune.no", Text: "hei"}, ticket.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	ref := &ticket.Message{Direction: ticket.DirectionOut, To: []string{"nav@nav.example.no"}, Text: "Til NAV", MessageID: "<r1@test>"}
	if _, err := a.tickets.AppendMessage(ctx, tk.ID, ref, ticket.AppendOptions{Referral: &ticket.Referral{Agency: "nav"}}); err != nil {
		t.Fatal(err)
	}
	now = now.Add(49 * time.Hour)
	stop := startJobs(t, func(jobs *jobRunner) error {
		addReferralReminders(jobs, a, newLogger(&logs, "info"), time.Hour)
		return nil
	})
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(logs.String(), "referral overdue") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	stop()
	if !strings.Contains(logs.String(), "ticket="+tk.Ref.String()) || !strings.Contains(logs.String(), "agency=nav") {
		t.Fatalf("log %q", logs.String())
	}
	got, _ := a.tickets.FindTicketByID(ctx, tk.ID)
	if !got.HasTag(ticket.TagReferralOverdue) {
		t.Fatalf("tags %v", got.Tags)
	}
}
