package main

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/routing"
	"github.com/ks-no/digihjelpen/ticket"
)

// TestRoutingLearner: the server's learner trains the model in the background from what staff
// decided, and again when staff move a ticket; in mode "off" it does nothing.
func TestRoutingLearner(t *testing.T) {
	ctx := ticket.NewContextWithActor(context.Background(), ticket.Actor{Name: "kari@ks.no", Role: ticket.RoleAgent})
	for _, mode := range []string{"off", "suggest"} {
		t.Run(mode, func(t *testing.T) {
			a, err := openApp("", env{environ: []string{"DIGIHJELPEN_STORAGE_PATH=" + filepath.Join(t.TempDir(), "d.db"), "DIGIHJELPEN_ROUTING_LEARN=" + mode}})
			if err != nil {
				t.Fatal(err)
			}
			defer a.Close()
			questions := []struct{ agency, subject, text string }{
				{"nav", "Meldekort", "Innbyggeren får ikke sendt meldekortet, og dagpengene kommer ikke."},
				{"skatteetaten", "Skattekort", "Hun trenger nytt skattekort og hjelp med skattemeldingen."},
				{"ks", "Håndboka", "Finnes det en ny utgave av håndboka om organisering av digihjelpen?"},
			}
			for i := 0; i < routing.MinModelLabels+6; i++ {
				q := questions[i%len(questions)]
				tk := &ticket.Ticket{Subject: q.subject, Status: ticket.StatusNew, Agency: q.agency, Priority: ticket.PriorityNormal, Channel: ticket.ChannelEmail}
				m := &ticket.Message{Direction: ticket.DirectionIn, From: fmt.Sprintf("a%d@hamar.kommune.no", i), Text: q.text}
				if err := a.tickets.CreateTicket(ctx, tk, m, ticket.CreateOptions{}); err != nil {
					t.Fatal(err)
				}
				if _, err := a.tickets.UpdateTicket(ctx, tk.ID, ticket.TicketUpdate{Status: ptrTo(ticket.StatusResolved)}); err != nil {
					t.Fatal(err)
				}
			}
			logs := &syncBuffer{}
			stop := startJobs(t, func(jobs *jobRunner) error {
				addRoutingLearner(jobs, a, slog.New(slog.NewTextHandler(logs, nil)))
				return nil
			})
			defer stop()
			if mode == "off" {
				time.Sleep(200 * time.Millisecond)
				if st := a.rules.ModelStatus(); st.Trained || st.Mode != ticket.LearnOff || logs.String() != "" {
					t.Fatalf("mode off trained: %+v, log %q", st, logs.String())
				}
				return
			}
			waitFor(t, func() bool { return a.rules.ModelStatus().Ready })
			if st := a.rules.ModelStatus(); st.Labels != routing.MinModelLabels+6 || !strings.Contains(logs.String(), "routing model trained") {
				t.Fatalf("status %+v, log %q", st, logs.String())
			}
			tk := &ticket.Ticket{Subject: "Spørsmål", Status: ticket.StatusNew, Agency: "ks", Priority: ticket.PriorityNormal, Channel: ticket.ChannelEmail,
				Routing: ticket.Routing{Rule: routing.RuleDefault}}
			m := &ticket.Message{Direction: ticket.DirectionIn, From: "b@hamar.kommune.no", Text: "Dagpengene og meldekortet, hva gjør vi?"}
			if s, ok := a.rules.Suggest(tk, m); !ok || s.Agency != "nav" {
				t.Errorf("suggestion %+v (%v), want nav", s, ok)
			}
		})
	}
}

// TestRunLearnerRetrains: a move by staff is learnt at the next check, without a restart.
func TestRunLearnerRetrains(t *testing.T) {
	ctx := ticket.NewContextWithActor(context.Background(), ticket.Actor{Name: "kari@ks.no", Role: ticket.RoleAgent})
	a, err := openApp("", env{environ: []string{"DIGIHJELPEN_STORAGE_PATH=" + filepath.Join(t.TempDir(), "d.db")}})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	lctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		runLearner(lctx, a.rules, slog.New(slog.DiscardHandler), 20*time.Millisecond)
	}()
	defer func() { cancel(); <-done }()
	tk := &ticket.Ticket{Subject: "Bokhylla", Status: ticket.StatusNew, Agency: "ks", Priority: ticket.PriorityNormal, Channel: ticket.ChannelEmail}
	if err := a.tickets.CreateTicket(ctx, tk, &ticket.Message{Direction: ticket.DirectionIn, From: "a@hamar.kommune.no", Text: "Bokhylla på nb.no"}, ticket.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.tickets.UpdateTicket(ctx, tk.ID, ticket.TicketUpdate{Agency: ptrTo("nasjonalbiblioteket")}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool { st := a.rules.ModelStatus(); return st.Trained && st.Labels == 1 && st.Moved == 1 })
}

func waitFor(t *testing.T, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); !ok(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("timed out")
		}
	}
}

func ptrTo[T any](v T) *T { return &v }
